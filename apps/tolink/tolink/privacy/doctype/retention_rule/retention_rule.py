# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RetentionRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		document_type: DF.Literal[
			"Intake", "Referral", "Welfare Plan", "Case Note", "Helpline Call", "Support Session", "Consent"
		]
		months: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
