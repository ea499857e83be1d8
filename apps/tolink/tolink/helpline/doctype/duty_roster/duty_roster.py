# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""Who of an organisation is on duty (reperibile) and when: urgent helpline calls and imminent-risk
sessions are told to them at once (tolink.helpline.follow_up). An administrator or the
organisation's case managers fill it in, no code."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime


class DutyRoster(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from_datetime: DF.Datetime
		full_name: DF.Data | None
		notes: DF.SmallText | None
		provider: DF.Link | None
		to_datetime: DF.Datetime
		user: DF.Link
	# end: auto-generated types

	def validate(self):
		self.check_period()
		self.check_user()

	def check_period(self):
		if get_datetime(self.to_datetime) <= get_datetime(self.from_datetime):
			frappe.throw(_("The duty must end after it starts."))

	def check_user(self):
		"""The person on duty is an enabled Case Manager of the organisation."""
		user = frappe.db.get_value("User", self.user, ["tolink_provider", "enabled"], as_dict=True)
		if not user or not user.enabled or (self.provider and user.tolink_provider != self.provider):
			frappe.throw(_("{0} does not work for this organisation.").format(self.user))
		if "Case Manager" not in frappe.get_roles(self.user):
			frappe.throw(_("Only a Case Manager can be on duty for urgent calls."))


def on_duty(provider: str, at=None) -> list[str]:
	"""The enabled users of the organisation on duty at `at` (now by default)."""
	at = get_datetime(at or now_datetime())
	roster = frappe.qb.DocType("Duty Roster")
	user = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(roster)
		.join(user)
		.on(user.name == roster.user)
		.select(roster.user)
		.distinct()
		.where(
			(roster.provider == provider)
			& (roster.from_datetime <= at)
			& (roster.to_datetime >= at)
			& (user.enabled == 1)
			& (user.tolink_provider == provider)
		)
		.run(pluck=True)
	)


def on_doctype_update():
	frappe.db.add_index("Duty Roster", ["provider", "from_datetime"])
