# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

from tolink.helpline import follow_up


class SupportSession(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		caller_code: DF.Data | None
		citizen: DF.Link | None
		citizen_name: DF.Data | None
		duration_minutes: DF.Int
		helpline_call: DF.Link | None
		notes: DF.TextEditor | None
		previous_session: DF.Link | None
		provider: DF.Link | None
		psychologist: DF.Link | None
		risk_level: DF.Literal["Low", "Medium", "High", "Imminent"]
		session_datetime: DF.Datetime
		urgent_notified_on: DF.Datetime | None
	# end: auto-generated types

	def before_insert(self):
		self.psychologist = frappe.session.user

	def validate(self):
		self.check_times()
		self.check_caller()

	def on_update(self):
		follow_up.notify_imminent_session(self)

	def check_caller(self):
		"""A session is of a citizen, or of an anonymous caller known by a code the server makes
		(caller_code, server-owned). A returning caller's session names an earlier one of theirs
		(previous_session, of the same organisation) and takes its code and citizen. Once saved, the
		code stays, and a session linked to a citizen stays linked."""
		before = None if self.is_new() else self.get_doc_before_save()
		if before:
			self.caller_code = before.caller_code
			if before.previous_session != self.previous_session:
				frappe.throw(
					_("{0} cannot be changed once the session is saved.").format(
						_(self.meta.get_label("previous_session"))
					)
				)
			if before.citizen and self.citizen != before.citizen:
				frappe.throw(_("A session linked to a citizen stays linked to that citizen."))
		else:
			self.caller_code = None
			if self.previous_session:
				self.take_caller_from_previous_session()
		if not self.citizen and not self.caller_code:
			self.caller_code = follow_up.new_caller_code()

	def take_caller_from_previous_session(self):
		earlier = frappe.db.get_value(
			"Support Session", self.previous_session, ["provider", "caller_code", "citizen"], as_dict=True
		)
		if not earlier or earlier.provider != self.provider:
			frappe.throw(_("Could not find {0}").format(self.previous_session), frappe.LinkValidationError)
		if self.citizen and earlier.citizen and self.citizen != earlier.citizen:
			frappe.throw(_("The earlier session is of another citizen."))
		self.caller_code = earlier.caller_code
		if not self.citizen and earlier.citizen:
			self.citizen = earlier.citizen
			self.citizen_name = frappe.db.get_value("Citizen", earlier.citizen, "full_name")

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
	frappe.db.add_index("Support Session", ["caller_code", "provider"])
