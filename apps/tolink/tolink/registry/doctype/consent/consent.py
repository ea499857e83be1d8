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

	def validate(self):
		self.validate_partner()
		self.validate_dates()
		self.set_status()
		self.prevent_reactivation()

	def validate_partner(self):
		if self.purpose == "Sharing with partner":
			if not self.partner:
				frappe.throw(
					_("Name the partner organisation the person consents to share with."), ConsentError
				)
			if self.partner == self.provider:
				frappe.throw(
					_("Sharing is with another organisation: yours already holds the record."), ConsentError
				)
		elif self.partner:
			frappe.throw(
				_("A partner organisation is only recorded for the purpose {0}.").format(
					frappe.bold(_("Sharing with partner"))
				),
				ConsentError,
			)

	def validate_dates(self):
		if getdate(self.given_on) > getdate(today()):
			frappe.throw(_("A consent cannot be given in the future."), ConsentError)
		if not self.withdrawn_on:
			return
		if getdate(self.withdrawn_on) < getdate(self.given_on):
			frappe.throw(
				_("The consent cannot be withdrawn ({0}) before it was given ({1}).").format(
					frappe.format(self.withdrawn_on, "Date"), frappe.format(self.given_on, "Date")
				),
				ConsentError,
			)
		if getdate(self.withdrawn_on) > getdate(today()):
			frappe.throw(_("A consent cannot be withdrawn in the future."), ConsentError)
		if not (self.withdrawal_reason or "").strip():
			frappe.throw(_("Record why the consent is withdrawn."), ConsentError)

	def set_status(self):
		self.status = "Withdrawn" if self.withdrawn_on else "Active"

	def prevent_reactivation(self):
		before = None if self.is_new() else self.get_doc_before_save()
		if before and before.withdrawn_on and self.status != "Withdrawn":
			frappe.throw(_("A withdrawn consent cannot be reactivated: record a new consent."), ConsentError)

	@frappe.whitelist(methods=["POST"])
	def withdraw(self, reason: str):
		"""The person withdraws consent from today: sharing stops at once."""
		self.check_permission("write")
		if self.withdrawn_on:
			frappe.throw(_("This consent is already withdrawn."), ConsentError)
		if not (reason or "").strip():
			frappe.throw(_("Record why the consent is withdrawn."), ConsentError)
		self.withdrawn_on = today()
		self.withdrawal_reason = reason.strip()
		self.save()


class ConsentError(frappe.ValidationError):
	pass


def on_doctype_update():
	frappe.db.add_index("Consent", ["citizen", "purpose", "status"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Consent", ["provider", "modified"])
