# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ServiceNeedCategory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		need_category: DF.Link
	# end: auto-generated types

	pass


def on_doctype_update():
	# covers matching's lookup of the services answering a need (no row read per service)
	frappe.db.add_index(
		"Service Need Category", ["need_category", "parenttype", "parent"], "need_parenttype_parent"
	)
