# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class HousingSituationPeriod(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.Data | None
		from_date: DF.Date
		tenure: DF.Literal[
			"Owned", "Rented", "Social housing", "Hosted", "Temporary accommodation", "Precarious", "Homeless"
		]
		to_date: DF.Date | None
	# end: auto-generated types

	pass
