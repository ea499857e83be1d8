# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class VoucherRedemption(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		balance_after: DF.Currency
		idempotency_key: DF.Data | None
		merchant: DF.Link
		programme: DF.Link | None
		redeemed_at: DF.Datetime | None
		redeemed_by: DF.Link | None
		voucher: DF.Link
	# end: auto-generated types

	def validate(self):
		self.check_amounts()

	def check_amounts(self):
		if flt(self.amount) <= 0:
			frappe.throw(_("The amount must be positive."))
		if flt(self.balance_after) < 0:
			frappe.throw(_("A redemption cannot take the voucher's balance below zero."))


def on_doctype_update():
	frappe.db.add_unique(
		"Voucher Redemption", ["merchant", "idempotency_key"], constraint_name="unique_merchant_idempotency"
	)
	frappe.db.add_index("Voucher Redemption", ["merchant", "redeemed_at"])
	frappe.db.add_index("Voucher Redemption", ["voucher"])
