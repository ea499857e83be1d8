# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_to_date, get_datetime, now_datetime


class HelplineCall(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		call_datetime: DF.Datetime
		callback_due: DF.Datetime | None
		caller_district: DF.Link | None
		caller_type: DF.Literal["Known citizen", "Anonymous"]
		citizen: DF.Link | None
		citizen_name: DF.Data | None
		duration_minutes: DF.Int
		intake: DF.Link | None
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
		triage: DF.Literal["Low", "Medium", "High", "Emergency"]
	# end: auto-generated types

	def before_insert(self):
		self.operator = frappe.session.user

	def validate(self):
		self.check_caller()
		self.check_times()
		self.check_callback()

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

	def check_callback(self):
		if self.outcome == "Callback scheduled" and not self.callback_due:
			frappe.throw(_("Set when to call back."))
		if (
			self.callback_due
			and self.call_datetime
			and get_datetime(self.callback_due) < get_datetime(self.call_datetime)
		):
			frappe.throw(_("The callback cannot be due before the call."))


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
