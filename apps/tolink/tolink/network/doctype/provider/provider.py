# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class Provider(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		coordinator: DF.Link | None
		description: DF.SmallText | None
		district: DF.Link | None
		email: DF.Data | None
		is_active: DF.Check
		phone: DF.Data | None
		provider_name: DF.Data
		provider_type: DF.Literal[
			"Public Service", "Association", "Social Cooperative", "Parish", "Food Bank", "Shop"
		]
		tax_id: DF.Data | None
		website: DF.Data | None
	# end: auto-generated types

	pass
