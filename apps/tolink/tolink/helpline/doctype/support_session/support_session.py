# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime


class SupportSession(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		citizen: DF.Link
		citizen_name: DF.Data | None
		duration_minutes: DF.Int
		helpline_call: DF.Link | None
		notes: DF.TextEditor | None
		provider: DF.Link | None
		psychologist: DF.Link | None
		risk_level: DF.Literal["Low", "Medium", "High", "Imminent"]
		session_datetime: DF.Datetime
	# end: auto-generated types

	def before_insert(self):
		self.psychologist = frappe.session.user

	def validate(self):
		self.check_times()

	def check_times(self):
		"""A session is recorded once held: not in the future, not of negative length."""
		if (self.duration_minutes or 0) < 0:
			frappe.throw(_("The duration cannot be negative."))
		if self.session_datetime and get_datetime(self.session_datetime) > add_to_date(
			now_datetime(), minutes=CLOCK_TOLERANCE_MINUTES
		):
			frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label("session_datetime"))))


# a form filled in a few minutes ago, on a clock slightly ahead, is not "in the future"
CLOCK_TOLERANCE_MINUTES = 15


def on_doctype_update():
	frappe.db.add_index("Support Session", ["citizen", "session_datetime"])
