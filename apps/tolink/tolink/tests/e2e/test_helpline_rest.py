"""Psychological support sessions over REST: only psychologists read them."""

import frappe

from tolink.api.desk import session_counts
from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.rest import Client, RestError, make_user
from tolink.helpline.test_helpline import CLINICAL
from tolink.tests.case import CommittingTestCase


class TestSupportSessionsOverREST(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org = make_provider(f"Ascolto {s}")
		cls.psy = make_user(f"psy-{s}@sup.test", ["Psychologist"], cls.org)
		cls.psy_colleague = make_user(f"psy2-{s}@sup.test", ["Psychologist"], cls.org)
		cls.case_manager = make_user(f"cm-{s}@sup.test", ["Case Manager"], cls.org)
		cls.other_psy = make_user(f"psy3-{s}@sup.test", ["Psychologist"], make_provider())
		cls.admin = make_user(f"adm-{s}@sup.test", ["Network Administrator"], cls.org)
		# a System Manager is never staff (no organisation, no To Link role): an account of its own
		cls.system_manager = make_user(f"sysman-{s}@sup.test", ["System Manager"])
		cls.citizen = make_citizen(cls.org)
		frappe.db.commit()
		cls.session = Client(cls.psy).insert(
			{
				"doctype": "Support Session",
				"citizen": cls.citizen.name,
				"risk_level": "High",
				"notes": CLINICAL,
			}
		)

	def test_psychologists_of_the_organisation_read_it(self):
		c = Client(self.psy_colleague)
		self.assertIn(CLINICAL, c.get_doc("Support Session", self.session["name"])["notes"])
		self.assertIn(CLINICAL, str(c.get_list("Support Session", fields=["name", "notes"])))

	def test_no_one_else_reads_it(self):
		for user in (self.case_manager, self.other_psy, self.admin, self.system_manager):
			c = Client(user)
			with self.assertRaises(RestError):
				c.get_doc("Support Session", self.session["name"])
			try:
				rows = c.get_list("Support Session", fields=["name", "notes"])
			except RestError:
				rows = []
			self.assertNotIn(CLINICAL, str(rows), user)
			self.assertEqual(rows, [], user)
			try:
				count = c.count("Support Session")
			except RestError:
				count = 0
			self.assertEqual(count, 0, user)

	def test_case_manager_gets_counts(self):
		frappe.set_user(self.case_manager)
		counts = session_counts(self.citizen.name)
		frappe.set_user("Administrator")
		self.assertEqual(counts["sessions"], 1)
		self.assertNotIn(CLINICAL, str(counts))

	def test_reads_are_logged(self):
		Client(self.psy_colleague).get_doc("Support Session", self.session["name"])
		frappe.db.rollback()
		self.assertTrue(
			frappe.db.exists(
				"Personal Data Access Log",
				{
					"user": self.psy_colleague,
					"reference_doctype": "Support Session",
					"reference_name": self.session["name"],
				},
			)
		)
