# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today


class Consent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel: DF.Literal["In person", "Phone", "Paper form", "Online"]
		citizen: DF.Link
		citizen_name: DF.Data | None
		given_on: DF.Date
		operator: DF.Link | None
		partner: DF.Link | None
		provider: DF.Link
		purpose: DF.Literal[
			"Reception", "Sharing with partner", "Vouchers", "Psychological support", "SMS contact"
		]
		status: DF.Literal["Active", "Withdrawn"]
		withdrawal_reason: DF.SmallText | None
		withdrawn_on: DF.Date | None
	# end: auto-generated types

	def before_insert(self):
		self.operator = frappe.session.user
		self.status = "Active"
		self.withdrawn_on = None
		self.withdrawal_reason = None

	def validate(self):
		if self.purpose == "Sharing with partner" and not self.partner:
			frappe.throw(_("Name the partner organisation the person consents to share with."))
		if self.purpose != "Sharing with partner":
			self.partner = None
		if self.partner and self.partner == self.provider:
			frappe.throw(_("Sharing is with another organisation: yours already holds the record."))
		if getdate(self.given_on) > getdate(today()):
			frappe.throw(_("A consent cannot be given in the future."))
		if not self.is_new():
			before = self.get_doc_before_save()
			if before and before.status == "Withdrawn" and self.status != "Withdrawn":
				frappe.throw(_("A withdrawn consent cannot be reactivated: record a new consent."))

	@frappe.whitelist(methods=["POST"])
	def withdraw(self, reason: str):
		"""The person withdraws consent from today: sharing stops at once."""
		self.check_permission("write")
		if self.status == "Withdrawn":
			frappe.throw(_("This consent is already withdrawn."))
		if not (reason or "").strip():
			frappe.throw(_("Record why the consent is withdrawn."))
		self.status = "Withdrawn"
		self.withdrawn_on = today()
		self.withdrawal_reason = reason.strip()
		self.save()


def on_doctype_update():
	frappe.db.add_index("Consent", ["citizen", "purpose", "status"])
