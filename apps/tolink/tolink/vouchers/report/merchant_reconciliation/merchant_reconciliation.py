# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""What to reimburse each shop for a month: redemptions per shop and programme.
Permission-aware: a shop sees only its own lines."""

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, getdate, today

from tolink.permissions import replica


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start = get_first_day(getdate(filters.month or today()))
	end = add_months(start, 1)
	# read from the replica when there is one; the row rule's organisation comes from the primary
	rows = replica.run(
		frappe.get_list,
		"Voucher Redemption",
		filters=[["redeemed_at", ">=", start], ["redeemed_at", "<", end]]
		+ ([["merchant", "=", filters.merchant]] if filters.merchant else []),
		fields=["merchant", "programme", "count(name) as redemptions", "sum(amount) as total"],
		group_by="merchant, programme",
		order_by="merchant asc",
		limit_page_length=0,
	)
	columns = [
		{
			"fieldname": "merchant",
			"label": _("Shop"),
			"fieldtype": "Link",
			"options": "Provider",
			"width": 240,
		},
		{
			"fieldname": "programme",
			"label": _("Programme"),
			"fieldtype": "Link",
			"options": "Voucher Programme",
			"width": 220,
		},
		{"fieldname": "redemptions", "label": _("Redemptions"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "total",
			"label": _("To Reimburse (€)"),
			"fieldtype": "Currency",
			"options": "EUR",
			"width": 160,
		},
	]
	return columns, rows
