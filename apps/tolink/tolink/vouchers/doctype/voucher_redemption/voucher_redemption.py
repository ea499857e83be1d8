# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


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

	pass


def on_doctype_update():
	frappe.db.add_unique(
		"Voucher Redemption", ["merchant", "idempotency_key"], constraint_name="unique_merchant_idempotency"
	)
	frappe.db.add_index("Voucher Redemption", ["merchant", "redeemed_at"])
	frappe.db.add_index("Voucher Redemption", ["voucher"])
