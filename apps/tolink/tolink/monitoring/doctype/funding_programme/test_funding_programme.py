# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, add_months, today

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.monitoring import make_funding_programme, make_participation
from tolink.devtools.rest import make_user
from tolink.monitoring.doctype.funding_programme import funding_programme
from tolink.tests.case import CommittingTestCase

# the doctypes that say which programme funds them (a Link field each, no import of monitoring)
FUNDED = ("Service", "Voucher Programme", "Distribution Round", "Welfare Plan")


class TestFundingProgramme(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org = make_provider(f"Programmi {s}")
		cls.admin = make_user(f"admin-{s}@programme.test", ["Network Administrator"], cls.org)
		cls.cm = make_user(f"cm-{s}@programme.test", ["Case Manager"], cls.org)
		frappe.db.commit()

	def setUp(self):
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_named_by_its_code_with_a_period_in_order(self):
		frappe.set_user(self.admin)
		code = f"PNRR-M5C2-{uid()}"
		doc = make_funding_programme(
			programme_code=f"  {code} ", fund="NRRP", managing_body="Città di Torino"
		)
		self.assertEqual(doc.name, code)
		with self.assertRaisesRegex(frappe.ValidationError, "prima di iniziare"):
			make_funding_programme(from_date=today(), to_date=add_days(today(), -1))

	def test_the_funds_are_the_select(self):
		options = frappe.get_meta("Funding Programme").get_field("fund").options.split("\n")
		self.assertEqual(tuple(o for o in options if o), funding_programme.FUNDS)

	def test_a_shorter_period_keeps_its_participations(self):
		frappe.set_user("Administrator")
		programme = make_funding_programme(from_date=add_months(today(), -6))
		citizen = make_citizen(self.org)
		frappe.set_user(self.cm)
		make_participation(
			citizen.name, programme.name, labour_status="Inactive", entry_date=add_months(today(), -5)
		)
		frappe.set_user(self.admin)
		programme.reload()
		programme.from_date = add_months(today(), -1)
		with self.assertRaisesRegex(frappe.ValidationError, "fuori dal nuovo periodo"):
			programme.save()

	def test_staff_read_network_administrators_write(self):
		frappe.set_user("Administrator")
		name = make_funding_programme().name
		frappe.set_user(self.cm)
		self.assertTrue(frappe.has_permission("Funding Programme", "read", doc=name))
		self.assertFalse(frappe.has_permission("Funding Programme", "write", doc=name))
		self.assertFalse(frappe.has_permission("Funding Programme", "create"))
		frappe.set_user(self.admin)
		self.assertTrue(frappe.has_permission("Funding Programme", "write", doc=name))

	def test_funded_doctypes_link_to_it(self):
		for doctype in FUNDED:
			df = frappe.get_meta(doctype).get_field("funding_programme")
			self.assertEqual((df.fieldtype, df.options, df.reqd), ("Link", "Funding Programme", 0), doctype)
		self.assertEqual(frappe._("Funding Programme", lang="it"), "Programma di finanziamento")
