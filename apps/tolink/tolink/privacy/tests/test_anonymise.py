"""Erasure: nothing identifying remains anywhere, and the counts funders see stay right."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, now_datetime

from tolink.privacy.anonymise import anonymise_citizen, apply_retention
from tolink.tests.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.tests.rest import make_user


class TestAnonymise(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.partner = make_provider(), make_provider()
		self.cm = make_user(f"cm-{uid()}@anon.test", ["Case Manager"], self.org)
		self.citizen = make_citizen(
			self.org,
			first_name="Giovanna",
			last_name=f"Identificabile{uid(4)}",
			phone="3331234567",
			email="giovanna@example.com",
			address="Via Nizza 12, Torino",
		)
		self.household = make_household(self.org, [self.citizen], isee=1000)
		make_consent(self.citizen.name, self.org, partner=self.partner)
		frappe.set_user(self.cm)
		self.referral = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": make_service(self.partner).name,
				"note_for_provider": f"{self.citizen.full_name} needs food",
			}
		).insert()
		self.note = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Organisation",
				"subject": "s",
				"note": "x",
			}
		).insert()
		frappe.set_user("Administrator")
		# a trace outside the records: a comment and a version
		self.citizen.add_comment("Comment", f"Called {self.citizen.full_name}")
		self.citizen.reload()
		self.citizen.notes = "Changed"
		self.citizen.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def identifiers(self):
		return [
			self.citizen.full_name,
			self.citizen.codice_fiscale,
			self.citizen.last_name,
			"3331234567",
			"giovanna@example.com",
		]

	def test_nothing_identifying_remains(self):
		before = {
			dt: frappe.db.count(dt) for dt in ("Citizen", "Household", "Referral", "Case Note", "Consent")
		}
		anonymise_citizen(self.citizen.name)
		tables = (
			"tabCitizen",
			"tabHousehold",
			"tabHousehold Member",
			"tabReferral",
			"tabCase Note",
			"tabConsent",
			"tabVersion",
			"tabComment",
			"tabDeleted Document",
			"tabNotification Log",
			"__global_search",
		)
		for table in tables:
			rows = frappe.db.sql(f"select * from `{table}`", as_dict=True)
			text = json.dumps(rows, default=str)
			for identifier in self.identifiers():
				self.assertNotIn(identifier, text, f"{identifier} still in {table}")
		after = {dt: frappe.db.count(dt) for dt in before}
		self.assertEqual(before, after)  # counts stay right
		c = frappe.db.get_value(
			"Citizen", self.citizen.name, ["status", "district", "sex", "birth_date"], as_dict=True
		)
		self.assertEqual(c.status, "Anonymised")
		self.assertEqual((c.district, c.sex), (self.citizen.district, self.citizen.sex))
		self.assertEqual((c.birth_date.month, c.birth_date.day), (1, 1))

	def test_retention_job_anonymises_inactive_people_only(self):
		frappe.db.set_single_value("To Link Settings", "citizen_retention_months", 60)
		old = make_citizen(self.org)
		long_ago = add_months(now_datetime(), -70)
		frappe.db.set_value("Citizen", old.name, "modified", long_ago, update_modified=False)
		done = apply_retention()
		self.assertIn(old.name, done)
		self.assertNotIn(self.citizen.name, done)
		self.assertEqual(frappe.db.get_value("Citizen", old.name, "status"), "Anonymised")

	def test_only_network_administrators(self):
		from tolink.privacy.anonymise import anonymise

		frappe.set_user(self.cm)
		with self.assertRaises(frappe.PermissionError):
			anonymise(self.citizen.name)
