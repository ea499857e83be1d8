# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class EmploymentStatusPeriod(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from_date: DF.Date
		labour_status: DF.Literal["Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired"]
		notes: DF.Data | None
		to_date: DF.Date | None
	# end: auto-generated types

	pass
