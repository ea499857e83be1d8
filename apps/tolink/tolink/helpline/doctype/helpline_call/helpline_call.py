# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_to_date, get_datetime, now_datetime

from tolink.helpline import follow_up


class HelplineCall(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		call_datetime: DF.Datetime
		callback_done_on: DF.Datetime | None
		callback_due: DF.Datetime | None
		callback_reminded_on: DF.Datetime | None
		caller_district: DF.Link | None
		caller_type: DF.Literal["Known citizen", "Anonymous"]
		check_in_schedule: DF.Link | None
		citizen: DF.Link | None
		citizen_name: DF.Data | None
		direction: DF.Literal["Inbound", "Outbound"]
		duration_minutes: DF.Int
		escalated_on: DF.Datetime | None
		follow_up_of: DF.Link | None
		intake: DF.Link | None
		is_overdue: DF.Check
		notes: DF.SmallText | None
		operator: DF.Link | None
		outcome: DF.Literal[
			"",
			"Information given",
			"Intake opened",
			"Referral",
			"Parcel requested",
			"Voucher requested",
			"Emergency services called",
			"Callback scheduled",
		]
		provider: DF.Link | None
		reason: DF.Literal[
			"Food",
			"Shopping vouchers",
			"Housing",
			"Bills",
			"Work",
			"Loneliness",
			"Psychological distress",
			"Health",
			"Information",
			"Other",
		]
		taken_by: DF.Link | None
		taken_on: DF.Datetime | None
		triage: DF.Literal["Low", "Medium", "High", "Emergency"]
		urgent_notified_on: DF.Datetime | None
	# end: auto-generated types

	def before_insert(self):
		self.operator = frappe.session.user

	def validate(self):
		self.check_links_fixed()
		follow_up.fill_from_check_in(self)
		self.check_caller()
		self.check_times()
		self.check_callback()
		follow_up.check_follow_up(self)
		follow_up.check_check_in(self)

	def after_insert(self):
		follow_up.mark_callback_made(self)
		follow_up.advance_check_in(self)

	def on_update(self):
		follow_up.notify_urgent_call(self)

	def check_links_fixed(self):
		"""What a call follows up, and the check-in it answers, are facts of the call: fixed once saved."""
		before = None if self.is_new() else self.get_doc_before_save()
		if not before:
			return
		for field in ("follow_up_of", "check_in_schedule"):
			if (before.get(field) or None) != (self.get(field) or None):
				frappe.throw(
					_("{0} cannot be changed once the call is saved.").format(_(self.meta.get_label(field)))
				)

	def check_caller(self):
		if self.caller_type == "Anonymous":
			self.citizen = None
		elif not self.citizen:
			frappe.throw(_("Choose the citizen, or mark the caller as anonymous."))

	def check_times(self):
		"""A call is recorded when it happens: not in the future, not of negative length."""
		if (self.duration_minutes or 0) < 0:
			frappe.throw(_("The duration cannot be negative."))
		if self.call_datetime and get_datetime(self.call_datetime) > add_to_date(
			now_datetime(), minutes=CLOCK_TOLERANCE_MINUTES
		):
			frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label("call_datetime"))))
		if self.call_datetime:
			# to the minute, as Desk shows and saves it: a time with seconds (the default "now", an
			# API client's) would leave the form changed on opening, and its actions refused
			self.call_datetime = get_datetime(self.call_datetime).replace(second=0, microsecond=0)

	def check_callback(self):
		if self.outcome == "Callback scheduled" and not self.callback_due:
			frappe.throw(_("Set when to call back."))
		if (
			self.callback_due
			and self.call_datetime
			and get_datetime(self.callback_due) < get_datetime(self.call_datetime)
		):
			frappe.throw(_("The callback cannot be due before the call."))
		before = None if self.is_new() else self.get_doc_before_save()
		if before and str(before.callback_due or "") != str(self.callback_due or ""):
			# a callback moved to another time is reminded and escalated again from its new time
			self.callback_reminded_on = self.escalated_on = None
			self.is_overdue = 0


# a form filled in a few minutes ago, on a clock slightly ahead, is not "in the future"
CLOCK_TOLERANCE_MINUTES = 15


# what the caller asked for, as the need of the intake opened from the call
REASON_TO_NEED = {
	"Food": "Food parcels",
	"Shopping vouchers": "Shopping vouchers",
	"Housing": "Housing",
	"Bills": "Utility bills",
	"Work": "Job search",
	"Loneliness": "Psychological support",
	"Psychological distress": "Psychological support",
	"Health": "Health services",
}


def make_intake(source_name: str, target_doc=None):
	"""One click: an intake (unsaved, for the operator to complete) from a call of a known citizen
	(tolink.api.desk.make_intake checks the caller may read the call and create intakes)."""
	call = frappe.get_doc("Helpline Call", source_name)
	if not call.citizen:
		frappe.throw(_("Register the caller as a citizen first: an intake is about a person."))
	if call.intake:
		frappe.throw(_("An intake was already opened from this call: {0}").format(call.intake))

	def set_missing(source, target):
		target.channel = "Helpline"
		target.helpline_call = source.name
		need = REASON_TO_NEED.get(source.reason)
		if need and frappe.db.exists("Need Category", need):
			target.append(
				"needs",
				{
					"need_category": need,
					"urgency": URGENCY.get(source.triage, "Medium"),
					"description": source.notes,
				},
			)

	return get_mapped_doc(
		"Helpline Call",
		source_name,
		{
			"Helpline Call": {
				"doctype": "Intake",
				"field_map": {"citizen": "citizen"},
				"field_no_map": ["notes", "provider", "status"],
			}
		},
		target_doc,
		set_missing,
	)


URGENCY = {"Low": "Low", "Medium": "Medium", "High": "High", "Emergency": "Urgent"}


def link_intake(intake, method=None):
	"""doc_events Intake after_insert: the call remembers the intake it led to."""
	if intake.helpline_call:
		frappe.db.set_value(
			"Helpline Call", intake.helpline_call, {"intake": intake.name, "outcome": "Intake opened"}
		)


def on_doctype_update():
	frappe.db.add_index("Helpline Call", ["call_datetime"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Helpline Call", ["provider", "modified"])
	# the workspace's urgencies of an organisation
	frappe.db.add_index("Helpline Call", ["provider", "triage", "taken_by"])
