# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class WorkMeasureAttendance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		hours_attended: DF.Float
		hours_planned: DF.Float
		month: DF.Date
		notes: DF.Data | None
	# end: auto-generated types

	pass
