# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""Stock of a hub by item and lot, from the ledger, with low-stock and expiring-soon flags."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, today

from tolink.distribution.permissions import check_hub_access
from tolink.distribution.stock import get_balances
from tolink.permissions import replica


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.hub:
		return columns(), []
	frappe.has_permission("Distribution Hub", "read", doc=filters.hub, throw=True)
	check_hub_access(filters.hub)
	# access checked above, on the primary; the ledger may come from the replica
	balances = replica.run(get_balances, filters.hub)
	totals: dict[str, float] = {}
	for b in balances:
		totals[b.aid_item] = totals.get(b.aid_item, 0) + flt(b.qty)
	soon = getdate(add_days(today(), 7))
	data = []
	for b in balances:
		low = flt(b.low_stock_threshold) > 0 and totals[b.aid_item] < flt(b.low_stock_threshold)
		expiring = bool(b.expiry_date) and getdate(b.expiry_date) <= soon
		if filters.alerts_only and not (low or expiring):
			continue
		data.append(
			{
				"aid_item": b.aid_item,
				"lot": b.lot,
				"expiry_date": b.expiry_date,
				"qty": b.qty,
				"unit": _(b.unit),
				"alert": ", ".join(
					a for a, on in ((_("Low stock"), low), (_("Expiring within 7 days"), expiring)) if on
				),
			}
		)
	return columns(), data


def columns():
	return [
		{
			"fieldname": "aid_item",
			"label": _("Aid Item"),
			"fieldtype": "Link",
			"options": "Aid Item",
			"width": 200,
		},
		{"fieldname": "lot", "label": _("Lot"), "fieldtype": "Data", "width": 120},
		{"fieldname": "expiry_date", "label": _("Expiry Date"), "fieldtype": "Date", "width": 120},
		{"fieldname": "qty", "label": _("Quantity"), "fieldtype": "Float", "width": 100},
		{"fieldname": "unit", "label": _("Unit"), "fieldtype": "Data", "width": 70},
		{"fieldname": "alert", "label": _("Alert"), "fieldtype": "Data", "width": 240},
	]
