# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class RoundHousehold(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		collected: DF.Check
		household: DF.Link
		household_name: DF.Data | None
		household_size: DF.Int
		missed: DF.Check
		parcel_template: DF.Link | None
		slot: DF.Datetime | None
	# end: auto-generated types

	pass
