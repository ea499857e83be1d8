# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class EmploymentLanguage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		language: DF.Link
		level: DF.Literal["A1", "A2", "B1", "B2", "C1", "C2", "Native"]
	# end: auto-generated types

	pass
