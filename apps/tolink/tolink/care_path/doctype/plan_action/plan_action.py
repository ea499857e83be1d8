# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PlanAction(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action: DF.Data
		action_type: DF.Literal["Referral", "Food parcel", "Shopping voucher", "Meeting", "Other"]
		done: DF.Check
		due_date: DF.Date | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		referral: DF.Link | None
	# end: auto-generated types

	pass
