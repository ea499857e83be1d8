# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ToLinkSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		access_log_retention_months: DF.Int
		address_lock_minutes: DF.Int
		citizen_retention_months: DF.Int
		helpdesk_contact: DF.Data
		helpdesk_email: DF.Data | None
		helpdesk_phone: DF.Data | None
		login_attempts_per_address: DF.Int
	# end: auto-generated types

	pass


def get_helpdesk_contact() -> str:
	"""The network helpdesk as one line, e.g. for messages that must not reveal other records."""
	settings = frappe.get_cached_doc("To Link Settings")
	parts = [settings.helpdesk_contact or _("the network administrator")]
	parts += [p for p in (settings.helpdesk_phone, settings.helpdesk_email) if p]
	return " – ".join(parts)
