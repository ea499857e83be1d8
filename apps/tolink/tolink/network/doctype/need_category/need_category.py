# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils.nestedset import NestedSet


class NeedCategory(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		is_group: DF.Check
		lft: DF.Int
		need_category_name: DF.Data
		old_parent: DF.Link | None
		parent_need_category: DF.Link | None
		rgt: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_need_category"

	def on_update(self):
		super().on_update()
		self.validate_one_root()


def on_doctype_update():
	frappe.db.add_index("Need Category", ["lft", "rgt"])
