"""Hubs in the care path: a referral to a service a hub runs is answered by the hub's manager;
accepting it puts the household on the hub's list and into its next round; the hub reads the
household while the referral is worked on and consent stands; the sender sees the first parcel
collected and the collections missed; two missed collections in a row escalate."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, today

from tolink.api.desk import add_listed_households, aid_request_options, send_to_hub
from tolink.care_path import requests
from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.distribution import enrolment
from tolink.distribution.enrolment import NoHouseholdError
from tolink.distribution.permissions import household_query_conditions
from tolink.tests.case import CommittingTestCase


class TestHubEnrolment(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		s = uid()
		self.city = make_provider(f"Comune {s}")
		self.bank = make_provider(f"Banco {s}", provider_type="Food Bank")
		self.other = make_provider(f"Altro {s}")
		self.hub = make_hub(self.bank, district="6").name
		receive(self.hub, "Pasta", 100)
		self.template = frappe.db.get_value("Parcel Template", {}, "name")
		self.service = make_service(self.bank, districts=("6",), capacity=10)
		self.service.distribution_hub = self.hub
		self.service.parcel_template = self.template
		self.service.save()
		self.head = make_citizen(self.city, district="6")
		self.household = make_household(self.city, [self.head, make_citizen(self.city)], isee=3000)
		make_consent(self.head.name, self.city, partner=self.bank)
		self.case_manager = make_user(f"cm-{s}@hub.test", ["Case Manager"], self.city)
		self.reception = make_user(f"acc-{s}@hub.test", ["Reception Operator"], self.city)
		self.manager = make_user(f"mgr-{s}@hub.test", ["Hub Manager"], self.bank)
		self.volunteer = make_user(f"vol-{s}@hub.test", ["Hub Volunteer"], self.bank)
		self.outsider = make_user(f"out-{s}@hub.test", ["Hub Manager"], self.other)
		hub = frappe.get_doc("Distribution Hub", self.hub)
		hub.append("staff", {"user": self.manager, "hub_role": "Hub Manager"})
		hub.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def refer(self):
		frappe.set_user(self.case_manager)
		doc = frappe.get_doc(
			{"doctype": "Referral", "citizen": self.head.name, "service": self.service.name}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def accept(self, referral):
		frappe.set_user(self.manager)
		doc = apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")
		frappe.set_user("Administrator")
		return doc

	def make_round(self, days_from=0, days_to=3, user=None):
		frappe.set_user(user or self.manager)
		doc = frappe.get_doc(
			{
				"doctype": "Distribution Round",
				"hub": self.hub,
				"from_date": add_days(today(), days_from),
				"to_date": add_days(today(), days_to),
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def enrolment(self, referral):
		return frappe.get_doc("Hub Enrolment", {"referral": referral.name})

	def test_the_hub_manager_accepts_and_the_household_is_on_the_list_and_in_the_next_round(self):
		planned = self.make_round(days_from=1, days_to=5)
		referral = self.refer()
		# the hub's manager is told (the food bank has no Provider Staff)
		told = frappe.get_all(
			"Notification Log",
			filters={"document_type": "Referral", "document_name": referral.name},
			pluck="for_user",
		)
		self.assertEqual(told, [self.manager])
		self.assertEqual(self.accept(referral).status, "Accepted")
		enrolment = self.enrolment(referral)
		self.assertEqual(
			(enrolment.hub, enrolment.household, enrolment.status, enrolment.source, enrolment.provider),
			(self.hub, self.household.name, "Active", "Referral", self.bank),
		)
		self.assertEqual(enrolment.parcel_template, self.template)
		planned.reload()
		self.assertEqual([r.household for r in planned.households], [self.household.name])
		self.assertEqual(planned.households[0].parcel_template, self.template)
		# a new round takes the hub's list
		self.assertIn(self.household.name, [r.household for r in self.make_round(6, 8).households])

	def test_the_hub_reads_the_referred_household_only_while_consent_and_referral_stand(self):
		referral = self.refer()
		for user in (self.manager, self.volunteer):
			self.assertFalse(frappe.has_permission("Household", "read", doc=self.household.name, user=user))
		self.accept(referral)
		for user in (self.manager, self.volunteer):
			self.assertTrue(frappe.has_permission("Household", "read", doc=self.household.name, user=user))
			self.assertFalse(frappe.has_permission("Household", "write", doc=self.household.name, user=user))
			frappe.set_user(user)
			self.assertEqual(
				frappe.get_list("Household", filters={"name": self.household.name}, pluck="name"),
				[self.household.name],
			)
			frappe.set_user("Administrator")
		# another food bank sees nothing
		self.assertFalse(
			frappe.has_permission("Household", "read", doc=self.household.name, user=self.outsider)
		)
		frappe.set_user(self.outsider)
		self.assertEqual(frappe.get_list("Household", filters={"name": self.household.name}), [])
		frappe.set_user("Administrator")
		# consent withdrawn: at once
		consent = frappe.db.get_value(
			"Consent", {"citizen": self.head.name, "partner": self.bank, "status": "Active"}
		)
		frappe.get_doc("Consent", consent).withdraw("ritirato")
		self.assertFalse(
			frappe.has_permission("Household", "read", doc=self.household.name, user=self.manager)
		)
		frappe.set_user(self.manager)
		self.assertEqual(frappe.get_list("Household", filters={"name": self.household.name}), [])

	def test_an_organisation_without_referred_households_keeps_the_one_column_rule(self):
		self.assertNotIn("Hub Enrolment", household_query_conditions(user=self.case_manager))
		self.assertNotIn("Hub Enrolment", household_query_conditions(user=self.manager))
		self.accept(self.refer())
		self.assertIn("Hub Enrolment", household_query_conditions(user=self.manager))

	def test_a_referral_that_ends_takes_the_household_off_the_list(self):
		referral = self.accept(self.refer())
		frappe.set_user(self.manager)
		apply_workflow(frappe.get_doc("Referral", referral.name), "Start")
		frappe.set_user(self.case_manager)
		apply_workflow(frappe.get_doc("Referral", referral.name), "Cancel")
		frappe.set_user("Administrator")
		self.assertEqual(self.enrolment(referral).status, "Ended")
		self.assertFalse(
			frappe.has_permission("Household", "read", doc=self.household.name, user=self.manager)
		)
		self.assertNotIn(self.household.name, [r.household for r in self.make_round().households])
		# the hub cannot reopen the enrolment to read the household again
		frappe.set_user(self.manager)
		enrolment = self.enrolment(referral)
		enrolment.status = "Active"
		with self.assertRaises(frappe.PermissionError):
			enrolment.save()
		frappe.set_user("Administrator")
		self.assertEqual(self.enrolment(referral).status, "Ended")

	def test_the_sender_sees_the_first_parcel_and_the_missed_collections(self):
		referral = self.accept(self.refer())
		# two rounds that ended without the household collecting
		for start in (-20, -10):
			self.make_round(days_from=start, days_to=start + 2, user="Administrator")
		self.assertEqual(
			len(frappe.get_all("Round Household", filters={"household": self.household.name})), 2
		)
		escalated = enrolment.record_missed_collections()
		self.assertEqual(escalated, [self.enrolment(referral).name])
		self.assertEqual(enrolment.record_missed_collections(), [], "each round is looked at once")
		e = self.enrolment(referral)
		self.assertEqual((e.missed_in_a_row, e.needs_attention), (2, 1))
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "missed_collections"), 2)
		told = frappe.get_all(
			"Notification Log",
			filters={"document_type": "Hub Enrolment", "document_name": e.name},
			pluck="for_user",
		)
		self.assertEqual(sorted(told), sorted([self.manager, self.case_manager]))
		# the household collects at the counter: the sender learns of the first parcel
		current = self.make_round(days_from=0, days_to=2)
		frappe.set_user(self.volunteer)
		delivery = frappe.get_doc(
			{
				"doctype": "Parcel Delivery",
				"hub": self.hub,
				"household": self.household.name,
				"distribution_round": current.name,
				"items": [{"aid_item": "Pasta", "qty": 2}],
			}
		).insert()
		delivery.submit()
		frappe.set_user("Administrator")
		self.assertEqual(str(frappe.db.get_value("Referral", referral.name, "first_collection_on")), today())
		e.reload()
		self.assertEqual((e.missed_in_a_row, e.needs_attention, str(e.first_collection_on)), (0, 0, today()))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"document_type": "Referral", "document_name": referral.name, "for_user": self.case_manager},
			)
		)

	def test_a_referral_to_a_hub_needs_a_household(self):
		alone = make_citizen(self.city)
		make_consent(alone.name, self.city, partner=self.bank)
		frappe.set_user(self.case_manager)
		with self.assertRaises(NoHouseholdError):
			frappe.get_doc(
				{"doctype": "Referral", "citizen": alone.name, "service": self.service.name}
			).insert()

	def test_a_service_names_a_hub_of_its_own_organisation(self):
		foreign = make_hub(self.other).name
		self.service.distribution_hub = foreign
		with self.assertRaises(frappe.ValidationError):
			self.service.save()

	def test_outsiders_cannot_fill_a_round_or_enrol_a_household(self):
		self.accept(self.refer())
		current = self.make_round()
		frappe.set_user(self.outsider)
		with self.assertRaises(frappe.PermissionError):
			add_listed_households(current.name)
		# the outsider's own hub cannot list the household it does not reach
		their_hub = make_hub(self.other).name
		frappe.set_user("Administrator")
		hub = frappe.get_doc("Distribution Hub", their_hub)
		hub.append("staff", {"user": self.outsider, "hub_role": "Hub Manager"})
		hub.save()
		frappe.set_user(self.outsider)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{"doctype": "Hub Enrolment", "hub": their_hub, "household": self.household.name}
			).insert()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Distribution Round",
					"hub": their_hub,
					"from_date": today(),
					"to_date": today(),
					"households": [{"household": self.household.name}],
				}
			).insert()


class TestRequestsThatTravel(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		s = uid()
		self.city = make_provider(f"Comune {s}")
		self.bank = make_provider(f"Banco {s}", provider_type="Food Bank")
		self.near = make_hub(self.bank, district="6").name
		self.far = make_hub(self.bank, district="5").name
		self.near_service = make_service(self.bank, capacity=5, service_name=f"Panieri vicino {s}")
		self.far_service = make_service(self.bank, capacity=50, service_name=f"Panieri lontano {s}")
		for service, hub in ((self.near_service, self.near), (self.far_service, self.far)):
			service.distribution_hub = hub
			service.save()
		self.head = make_citizen(self.city, district="6")
		self.household = make_household(self.city, [self.head], isee=3000, district="6")
		make_consent(self.head.name, self.city, partner=self.bank)
		self.operator = make_user(f"acc-{s}@req.test", ["Reception Operator"], self.city)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, **kw):
		frappe.set_user(self.operator)
		doc = frappe.get_doc(
			{"doctype": "Helpline Call", "caller_type": "Known citizen", "citizen": self.head.name, **kw}
		).insert()
		return doc

	def test_a_call_asking_for_food_is_sent_to_the_hub_of_the_district(self):
		call = self.call(reason="Food")
		options = aid_request_options("Helpline Call", call.name)
		self.assertEqual(options["asks"], ["parcel"])
		parcel = options["parcel"]
		mine = [
			o
			for o in [parcel, *parcel["others"]]
			if o.get("service") in (self.near_service.name, self.far_service.name)
		]
		self.assertEqual([o["service"] for o in mine], [self.near_service.name, self.far_service.name])
		self.assertEqual(mine[0]["hub"], self.near)
		self.assertIn(frappe._("the hub serves the household's district"), mine[0]["reasons"])
		sent = send_to_hub("Helpline Call", call.name, self.near_service.name)
		referral = frappe.get_doc("Referral", sent["referral"])
		self.assertEqual(
			(referral.service, referral.status, referral.provider),
			(self.near_service.name, "Sent", self.city),
		)

	def test_a_full_hub_is_passed_over(self):
		frappe.db.set_value("Service", self.near_service.name, "capacity_used", 5)
		parcel = requests.propose_hub(self.head.name, self.household.name)
		# other tests' hubs may be in the network too: the order of these two is what counts
		mine = [
			o
			for o in [parcel, *parcel["others"]]
			if o.get("service") in (self.near_service.name, self.far_service.name)
		]
		self.assertEqual([o["service"] for o in mine], [self.far_service.name, self.near_service.name])
		self.assertFalse(mine[1]["eligible"])
		self.assertIn(frappe._("no places left"), mine[1]["reasons"])

	def test_an_intake_need_for_food_travels_too(self):
		frappe.set_user(self.operator)
		intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": self.head.name,
				"channel": "Front office",
				"needs": [{"need_category": "Food parcels"}, {"need_category": "Shopping vouchers"}],
			}
		).insert()
		self.assertEqual(requests.asked_for(intake), ["parcel", "voucher"])
		sent = send_to_hub("Intake", intake.name, self.far_service.name)
		self.assertEqual(frappe.db.get_value("Referral", sent["referral"], "intake"), intake.name)

	def test_without_consent_nothing_is_sent(self):
		consent = frappe.db.get_value("Consent", {"citizen": self.head.name, "partner": self.bank})
		frappe.db.set_value("Consent", consent, "status", "Withdrawn")
		call = self.call(outcome="Parcel requested", reason="Other")
		self.assertFalse(aid_request_options("Helpline Call", call.name)["parcel"]["consent"])
		with self.assertRaises(requests.RequestError):
			send_to_hub("Helpline Call", call.name)
		self.assertFalse(frappe.db.exists("Referral", {"citizen": self.head.name}))

	def test_an_anonymous_call_or_another_organisations_call_is_refused(self):
		frappe.set_user(self.operator)
		anonymous = frappe.get_doc(
			{"doctype": "Helpline Call", "caller_type": "Anonymous", "reason": "Food"}
		).insert()
		with self.assertRaises(requests.RequestError):
			send_to_hub("Helpline Call", anonymous.name)
		frappe.set_user("Administrator")
		stranger = make_user(f"x-{uid()}@req.test", ["Reception Operator"], make_provider())
		call = self.call(reason="Food")
		frappe.set_user(stranger)
		with self.assertRaises(frappe.PermissionError):
			aid_request_options("Helpline Call", call.name)
		with self.assertRaises(frappe.PermissionError):
			send_to_hub("Helpline Call", call.name)
		with self.assertRaises(frappe.ValidationError):
			send_to_hub("Citizen", self.head.name)
