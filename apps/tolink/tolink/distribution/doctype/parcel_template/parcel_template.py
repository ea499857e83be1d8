# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ParcelTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.parcel_template_item.parcel_template_item import ParcelTemplateItem

		dietary_tag: DF.Link | None
		items: DF.Table[ParcelTemplateItem]
		max_household_size: DF.Int
		min_household_size: DF.Int
		template_name: DF.Data
	# end: auto-generated types

	def validate(self):
		self.check_household_sizes()
		self.check_quantities()

	def check_household_sizes(self):
		for field in ("min_household_size", "max_household_size"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if self.max_household_size and self.min_household_size > self.max_household_size:
			frappe.throw(_("The household size range is reversed."))

	def check_quantities(self):
		if any((r.qty or 0) <= 0 for r in self.items):
			frappe.throw(_("Quantities must be positive."))


def template_for(household_size: int, dietary_tag: str | None = None) -> str | None:
	"""The parcel template for a household of this size (and dietary need, when one fits)."""
	t = frappe.qb.DocType("Parcel Template")
	rows = (
		frappe.qb.from_(t)
		.select(t.name, t.dietary_tag)
		.where(
			(t.min_household_size <= household_size)
			& (
				(t.max_household_size == 0)
				| t.max_household_size.isnull()
				| (t.max_household_size >= household_size)
			)
		)
		.run(as_dict=True)
	)
	for r in rows:
		if dietary_tag and r.dietary_tag == dietary_tag:
			return r.name
	plain = [r.name for r in rows if not r.dietary_tag]
	return plain[0] if plain else None
