"""The public directory in Open Referral HSDS 3.0 (tolink.network.hsds, tolink.api.public.hsds_*):
valid against the official schemas, stable ids, only public fields, only Active services of active
organisations, bounded pages, a cache that follows the changes; and the page's search."""

import json
import random
import uuid

import frappe
from frappe.utils import getdate, today

from tolink.api import public
from tolink.devtools.factories import make_provider, make_service, uid
from tolink.network import hsds, public_directory
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS
from tolink.tests import hsds_schemas
from tolink.tests.case import CommittingTestCase

# fields that must never be published (tolink.network.hsds says why)
PRIVATE_FIELDS = {
	"capacity",
	"capacity_used",
	"available_from",
	"response_deadline_days",
	"distribution_hub",
	"parcel_template",
	"district_list",
	"open_days",
	"tax_id",
	"coordinator",
	"owner",
	"modified_by",
	"provider",
}


class TestHSDS(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.tag = uid()
		self.org = make_provider(
			f"Cooperativa HSDS {self.tag}",
			provider_type="Social Cooperative",
			description="Cooperativa sociale di Barriera",
			email=f"info-{self.tag}@coop.test",
			phone="011 555 0101",
			website="https://coop-hsds.test",
			tax_id=f"TAXID{self.tag}",
		)
		self.today = WEEKDAYS[getdate(today()).weekday()]
		self.other_day = WEEKDAYS[(getdate(today()).weekday() + 1) % 7]
		self.parcels = make_service(
			self.org,
			needs=("Food parcels",),
			districts=("6",),
			service_name=f"Panieri {self.tag}",
			description="<p>Pacchi alimentari &amp; prodotti per l'igiene.</p><p>Ogni settimana.</p>",
			how_to_apply="Su invio dei servizi sociali",
			eligibility_description="Famiglie con ISEE basso",
			required_documents="Documento d'identità; attestazione ISEE",
			contact_phone="011 555 0202",
			contact_email=f"panieri-{self.tag}@coop.test",
			min_age=18,
			max_isee=6000,
			max_household_size=6,
			residency_required=1,
			capacity=40,
			available_from="2031-01-01",
			locations=[
				{
					"location_name": "Sede di via Como",
					"address": "Via Como 12, 10152 Torino",
					"district": "6",
					"phone": "011 555 0303",
					"accessible": 1,
				}
			],
			schedules=[
				{
					"location_name": "Sede di via Como",
					"weekday": self.today,
					"opens_at": "09:00",
					"closes_at": "12:30",
				},
				{"weekday": self.other_day, "opens_at": "15:00", "closes_at": "17:00"},
			],
		)
		frappe.db.set_value("Service", self.parcels.name, "capacity_used", 39, update_modified=False)
		self.canteen = make_service(
			self.org, needs=("Canteens",), service_name=f"Mensa {self.tag}", description="Pranzo"
		)
		self.suspended = make_service(
			self.org, needs=("Canteens",), service_name=f"Sospeso {self.tag}", status="Suspended"
		)
		self.closed_org = make_provider(f"Chiusa {self.tag}", is_active=0)
		self.hidden = make_service(self.closed_org, needs=("Canteens",), service_name=f"Nascosto {self.tag}")
		self.org_id = hsds.hsds_id("organization", self.org)
		hsds.invalidate()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def as_guest(self, fn, *args, **kwargs):
		frappe.set_user("Guest")
		try:
			return fn(*args, **kwargs)
		finally:
			frappe.set_user("Administrator")

	def services(self, **kw) -> dict:
		return self.as_guest(public.hsds_services, organization_id=self.org_id, **kw)

	def assertValid(self, document, schema):
		self.assertEqual(hsds_schemas.errors(document, schema), [], json.dumps(document, indent=1)[:3000])

	def assertValidPage(self, page, schema):
		self.assertEqual(hsds_schemas.page_errors(page, schema), [], json.dumps(page, indent=1)[:3000])

	def all_documents(self) -> list:
		"""Every endpoint's answer on the test data (as a Guest), with the schema it must meet."""
		sid = hsds.hsds_id("service", self.parcels.name)
		service = self.as_guest(public.hsds_service, sid)
		sal = service["service_at_locations"][0]
		schedule = sal["schedules"][0]
		term = service["attributes"][0]["taxonomy_term_id"]
		return [
			(self.services(), "page", "compiled/service_list.json"),
			(self.services(full=1), "page", "service.json"),
			(service, "one", "service.json"),
			(
				self.as_guest(public.hsds_organizations, per_page=100),
				"page",
				"compiled/organization_list.json",
			),
			(self.as_guest(public.hsds_organizations, full_service=1), "page", "organization.json"),
			(self.as_guest(public.hsds_organization, self.org_id), "one", "organization.json"),
			(self.as_guest(public.hsds_locations, per_page=100), "page", "location.json"),
			(self.as_guest(public.hsds_location, sal["location_id"]), "one", "location.json"),
			(
				self.as_guest(public.hsds_service_at_locations),
				"page",
				"compiled/service_at_location_list.json",
			),
			(self.as_guest(public.hsds_service_at_locations, full=1), "page", "service_at_location.json"),
			(self.as_guest(public.hsds_service_at_location, sal["id"]), "one", "service_at_location.json"),
			(self.as_guest(public.hsds_schedules, per_page=100), "page", "schedule.json"),
			(self.as_guest(public.hsds_schedule, schedule["id"]), "one", "schedule.json"),
			(self.as_guest(public.hsds_taxonomies), "page", "taxonomy.json"),
			(
				self.as_guest(public.hsds_taxonomy, hsds.hsds_id("taxonomy", hsds.TAXONOMY)),
				"one",
				"taxonomy.json",
			),
			(self.as_guest(public.hsds_taxonomy_terms, per_page=100), "page", "taxonomy_term.json"),
			(self.as_guest(public.hsds_taxonomy_term, term), "one", "taxonomy_term.json"),
		]

	def test_every_endpoint_answers_valid_hsds(self):
		for document, kind, schema in self.all_documents():
			if kind == "page":
				self.assertTrue(document["contents"], schema)
				self.assertValidPage(document, schema)
			else:
				self.assertValid(document, schema)
		organization = self.as_guest(public.hsds_organization, self.org_id)
		for service in organization["services"]:
			self.assertValid(service, "compiled/service_list.json")
		self.assertEqual(
			{s["name"] for s in organization["services"]}, {f"Panieri {self.tag}", f"Mensa {self.tag}"}
		)
		self.assertEqual(
			self.as_guest(public.hsds), {"version": "3.0", "profile": hsds.api_information()["profile"]}
		)

	def test_the_service_says_what_a_person_needs_to_know(self):
		doc = self.as_guest(public.hsds_service, hsds.hsds_id("service", self.parcels.name))
		self.assertEqual(doc["organization_id"], self.org_id)
		self.assertEqual(doc["description"], "Pacchi alimentari & prodotti per l'igiene.\nOgni settimana.")
		self.assertEqual(doc["application_process"], "Su invio dei servizi sociali")
		self.assertEqual(
			[d["document"] for d in doc["required_documents"]], ["Documento d'identità", "attestazione ISEE"]
		)
		self.assertEqual(doc["phones"][0]["number"], "011 555 0202")
		self.assertEqual(doc["minimum_age"], 18)
		self.assertEqual([a["taxonomy_term"]["code"] for a in doc["attributes"]], ["Food parcels"])
		location = doc["service_at_locations"][0]["location"]
		self.assertEqual(location["addresses"][0]["postal_code"], "10152")
		self.assertEqual(location["accessibility"][0]["description"], "Step-free access")
		at_place = doc["service_at_locations"][0]["schedules"]
		self.assertEqual(
			[(s["byday"], s["opens_at"], s["closes_at"]) for s in at_place],
			[(hsds.BYDAY[self.today], "09:00", "12:30")],
		)
		self.assertEqual([s["byday"] for s in doc["schedules"]], [hsds.BYDAY[self.other_day]])
		self.assertEqual(
			doc["x_tolink_eligibility"],
			{
				"min_age": 18,
				"max_age": None,
				"max_isee_eur": 6000.0,
				"min_household_size": None,
				"max_household_size": 6,
				"districts": ["6"],
				"residency_in_turin_required": True,
			},
		)
		# the extension's fields are the ones the eligibility rules read
		from tolink.network.eligibility import RULE_FIELDS

		for field in (
			"min_age",
			"max_age",
			"max_isee",
			"min_household_size",
			"max_household_size",
			"residency_required",
		):
			self.assertIn(field, RULE_FIELDS)

	def test_ids_are_stable_uuids(self):
		sid = hsds.hsds_id("service", self.parcels.name)
		self.assertEqual(sid, str(uuid.uuid5(hsds.NAMESPACE, f"service/{self.parcels.name}")))
		self.assertEqual(uuid.UUID(sid).version, 5)
		# the namespace is fixed forever: ids published once never change
		self.assertEqual(hsds.hsds_id("service", "SRV-00001"), "2acb5780-3d51-5171-849f-dd58008fbce4")
		before = json.dumps(self.services(full=1), sort_keys=True)
		hsds.invalidate()
		self.assertEqual(json.dumps(self.services(full=1), sort_keys=True), before)

	def test_private_fields_and_values_are_never_published(self):
		payload = json.dumps([doc for doc, _kind, _schema in self.all_documents()], ensure_ascii=False)
		found = hsds_schemas.keys(json.loads(payload))
		self.assertEqual(found & PRIVATE_FIELDS, set())
		for value in (f"TAXID{self.tag}", "2031-01-01", self.parcels.name):
			self.assertNotIn(value, payload)

	def test_suspended_services_and_inactive_organisations_are_not_published(self):
		names = {s["name"] for s in self.services(per_page=100)["contents"]}
		self.assertEqual(names, {f"Panieri {self.tag}", f"Mensa {self.tag}"})
		everywhere = json.dumps(self.as_guest(public.hsds_services, search=self.tag))
		self.assertNotIn(f"Sospeso {self.tag}", everywhere)
		self.assertNotIn(f"Nascosto {self.tag}", everywhere)
		for kind, name in (
			("service", self.suspended.name),
			("service", self.hidden.name),
			("organization", self.closed_org),
		):
			fn = public.hsds_service if kind == "service" else public.hsds_organization
			with self.assertRaises(frappe.DoesNotExistError):
				self.as_guest(fn, hsds.hsds_id(kind, name))
		for hostile in ("", "not-a-uuid", "SRV-00001", str(uuid.uuid4()), "' or 1=1 --"):
			with self.assertRaises(frappe.DoesNotExistError):
				self.as_guest(public.hsds_service, hostile)
		# an id of one kind is not found as another
		with self.assertRaises(frappe.DoesNotExistError):
			self.as_guest(public.hsds_organization, hsds.hsds_id("service", self.parcels.name))

	def test_pages_are_bounded(self):
		capped = self.as_guest(public.hsds_taxonomy_terms, per_page=100000)
		self.assertEqual(capped["size"], min(capped["total_items"], hsds.MAX_PER_PAGE))
		first = self.services(per_page=1)
		self.assertEqual(
			{k: first[k] for k in hsds_schemas.PAGE_FIELDS},
			{
				"total_items": 2,
				"total_pages": 2,
				"page_number": 1,
				"size": 1,
				"first_page": True,
				"last_page": False,
				"empty": False,
			},
		)
		second = self.services(per_page=1, page=2)
		self.assertTrue(second["last_page"])
		self.assertNotEqual(first["contents"][0]["id"], second["contents"][0]["id"])
		beyond = self.services(per_page=1, page=3)
		self.assertEqual((beyond["size"], beyond["empty"], beyond["contents"]), (0, True, []))
		self.assertTrue(self.services(per_page=1, page=10**12)["empty"])
		for page in (0, -5, "abc"):
			self.assertEqual(hsds.list_services(page, 1, organization_id=self.org_id)["page_number"], 1)

	def test_filters(self):
		parcels = hsds.hsds_id("taxonomy_term", "Food parcels")
		food = hsds.hsds_id("taxonomy_term", "Food")
		names = lambda page: {s["name"] for s in page["contents"]}  # noqa: E731
		self.assertEqual(names(self.services(taxonomy_term_id=parcels)), {f"Panieri {self.tag}"})
		self.assertEqual(
			names(self.services(taxonomy_term_id=food)), {f"Panieri {self.tag}", f"Mensa {self.tag}"}
		)
		self.assertEqual(names(self.services(search="igiene")), {f"Panieri {self.tag}"})
		self.assertTrue(self.services(taxonomy_term_id=str(uuid.uuid4()))["empty"])
		self.assertTrue(self.as_guest(public.hsds_services, organization_id="nobody")["empty"])
		children = self.as_guest(public.hsds_taxonomy_terms, parent_id=food)
		self.assertEqual(
			{t["code"] for t in children["contents"]}, {"Food parcels", "Shopping vouchers", "Canteens"}
		)

	def test_the_cache_follows_the_changes(self):
		names = lambda: {s["name"] for s in self.services(per_page=100)["contents"]}  # noqa: E731
		self.assertEqual(len(names()), 2)
		make_service(self.org, needs=("Canteens",), service_name=f"Nuovo {self.tag}")
		self.assertIn(f"Nuovo {self.tag}", names())
		canteen = frappe.get_doc("Service", self.canteen.name)
		canteen.status = "Suspended"
		canteen.save(ignore_permissions=True)
		self.assertNotIn(f"Mensa {self.tag}", names())
		provider = frappe.get_doc("Provider", self.org)
		provider.is_active = 0
		provider.save(ignore_permissions=True)
		self.assertEqual(names(), set())
		with self.assertRaises(frappe.DoesNotExistError):
			self.as_guest(public.hsds_organization, self.org_id)

	def test_the_published_rules_judge_people_as_the_app_does(self):
		"""A directory reading x_tolink_eligibility comes to tolink.network.eligibility's answer."""
		from tolink.network.eligibility import Person, is_eligible, load_rules

		rng = random.Random(14)
		services = []
		for i in range(12):
			min_age = rng.choice([0, 0, 18, 30])
			services.append(
				make_service(
					self.org,
					needs=("Canteens",),
					districts=rng.choice([(), ("6",), ("2", "6")]),
					service_name=f"Regole {i} {self.tag}",
					min_age=min_age,
					max_age=rng.choice([0, 0, 65]) if min_age < 65 else 0,
					max_isee=rng.choice([0, 6000, 12000]),
					min_household_size=rng.choice([0, 0, 3]),
					max_household_size=rng.choice([0, 0, 5]),
					residency_required=rng.choice([0, 1]),
				).name
			)
		rules = load_rules(services)
		published = {
			s["name"]: s["x_tolink_eligibility"]
			for s in self.services(per_page=100, search="Regole")["contents"]
		}
		for _ in range(300):
			person = Person(
				age=rng.choice([None, 15, 25, 40, 70]),
				district=rng.choice([None, "2", "6", "8"]),
				isee=rng.choice([None, 3000.0, 9000.0, 20000.0]),
				isee_valid_until=getdate(rng.choice(["2020-01-01", "2099-12-31"])),
				household_size=rng.choice([1, 3, 6]),
				resident=rng.choice([True, False]),
			)
			for name in services:
				x = published[frappe.db.get_value("Service", name, "service_name")]
				self.assertEqual(judge(x, person), is_eligible(rules[name], person), (x, person))


def judge(x: dict, person) -> bool:
	"""How another system applies the published rules (the extension's description says it)."""
	age, isee = person.age, person.valid_isee
	if (x["min_age"] or x["max_age"]) and age is None:
		return False
	if (x["min_age"] and age < x["min_age"]) or (x["max_age"] and age > x["max_age"]):
		return False
	if x["districts"] and person.district not in x["districts"]:
		return False
	if x["max_isee_eur"] and (isee is None or isee > x["max_isee_eur"]):
		return False
	if x["min_household_size"] and person.household_size < x["min_household_size"]:
		return False
	if x["max_household_size"] and person.household_size > x["max_household_size"]:
		return False
	return not (x["residency_in_turin_required"] and not person.resident)


class TestPublicDirectoryPage(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.tag = uid()
		self.org = make_provider()
		today_name = WEEKDAYS[getdate(today()).weekday()]
		other_day = WEEKDAYS[(getdate(today()).weekday() + 1) % 7]
		make_service(
			self.org,
			needs=("Food parcels",),
			districts=("6",),
			service_name=f"Panieri {self.tag}",
			schedules=[{"weekday": today_name, "opens_at": "09:00", "closes_at": "12:00"}],
		)
		make_service(
			self.org,
			needs=("Canteens",),
			service_name=f"Mensa {self.tag}",
			schedules=[{"weekday": other_day, "opens_at": "18:00", "closes_at": "20:00"}],
		)
		make_service(self.org, needs=("Rent support",), districts=("2",), service_name=f"Casa {self.tag}")
		make_service(self.org, needs=("Canteens",), service_name=f"Sospeso {self.tag}", status="Suspended")
		hsds.invalidate()

	def tearDown(self):
		frappe.db.rollback()

	def names(self, **kw):
		return {s["name"] for s in public_directory.search(text=self.tag, **kw)["services"]}

	def test_search_by_need_district_and_open_today(self):
		everything = {f"Panieri {self.tag}", f"Mensa {self.tag}", f"Casa {self.tag}"}
		self.assertEqual(self.names(), everything)
		self.assertEqual(self.names(need="Food"), {f"Panieri {self.tag}", f"Mensa {self.tag}"})
		self.assertEqual(self.names(district="6"), {f"Panieri {self.tag}", f"Mensa {self.tag}"})
		self.assertEqual(self.names(district="2"), {f"Mensa {self.tag}", f"Casa {self.tag}"})
		self.assertEqual(self.names(open_today="1"), {f"Panieri {self.tag}"})
		# what is not a known need or district is ignored, not an error
		self.assertEqual(self.names(need="' or 1=1", district=["6"]), everything)
		card = next(
			s for s in public_directory.search(text=self.tag)["services"] if s["name"].startswith("Panieri")
		)
		self.assertEqual(card["today"], ["09:00-12:00"])
		self.assertEqual(card["needs"], ["Food parcels"])

	def test_language(self):
		self.assertEqual(public_directory.page_language("ar", "it"), "ar")
		self.assertEqual(public_directory.page_language(None, "zh-TW"), "zh")
		self.assertEqual(public_directory.page_language("de", "de"), "it")
		self.assertEqual(frappe._("Find a service", lang="ar"), "ابحث عن خدمة")
		self.assertEqual(frappe._("Find a service", lang="it"), "Trova un servizio")
		for lang in ("fr", "ro", "zh"):
			self.assertNotEqual(frappe._("Find a service", lang=lang), "Find a service", lang)
