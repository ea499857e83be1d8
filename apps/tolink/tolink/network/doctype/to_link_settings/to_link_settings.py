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

		from tolink.privacy.doctype.retention_rule.retention_rule import RetentionRule

		access_log_retention_months: DF.Int
		address_lock_minutes: DF.Int
		callback_overdue_hours: DF.Int
		citizen_retention_months: DF.Int
		helpdesk_contact: DF.Data
		helpdesk_email: DF.Data | None
		helpdesk_phone: DF.Data | None
		login_attempts_per_address: DF.Int
		public_helpline: DF.Data | None
		retention_rules: DF.Table[RetentionRule]
	# end: auto-generated types

	def validate(self):
		self.check_not_negative()
		self.check_retention_rules()

	def check_not_negative(self):
		for field in (
			"citizen_retention_months",
			"access_log_retention_months",
			"login_attempts_per_address",
			"address_lock_minutes",
			"callback_overdue_hours",
		):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))

	def check_retention_rules(self):
		seen = set()
		for rule in self.get("retention_rules") or []:
			if rule.document_type in seen:
				frappe.throw(
					_("Row {0}: {1} already has a retention rule.").format(rule.idx, _(rule.document_type))
				)
			seen.add(rule.document_type)
			if not rule.months or rule.months < 1:
				frappe.throw(_("Row {0}: keep records for at least one month.").format(rule.idx))


def get_helpdesk_contact() -> str:
	"""The network helpdesk as one line, e.g. for messages that must not reveal other records."""
	settings = frappe.get_cached_doc("To Link Settings")
	parts = [settings.helpdesk_contact or _("the network administrator")]
	parts += [p for p in (settings.helpdesk_phone, settings.helpdesk_email) if p]
	return " – ".join(parts)
