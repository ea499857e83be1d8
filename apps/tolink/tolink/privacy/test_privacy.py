"""Who read what, the right of access, and consent withdrawal cutting sharing at once."""

import json
import os

import frappe

from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.case import CommittingTestCase


class TestAccessLog(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org = make_provider(f"Servizi {s}")
		cls.reader = make_user(f"reader-{s}@log.test", ["Reception Operator"], cls.org)
		cls.admin = make_user(f"admin-{s}@log.test", ["Network Administrator"], cls.org)
		cls.citizen = make_citizen(cls.org)
		frappe.db.commit()

	def test_reading_a_citizen_is_logged_and_reported(self):
		Client(self.reader).get_doc("Citizen", self.citizen.name)
		frappe.db.rollback()
		log = frappe.get_all(
			"Personal Data Access Log",
			filters={"citizen": self.citizen.name, "user": self.reader},
			fields=["provider", "endpoint", "reference_doctype"],
		)
		self.assertTrue(log)
		self.assertEqual(log[0].provider, self.org)
		self.assertEqual(log[0].reference_doctype, "Citizen")
		self.assertIn("/api/resource/Citizen", log[0].endpoint)

		report = Client(self.admin).get(
			"frappe.desk.query_report.run",
			report_name="Personal Data Access",
			filters=json.dumps({"citizen": self.citizen.name}),
		)
		self.assertIn(self.reader, [r["user"] for r in report["result"] if isinstance(r, dict)])
		with self.assertRaises(RestError):
			Client(self.reader).get(
				"frappe.desk.query_report.run",
				report_name="Personal Data Access",
				filters=json.dumps({"citizen": self.citizen.name}),
			)


class TestAccessRequest(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.citizen = make_citizen(self.org)
		self.household = make_household(self.org, [self.citizen], isee=1000)
		make_consent(self.citizen.name, self.org, purpose="Reception")
		self.author = make_user(f"psy-{uid()}@sar.test", ["Psychologist"], self.org)
		frappe.set_user(self.author)
		frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Restricted",
				"subject": "s",
				"note": "riservata",
			}
		).insert()
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_controller_gets_everything_as_a_file(self):
		from tolink.api.desk import export_citizen

		admin = make_user(f"adm-{uid()}@sar.test", ["Network Administrator"], self.org)
		frappe.set_user(admin)
		result = export_citizen(self.citizen.name)
		frappe.set_user("Administrator")
		self.assertEqual(result["records"]["Citizen"], 1)
		self.assertEqual(result["records"]["Household"], 1)
		self.assertEqual(result["records"]["Consent"], 1)
		self.assertEqual(result["records"]["Case Note"], 1)  # notes included for the data controller
		self.assertIn(self.citizen.codice_fiscale, result["content"])
		self.assertIn("riservata", result["content"])
		self.assertEqual(result["file_name"], f"accesso-dati-{self.citizen.name}.json")
		# handed to the caller, never stored (a File attached to the citizen reaches every colleague)
		self.assertNotIn("file_url", result)
		self.assertFalse(frappe.db.exists("File", {"file_name": result["file_name"]}))
		self.assertTrue(
			frappe.db.exists(
				"Personal Data Access Log",
				{"citizen": self.citizen.name, "endpoint": "access request export"},
			)
		)

	def test_the_pathways_records_are_in_the_export(self):
		from tolink.api.desk import export_citizen
		from tolink.privacy.test_anonymise import add_pathway_records

		admin = make_user(f"adm-{uid()}@sar.test", ["Network Administrator"], self.org)
		cm = make_user(f"cm-{uid()}@sar.test", ["Case Manager"], self.org)
		marker = f"Segnaposto{uid()}"
		records = add_pathway_records(self.citizen, self.household, self.org, cm, marker)
		frappe.set_user(admin)
		result = export_citizen(self.citizen.name)
		frappe.set_user("Administrator")
		exported = json.loads(result["content"])["records"]
		for doctype, name in records.items():
			if doctype == "files":
				continue
			self.assertEqual(result["records"][doctype], 1, doctype)
			self.assertEqual(exported[doctype][0]["name"], name, doctype)
		# child tables come with their record, their free text included
		profile = exported["Employment Profile"][0]
		self.assertIn(marker, profile["history"][0]["notes"])
		self.assertIn(marker, profile["qualifications"][0]["qualification"])
		self.assertIn(marker, exported["Work Measure"][0]["attendance"][0]["notes"])
		self.assertIn(marker, exported["Housing Situation"][0]["history"][0]["address"])
		self.assertEqual(exported["Participation"][0]["disability"], "Yes")
		# the round's row of the person's household only, never the other households on it
		self.assertEqual(exported["Round Household"][0]["household"], self.household.name)

	def test_only_network_administrators(self):
		from tolink.api.desk import export_citizen

		staff = make_user(f"cm-{uid()}@sar.test", ["Case Manager"], self.org)
		frappe.set_user(staff)
		with self.assertRaises(frappe.PermissionError):
			export_citizen(self.citizen.name)


class TestConsentWithdrawal(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.partner_org = make_provider(), make_provider()
		self.cm = make_user(f"cm-{uid()}@cw.test", ["Case Manager"], self.org)
		self.partner = make_user(f"p-{uid()}@cw.test", ["Provider Staff"], self.partner_org)
		self.citizen = make_citizen(self.org)
		make_household(self.org, [self.citizen], isee=1000)
		self.consent = make_consent(self.citizen.name, self.org, partner=self.partner_org)
		frappe.set_user(self.cm)
		frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": make_service(self.partner_org).name,
			}
		).insert()
		self.note = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Network",
				"subject": "n",
				"note": "x",
			}
		).insert()
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def partner_sees_note(self):
		frappe.set_user(self.partner)
		listed = self.note.name in frappe.get_list("Case Note", pluck="name")
		readable = frappe.has_permission("Case Note", "read", doc=self.note.name)
		frappe.set_user("Administrator")
		self.assertEqual(listed, readable)
		return readable

	def test_withdrawal_stops_sharing_at_once(self):
		self.assertTrue(self.partner_sees_note())
		self.consent.withdraw("The person asked")
		self.assertFalse(self.partner_sees_note())

	def test_the_partner_and_the_sender_are_told(self):
		def told(user):
			return frappe.db.count("Notification Log", {"for_user": user, "document_type": "Referral"})

		before = {user: told(user) for user in (self.partner, self.cm)}
		self.consent.withdraw("The person asked")
		for user, count in before.items():
			self.assertEqual(told(user), count + 1, user)


class TestStoredExportsRemoved(CommittingTestCase):
	def test_the_patch_deletes_old_exports_from_disk(self):
		from tolink.patches.v0_1.remove_stored_access_exports import execute

		frappe.set_user("Administrator")
		citizen = make_citizen(make_provider())
		old = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"accesso-dati-{citizen.name}.json",
				"attached_to_doctype": "Citizen",
				"attached_to_name": citizen.name,
				"is_private": 1,
				"content": '{"Case Note": []}',
			}
		).insert(ignore_permissions=True)
		kept = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "carta-identita.txt",
				"attached_to_doctype": "Citizen",
				"attached_to_name": citizen.name,
				"is_private": 1,
				"content": "documento",
			}
		).insert(ignore_permissions=True)
		path = old.get_full_path()
		self.assertTrue(os.path.exists(path))
		execute()
		self.assertFalse(frappe.db.exists("File", old.name))
		self.assertFalse(os.path.exists(path))
		self.assertTrue(frappe.db.exists("File", kept.name))
		frappe.db.rollback()
