"""Hubs in the care path, over HTTP as each side: the City refers a household to a food bank's hub,
the hub's manager accepts, the hub reads that household (and no other of the City's), hands out a
parcel, and the City sees the first parcel collected. Attacks: other food banks, writes the hub
may not make, server-owned fields, requests Desk never sends."""

import json

import frappe
from frappe.utils import now_datetime, today

from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import Client, RestError, make_user
from tolink.devtools.wait import eventually
from tolink.tests.e2e.case import LiveServerTestCase


class TestHubReferralsOverREST(LiveServerTestCase):
	roles = {"case_manager": ["Case Manager"], "reception": ["Reception Operator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.bank = make_provider(f"Banco {s}", provider_type="Food Bank")
		cls.rival = make_provider(f"Rivale {s}", provider_type="Food Bank")
		cls.manager = make_user(f"mgr-{s}@hubref.test", ["Hub Manager"], cls.bank)
		cls.volunteer = make_user(f"vol-{s}@hubref.test", ["Hub Volunteer"], cls.bank)
		cls.rival_manager = make_user(f"riv-{s}@hubref.test", ["Hub Manager"], cls.rival)
		cls.hub = make_hub(
			cls.bank, district="6", staff=[{"user": cls.manager, "hub_role": "Hub Manager"}]
		).name
		cls.rival_hub = make_hub(
			cls.rival, staff=[{"user": cls.rival_manager, "hub_role": "Hub Manager"}]
		).name
		receive(cls.hub, "Pasta", 40)
		cls.service = make_service(cls.bank, districts=("6",), capacity=10, distribution_hub=cls.hub)
		cls.head = make_citizen(cls.org, district="6", last_name=f"Riservato{s}")
		cls.household = make_household(cls.org, [cls.head], isee=2500)
		make_consent(cls.head.name, cls.org, partner=cls.bank)
		# another household of the City, never referred: the hub must not see it
		cls.other = make_household(cls.org, [make_citizen(cls.org, last_name=f"Estraneo{s}")])
		frappe.db.commit()
		cls.city = cls.client("case_manager")
		cls.referral = cls.city.insert(
			{"doctype": "Referral", "citizen": cls.head.name, "service": cls.service.name}
		)
		Client(cls.manager).post(
			"tolink.api.partner.respond_to_referral", referral=cls.referral["name"], decision="accept"
		)

	def test_the_hub_reads_the_referred_household_and_no_other(self):
		hub = Client(self.manager)
		self.assertEqual(hub.get_doc("Household", self.household.name)["name"], self.household.name)
		names = [h["name"] for h in hub.get_list("Household", fields=["name"], limit=1000)]
		self.assertIn(self.household.name, names)
		self.assertNotIn(self.other.name, names)
		for attack in (
			{"filters": json.dumps([["Household", "name", "=", self.other.name]])},
			{"or_filters": json.dumps([["Household", "name", "=", self.other.name]])},
			{"filters": json.dumps({"provider": self.org})},
		):
			rows = hub.request(
				"GET", "/api/resource/Household", params={"fields": '["name"]', **attack}
			).json()
			self.assertNotIn(self.other.name, [r["name"] for r in rows.get("data", [])], attack)
		with self.assertRaises(RestError) as ctx:
			hub.get_doc("Household", self.other.name)
		self.assertIn(ctx.exception.status_code, (403, 404))
		self.assertEqual(hub.count("Household", {"name": self.other.name}), 0)

	def test_the_hub_cannot_change_the_household_or_what_the_app_records(self):
		hub = Client(self.manager)
		with self.assertRaises(RestError) as ctx:
			hub.update("Household", self.household.name, {"notes": "cambiato dallo snodo"})
		self.assertIn(ctx.exception.status_code, (403, 417))
		enrolment = hub.get_list(
			"Hub Enrolment", fields=["name"], filters={"household": self.household.name}
		)[0]
		for doctype, name, values in (
			("Referral", self.referral["name"], {"first_collection_on": today()}),
			("Referral", self.referral["name"], {"missed_collections": 5}),
			("Hub Enrolment", enrolment["name"], {"needs_attention": 1, "missed_in_a_row": 7}),
			("Hub Enrolment", enrolment["name"], {"referral": None, "source": "Hub's own"}),
			("Hub Enrolment", enrolment["name"], {"status": "Ended"}),
			("Hub Enrolment", enrolment["name"], {"household": self.other.name}),
		):
			with self.assertRaises(RestError) as ctx:
				hub.update(doctype, name, values)
			self.assertIn(ctx.exception.status_code, (403, 417), (doctype, values))
		# nothing changed (a write of the same value is no change, so the attacks above change values)
		self.assertEqual(hub.get_doc("Referral", self.referral["name"])["missed_collections"], 0)
		self.assertEqual(hub.get_doc("Hub Enrolment", enrolment["name"])["source"], "Referral")

	def test_the_sender_cannot_write_what_the_app_records_either(self):
		"""The sender may edit its referral, but an empty date the app owns stays empty: sending
		today's date is a change (an empty date is not today)."""
		head = make_citizen(self.org, district="6", last_name=f"Mittente{uid()}")
		make_household(self.org, [head], isee=2500)
		make_consent(head.name, self.org, partner=self.bank)
		frappe.db.commit()
		referral = self.city.insert(
			{"doctype": "Referral", "citizen": head.name, "service": self.service.name}
		)
		for values in ({"first_collection_on": today()}, {"escalated_on": str(now_datetime())}):
			with self.assertRaises(RestError) as ctx:
				self.city.update("Referral", referral["name"], values)
			self.assertEqual(ctx.exception.status_code, 417, values)
			self.assertIn("ServerOwnedFieldError", str(ctx.exception), values)
		stored = frappe.db.get_value(
			"Referral", referral["name"], ["first_collection_on", "escalated_on"], as_dict=True
		)
		self.assertEqual((stored.first_collection_on, stored.escalated_on), (None, None))

	def test_another_food_bank_gets_nothing(self):
		rival = Client(self.rival_manager)
		self.assertNotIn(
			self.household.name, [r["name"] for r in rival.get_list("Household", fields=["name"], limit=1000)]
		)
		self.assertNotIn(
			self.referral["name"],
			[r["name"] for r in rival.get_list("Referral", fields=["name"], limit=1000)],
		)
		self.assertNotIn(
			self.household.name,
			[r["household"] for r in rival.get_list("Hub Enrolment", fields=["household"], limit=1000)],
		)
		self.assertEqual(rival.count("Hub Enrolment", {"household": self.household.name}), 0)
		with self.assertRaises(RestError) as ctx:
			rival.get_doc("Household", self.household.name)
		self.assertIn(ctx.exception.status_code, (403, 404))
		# a round of its own naming the household: refused as if it did not exist
		with self.assertRaises(RestError) as ctx:
			rival.insert(
				{
					"doctype": "Distribution Round",
					"hub": self.rival_hub,
					"from_date": today(),
					"to_date": today(),
					"households": [{"household": self.household.name}],
				}
			)
		self.assertIn(ctx.exception.status_code, (404, 417))
		with self.assertRaises(RestError) as ctx:
			rival.insert(
				{"doctype": "Hub Enrolment", "hub": self.rival_hub, "household": self.household.name}
			)
		self.assertIn(ctx.exception.status_code, (404, 417))
		# the bank's round cannot be filled by another bank
		bank_round = Client(self.manager).insert(
			{"doctype": "Distribution Round", "hub": self.hub, "from_date": today(), "to_date": today()}
		)
		with self.assertRaises(RestError) as ctx:
			rival.post("tolink.api.desk.add_listed_households", distribution_round=bank_round["name"])
		self.assertIn(ctx.exception.status_code, (403, 404))

	def test_the_parcel_reaches_the_city(self):
		hub = Client(self.manager)
		current = hub.insert(
			{"doctype": "Distribution Round", "hub": self.hub, "from_date": today(), "to_date": today()}
		)
		self.assertIn(self.household.name, [r["household"] for r in current["households"]])
		volunteer = Client(self.volunteer)
		delivery = volunteer.insert(
			{
				"doctype": "Parcel Delivery",
				"hub": self.hub,
				"household": self.household.name,
				"distribution_round": current["name"],
				"items": [{"aid_item": "Pasta", "qty": 1}],
			}
		)
		volunteer.post("frappe.client.submit", doc=volunteer.get_doc("Parcel Delivery", delivery["name"]))
		seen = eventually(lambda: self.city.get_doc("Referral", self.referral["name"])["first_collection_on"])
		self.assertEqual(seen, today())
