# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, today

from tolink.care_path.workflow_actions import update_workflow_actions
from tolink.network.notifications import notify_users
from tolink.permissions import get_user_provider

# The statuses of a welfare plan (the options of its Select field) and the sets of them the app
# reads: defined here only (tolink/tests/test_statuses.py holds them against welfare_plan.json).
STATUSES = ("Draft", "Active", "Under Review", "Closed")
# not closed: the person's plans in progress
OPEN = ("Draft", "Active", "Under Review")
# in force: reviewed on its dates
IN_FORCE = ("Active", "Under Review")


class WelfarePlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.care_path.doctype.plan_action.plan_action import PlanAction
		from tolink.care_path.doctype.plan_goal.plan_goal import PlanGoal

		actions: DF.Table[PlanAction]
		case_manager: DF.Link
		citizen: DF.Link
		citizen_name: DF.Data | None
		closed_on: DF.Date | None
		closing_notes: DF.SmallText | None
		closing_outcome: DF.Literal[
			"", "Goals achieved", "Partly achieved", "Not achieved", "Moved away", "Dropped out", "Other"
		]
		funding_programme: DF.Link | None
		goals: DF.Table[PlanGoal]
		household: DF.Link | None
		intake: DF.Link | None
		next_review_date: DF.Date | None
		provider: DF.Link
		review_interval_days: DF.Int
		review_reminder_sent_for: DF.Date | None
		start_date: DF.Date | None
		status: DF.Literal["Draft", "Active", "Under Review", "Closed"]
	# end: auto-generated types

	def validate(self):
		self.check_case_manager()
		self.check_dates()
		self.check_closing()
		self.check_actions()

	def on_update(self):
		update_workflow_actions(self)

	def check_case_manager(self):
		if "Case Manager" not in frappe.get_roles(self.case_manager):
			frappe.throw(_("{0} is not a Case Manager.").format(frappe.bold(self.case_manager)))

		# the case manager reads the whole case: someone of the organisation holding it
		if self.provider and get_user_provider(self.case_manager) != self.provider:
			frappe.throw(
				_("{0} does not work for {1}, which holds this plan.").format(
					frappe.bold(self.case_manager), frappe.bold(self.provider)
				)
			)

	def check_dates(self):
		if (self.review_interval_days or 0) < 0:
			frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label("review_interval_days"))))
		if (
			self.next_review_date
			and self.start_date
			and getdate(self.next_review_date) < getdate(self.start_date)
		):
			frappe.throw(_("The next review cannot be before the start of the plan."))
		before = self.get_doc_before_save()
		review_done = before and before.status == "Under Review" and self.status == "Active"
		if self.status in IN_FORCE and not self.next_review_date:
			self.next_review_date = add_days(today(), self.review_interval_days or 60)
		elif review_done and getdate(self.next_review_date) <= getdate(today()):
			# the review is confirmed: the next one is one interval away
			self.next_review_date = add_days(today(), self.review_interval_days or 60)
		for goal in self.goals:
			if goal.target_date and self.start_date and getdate(goal.target_date) < getdate(self.start_date):
				frappe.throw(_("Goal {0}: the target date is before the start of the plan.").format(goal.idx))

	def check_closing(self):
		if self.status == "Closed":
			if not self.closing_outcome:
				frappe.throw(_("A closed plan needs its outcome."))
			self.closed_on = self.closed_on or today()
		elif self.closed_on and self.has_value_changed("status"):
			frappe.throw(_("A closed plan cannot be reopened: start a new plan."))

	def check_actions(self):
		for action in self.actions:
			if action.reference_doctype and action.reference_doctype not in AID_DOCTYPES:
				frappe.throw(
					_("Action {0}: link a food parcel or a shopping voucher ({1} is neither).").format(
						action.idx, _(action.reference_doctype)
					)
				)
		referrals = [a.referral for a in self.actions if a.referral]
		if not referrals:
			return
		rows = {
			r.name: r.citizen
			for r in frappe.get_list(
				"Referral", filters={"name": ("in", referrals)}, fields=["name", "citizen"]
			)
		}
		for name in referrals:
			if rows.get(name) != self.citizen:
				frappe.throw(_("Referral {0} is not one of this person's referrals.").format(name))


# the aid a plan's action can point at
AID_DOCTYPES = ("Parcel Delivery", "Voucher")


def add_referral_action(referral) -> None:
	"""Referral after_insert: a referral sent from a plan appears among the plan's actions, when
	whoever sent it may change the plan (otherwise its case manager adds it)."""
	if not referral.welfare_plan:
		return
	plan = frappe.get_doc("Welfare Plan", referral.welfare_plan)
	if plan.status == "Closed" or any(a.referral == referral.name for a in plan.actions):
		return
	if not frappe.has_permission("Welfare Plan", "write", doc=plan):
		return
	plan.append(
		"actions",
		{
			"action": _("Referral to {0}").format(referral.service_name or referral.service),
			"action_type": "Referral",
			"referral": referral.name,
			"due_date": referral.response_due,
		},
	)
	plan.save()


def send_review_reminders():
	"""Daily: remind each case manager of the plans to review in the coming days (or overdue), once
	per review date: a review set at short notice or a day the scheduler missed is still reminded."""

	plan = frappe.qb.DocType("Welfare Plan")
	due = (
		frappe.qb.from_(plan)
		.select(plan.name, plan.case_manager, plan.citizen_name, plan.next_review_date)
		.where(
			plan.status.isin(IN_FORCE)
			& (plan.next_review_date <= add_days(today(), REVIEW_REMINDER_DAYS))
			& (
				plan.review_reminder_sent_for.isnull()
				| (plan.review_reminder_sent_for != plan.next_review_date)
			)
		)
		.run(as_dict=True)
	)
	for row in due:
		notify_users(
			[row.case_manager],
			_("Review of the welfare plan of {0} on {1}").format(
				row.citizen_name, frappe.format(row.next_review_date, "Date")
			),
			"Welfare Plan",
			row.name,
		)
		frappe.db.set_value(
			"Welfare Plan", row.name, "review_reminder_sent_for", row.next_review_date, update_modified=False
		)


REVIEW_REMINDER_DAYS = 3


def on_doctype_update():
	frappe.db.add_index("Welfare Plan", ["status", "next_review_date"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Welfare Plan", ["provider", "modified"])
	# the intake's overview of a person
	frappe.db.add_index("Welfare Plan", ["citizen", "status"])
	# the number cards of a case manager's caseload and reviews due
	frappe.db.add_index("Welfare Plan", ["case_manager", "status"])
