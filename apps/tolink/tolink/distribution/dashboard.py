"""The distribution's number cards and chart (the Distribution workspace): the hubs of the user's
organisation (a hub's stock and deliveries belong to the organisation that manages it)."""

import frappe
from frappe import _
from frappe.utils import add_days, get_first_day_of_week, getdate, today

from tolink.distribution.permissions import require_hub_role
from tolink.distribution.stock import alerts
from tolink.permissions import counts

# the weeks of the deliveries chart
CHART_WEEKS = 12


def stock_at_risk() -> dict:
	"""Items below their minimum and lots expiring within 7 days, at the user's organisation's
	active hubs (tolink.distribution.stock.alerts, hub by hub)."""
	require_hub_role()
	hubs = frappe.get_list("Distribution Hub", filters=counts.own({"is_active": 1}), pluck="name")
	total = 0
	for hub in hubs:
		found = alerts(hub)
		total += len(found["low_stock"]) + len(found["expiring"])
	return {"value": total, "fieldtype": "Int", "route": ["query-report", "Hub Stock"]}


def deliveries_this_week() -> dict:
	"""Parcels delivered this week (Monday to Sunday) at the user's organisation's hubs."""
	monday = get_first_day_of_week(today(), as_str=True)
	week = (monday, add_days(monday, 6))
	return counts.card("Parcel Delivery", counts.own({"docstatus": 1, "delivery_date": ("between", week)}))


def deliveries_per_week() -> dict:
	"""Parcels delivered at the user's organisation's hubs, week by week, the last 12 weeks."""
	first_monday = getdate(add_days(get_first_day_of_week(today()), -7 * (CHART_WEEKS - 1)))
	by_day = counts.count_by(
		"Parcel Delivery",
		"delivery_date",
		counts.own({"docstatus": 1, "delivery_date": (">=", first_monday)}),
	)
	values = [0] * CHART_WEEKS
	for day, total in by_day.items():
		week = (getdate(day) - first_monday).days // 7
		if 0 <= week < CHART_WEEKS:
			values[week] += total
	labels = [frappe.utils.formatdate(add_days(first_monday, 7 * w)) for w in range(CHART_WEEKS)]
	return {"labels": labels, "datasets": [{"name": _("Parcel Delivery"), "values": values}], "type": "bar"}
