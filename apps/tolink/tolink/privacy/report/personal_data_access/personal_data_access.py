# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""Who accessed this person's data: every logged read of their records, newest first."""

import frappe
from frappe import _


def execute(filters=None):
	filters = frappe._dict(filters or {})
	conditions = []
	if filters.citizen:
		conditions.append(["citizen", "=", filters.citizen])
	if filters.from_date:
		conditions.append(["accessed_on", ">=", filters.from_date])
	if filters.to_date:
		conditions.append(["accessed_on", "<=", f"{filters.to_date} 23:59:59"])
	rows = frappe.get_list(
		"Personal Data Access Log",
		filters=conditions,
		fields=["accessed_on", "user", "provider", "reference_doctype", "reference_name", "endpoint"],
		order_by="accessed_on desc",
		limit_page_length=5000,
	)
	columns = [
		{"fieldname": "accessed_on", "label": _("Accessed On"), "fieldtype": "Datetime", "width": 170},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 220},
		{
			"fieldname": "provider",
			"label": _("Organisation"),
			"fieldtype": "Link",
			"options": "Provider",
			"width": 220,
		},
		{"fieldname": "reference_doctype", "label": _("Document Type"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "reference_name",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 150,
		},
		{"fieldname": "endpoint", "label": _("Endpoint"), "fieldtype": "Data", "width": 260},
	]
	return columns, rows
