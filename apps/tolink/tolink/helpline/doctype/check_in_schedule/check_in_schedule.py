# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""A programme of outbound check-in calls to a person (chiamate di controllo): how often, on which
weekday, when the next one is due. Nothing is created by itself: the due check-ins are listed for
the operators, and recording the outbound call moves `next_due` forward."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, add_months, getdate, today

from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS

STATUSES = ("Scheduled", "Due", "Overdue", "Inactive")
# what the operators must call (the workspace's "Chiamate di controllo di oggi")
TO_CALL = ("Due", "Overdue")
# a check-in not made this many days after it fell due is missed
OVERDUE_AFTER_DAYS = 2
FREQUENCY_DAYS = {"Weekly": 7, "Every 2 weeks": 14}


class CheckinSchedule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		active: DF.Check
		case_manager: DF.Link | None
		citizen: DF.Link
		citizen_name: DF.Data | None
		frequency: DF.Literal["Weekly", "Every 2 weeks", "Monthly"]
		last_call: DF.Link | None
		last_call_on: DF.Datetime | None
		next_due: DF.Date
		notes: DF.SmallText | None
		provider: DF.Link | None
		status: DF.Literal["Scheduled", "Due", "Overdue", "Inactive"]
		weekday: DF.Literal["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
	# end: auto-generated types

	def validate(self):
		self.check_case_manager()
		self.status = status_for(self.next_due, self.active)

	def check_case_manager(self):
		"""The case manager following the calls works for the organisation holding the programme."""
		if not self.case_manager or not self.provider:
			return
		if frappe.db.get_value("User", self.case_manager, "tolink_provider") != self.provider:
			frappe.throw(_("{0} does not work for this organisation.").format(self.case_manager))


def status_for(next_due, active, on=None) -> str:
	if not active:
		return "Inactive"
	on = getdate(on or today())
	due = getdate(next_due)
	if due > on:
		return "Scheduled"
	return "Overdue" if due < add_days(on, -OVERDUE_AFTER_DAYS) else "Due"


def next_due_after(called_on, frequency: str, weekday: str | None = None):
	"""The check-in after one made on `called_on`: one period later, moved forward to the weekday
	(at most 6 days)."""
	called_on = getdate(called_on)
	if frequency == "Monthly":
		due = getdate(add_months(called_on, 1))
	else:
		due = getdate(add_days(called_on, FREQUENCY_DAYS.get(frequency, 7)))
	if weekday in WEEKDAYS:
		due = getdate(add_days(due, (WEEKDAYS.index(weekday) - due.weekday()) % 7))
	return due


def refresh_statuses() -> None:
	"""Scheduled daily: the active programmes whose check-in fell due, or was missed, say so (two
	updates by index, whatever the number of programmes)."""
	schedule = frappe.qb.DocType("Check-in Schedule")
	on = getdate(today())
	missed_before = add_days(on, -OVERDUE_AFTER_DAYS)
	(
		frappe.qb.update(schedule)
		.set(schedule.status, "Overdue")
		.where((schedule.active == 1) & (schedule.next_due < missed_before) & (schedule.status != "Overdue"))
		.run()
	)
	(
		frappe.qb.update(schedule)
		.set(schedule.status, "Due")
		.where(
			(schedule.active == 1)
			& (schedule.next_due <= on)
			& (schedule.next_due >= missed_before)
			& (schedule.status == "Scheduled")
		)
		.run()
	)


def on_doctype_update():
	frappe.db.add_index("Check-in Schedule", ["status", "next_due"])
	frappe.db.add_index("Check-in Schedule", ["provider", "status"])
