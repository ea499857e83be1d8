"""Helpline calls to intakes, and psychological support sessions only psychologists read."""

import frappe

from tolink.api.desk import make_intake
from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase

CLINICAL = "Ideazione suicidaria riferita"


class TestHelplineCall(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.operator = make_user(f"op-{uid()}@call.test", ["Reception Operator"], self.org)
		self.citizen = make_citizen(self.org)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, **kw):
		frappe.set_user(self.operator)
		return frappe.get_doc({"doctype": "Helpline Call", "reason": "Food", "triage": "High", **kw}).insert()

	def test_one_click_intake_from_a_call(self):
		call = self.call(caller_type="Known citizen", citizen=self.citizen.name, notes="No food since Monday")
		intake = make_intake(call.name)
		self.assertEqual(intake.channel, "Helpline")
		self.assertEqual(intake.citizen, self.citizen.name)
		self.assertEqual(intake.needs[0].need_category, "Food parcels")
		self.assertEqual(intake.needs[0].urgency, "High")
		intake.insert()
		call.reload()
		self.assertEqual(call.intake, intake.name)
		self.assertEqual(call.outcome, "Intake opened")
		self.assertEqual(call.operator, self.operator)

	def test_anonymous_call_needs_registration_first(self):
		call = self.call(caller_type="Anonymous")
		with self.assertRaises(frappe.ValidationError):
			make_intake(call.name)

	def test_callback_needs_a_time(self):
		with self.assertRaises(frappe.ValidationError):
			self.call(caller_type="Anonymous", outcome="Callback scheduled")
