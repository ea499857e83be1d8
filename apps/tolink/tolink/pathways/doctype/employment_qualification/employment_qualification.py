# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class EmploymentQualification(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		qualification: DF.Data
		qualification_type: DF.Literal[
			"", "School diploma", "Degree", "Vocational certificate", "Professional licence", "Other"
		]
		recognised_in_italy: DF.Check
		year: DF.Int
	# end: auto-generated types

	pass
