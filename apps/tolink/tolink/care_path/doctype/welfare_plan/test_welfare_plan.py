# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, today

from tolink.care_path.doctype.welfare_plan.welfare_plan import REVIEW_REMINDER_DAYS, send_review_reminders
from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class TestWelfarePlan(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.cm = make_user(f"cm-{uid()}@plan.test", ["Case Manager"], self.org)
		self.citizen = make_citizen(self.org)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def plan(self, **kw):
		frappe.set_user(self.cm)
		return frappe.get_doc(
			{
				"doctype": "Welfare Plan",
				"citizen": self.citizen.name,
				"case_manager": self.cm,
				"goals": [{"goal": "Find stable housing", "target_date": add_days(today(), 90)}],
				**kw,
			}
		).insert()

	def test_workflow_moves_the_plan(self):
		from frappe.model.workflow import apply_workflow

		plan = self.plan()
		self.assertEqual(plan.status, "Draft")
		plan = apply_workflow(plan, "Activate")
		self.assertEqual(plan.status, "Active")
		self.assertTrue(plan.next_review_date)

	def test_review_reminder_reaches_the_case_manager(self):
		plan = self.plan()
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Welfare Plan",
			plan.name,
			{"status": "Active", "next_review_date": add_days(today(), REVIEW_REMINDER_DAYS)},
		)
		send_review_reminders()
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.cm, "document_name": plan.name})
		)

	def reminders(self, plan) -> int:
		return frappe.db.count("Notification Log", {"for_user": self.cm, "document_name": plan})

	def test_each_review_is_reminded_once_even_at_short_notice(self):
		plan = self.plan()
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Welfare Plan", plan.name, {"status": "Active", "next_review_date": add_days(today(), 1)}
		)
		send_review_reminders()
		send_review_reminders()
		self.assertEqual(self.reminders(plan.name), 1)
		# a missed day: an overdue review is still reminded, once for its new date
		frappe.db.set_value("Welfare Plan", plan.name, "next_review_date", add_days(today(), -2))
		send_review_reminders()
		self.assertEqual(self.reminders(plan.name), 2)
		# far away: not yet
		frappe.db.set_value("Welfare Plan", plan.name, "next_review_date", add_days(today(), 30))
		send_review_reminders()
		self.assertEqual(self.reminders(plan.name), 2)

	def test_a_confirmed_review_sets_the_next_one(self):
		from frappe.model.workflow import apply_workflow

		plan = apply_workflow(self.plan(review_interval_days=45), "Activate")
		plan = apply_workflow(plan, "Start Review")
		frappe.db.set_value("Welfare Plan", plan.name, "next_review_date", today())
		plan.reload()
		plan = apply_workflow(plan, "Confirm")
		self.assertEqual(str(plan.next_review_date), add_days(today(), 45))

	def test_case_manager_of_the_organisation_holding_the_plan(self):
		outsider = make_user(f"cm-{uid()}@other.test", ["Case Manager"], make_provider())
		with self.assertRaises(frappe.ValidationError):
			self.plan(case_manager=outsider)

	def test_a_referral_sent_from_the_plan_becomes_one_of_its_actions(self):
		from tolink.devtools.factories import make_service

		plan = self.plan()
		service = make_service(self.org)
		frappe.set_user(self.cm)
		referral = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": service.name,
				"welfare_plan": plan.name,
			}
		).insert()
		plan.reload()
		self.assertEqual([(a.action_type, a.referral) for a in plan.actions], [("Referral", referral.name)])

	def test_actions_point_at_aid_only(self):
		plan = self.plan()
		intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": self.citizen.name,
				"channel": "Front office",
				"needs": [{"need_category": "Food parcels"}],
			}
		).insert()
		plan.append("actions", {"action": "x", "reference_doctype": "Intake", "reference_name": intake.name})
		with self.assertRaises(frappe.ValidationError) as ctx:
			plan.save()
		self.assertEqual(
			str(ctx.exception),
			frappe._("Action {0}: link a food parcel or a shopping voucher ({1} is neither).").format(
				1, frappe._("Intake")
			),
		)

	def test_case_manager_must_have_the_role(self):
		other = make_user(f"rec-{uid()}@plan.test", ["Reception Operator"], self.org)
		with self.assertRaises(frappe.ValidationError):
			self.plan(case_manager=other)

	def test_closing_needs_outcome(self):
		from frappe.model.workflow import apply_workflow

		plan = apply_workflow(self.plan(), "Activate")
		with self.assertRaises(frappe.ValidationError) as ctx:
			apply_workflow(plan, "Close")
		self.assertEqual(str(ctx.exception), frappe._("A closed plan needs its outcome."))
		self.assertEqual(frappe.db.get_value("Welfare Plan", plan.name, "status"), "Active")
		plan.reload()
		plan.closing_outcome = "Goals achieved"
		plan.save()
		plan = apply_workflow(plan, "Close")
		self.assertEqual(plan.status, "Closed")

	def test_goal_before_start_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.plan(goals=[{"goal": "x", "target_date": add_days(today(), -10)}])
