# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class StockBin(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual_qty: DF.Float
		aid_item: DF.Link | None
		expiry_date: DF.Date | None
		hub: DF.Link | None
		lot: DF.Data | None
		provider: DF.Link | None
	# end: auto-generated types

	pass


def on_doctype_update():
	frappe.db.add_unique(
		"Stock Bin", ["hub", "aid_item", "lot", "expiry_date"], constraint_name="unique_hub_item_lot"
	)
