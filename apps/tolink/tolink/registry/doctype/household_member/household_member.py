# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class HouseholdMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		citizen: DF.Link
		citizen_name: DF.Data | None
		is_active: DF.Check
		is_dependent_cared_for: DF.Check
		joined_on: DF.Date | None
		left_on: DF.Date | None
		relation: DF.Literal[
			"Head of household", "Spouse/Partner", "Child", "Parent", "Sibling", "Other relative", "Other"
		]
		school: DF.Data | None
		school_grade: DF.Literal[
			"",
			"Nursery",
			"Primary",
			"Lower secondary",
			"Upper secondary",
			"Vocational training",
			"Not in school",
		]
	# end: auto-generated types

	pass


def on_doctype_update():
	frappe.db.add_index("Household Member", ["citizen", "is_active"])
