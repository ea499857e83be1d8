# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from tolink.security.client_address import client_address

# what a Network Administrator did to a partner's accounts (the options of `action`)
USER_INVITED = "User Invited"
ROLES_CHANGED = "Roles Changed"
KEY_CREATED = "Key Created"
KEY_ROTATED = "Key Rotated"
KEY_REVOKED = "Key Revoked"
KEY_LIMITS_CHANGED = "Key Limits Changed"
ACTIONS = (USER_INVITED, ROLES_CHANGED, KEY_CREATED, KEY_ROTATED, KEY_REVOKED, KEY_LIMITS_CHANGED)


class AppendOnlyError(frappe.PermissionError):
	pass


class PartnerAccountLog(Document):
	"""Append-only: written by tolink.network.onboarding (`record`), read by Network Administrators;
	no role may write or delete it (DocPerms), and the controller refuses a change or a deletion
	whatever the path."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		account: DF.Link | None
		action: DF.Literal[
			"User Invited", "Roles Changed", "Key Created", "Key Rotated", "Key Revoked", "Key Limits Changed"
		]
		details: DF.SmallText | None
		done_by: DF.Link | None
		ip_address: DF.Data | None
		logged_on: DF.Datetime | None
		provider: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			append_only()
		if self.action not in ACTIONS:
			frappe.throw(_("Unknown action {0}.").format(self.action))

	def on_trash(self):
		append_only()


def append_only():
	frappe.throw(
		_("The partner account log is append-only: its entries are never changed or deleted."),
		AppendOnlyError,
	)


def record(action: str, account: str, provider: str | None, details: str = "") -> str:
	"""A line of the log, by the session's user (the caller checked who may act)."""
	doc = frappe.get_doc(
		{
			"doctype": "Partner Account Log",
			"logged_on": now_datetime(),
			"action": action,
			"account": account,
			"provider": provider,
			"done_by": frappe.session.user,
			"ip_address": client_address(),
			"details": details[:2000],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def on_doctype_update():
	frappe.db.add_index("Partner Account Log", ["provider", "logged_on"])
	frappe.db.add_index("Partner Account Log", ["account"])
