# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class AidItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.aid_item_dietary_tag.aid_item_dietary_tag import AidItemDietaryTag

		category: DF.Literal["Food", "Infant", "Hygiene", "Household"]
		dietary_tags: DF.TableMultiSelect[AidItemDietaryTag]
		is_perishable: DF.Check
		item_name: DF.Data
		low_stock_threshold: DF.Float
		unit: DF.Literal["pcs", "kg", "l", "pack"]
	# end: auto-generated types

	def validate(self):
		self.check_threshold()

	def check_threshold(self):
		if (self.low_stock_threshold or 0) < 0:
			frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label("low_stock_threshold"))))
