# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class StockLedgerEntry(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_item: DF.Link | None
		expiry_date: DF.Date | None
		hub: DF.Link | None
		lot: DF.Data | None
		movement_type: DF.Data | None
		parcel_delivery: DF.Link | None
		posting_datetime: DF.Datetime | None
		provider: DF.Link | None
		qty_change: DF.Float
		stock_movement: DF.Link | None
	# end: auto-generated types

	pass


def on_doctype_update():
	frappe.db.add_index("Stock Ledger Entry", ["hub", "aid_item"])
