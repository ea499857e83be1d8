"""The network-wide "already collected in this period" check, at every hub's counter.

The period is the delivery's distribution round (its dates), or else the calendar week of the
delivery. Deliveries at any hub of the network count: that is the point.
"""

import frappe
from frappe import _
from frappe.utils import add_days, getdate


def period_of(delivery_date, distribution_round: str | None = None):
	if distribution_round:
		r = frappe.db.get_value(
			"Distribution Round", distribution_round, ["from_date", "to_date"], as_dict=True
		)
		if r:
			return getdate(r.from_date), getdate(r.to_date)
	day = getdate(delivery_date)
	start = add_days(day, -day.weekday())
	return getdate(start), getdate(add_days(start, 6))


def already_collected(
	household: str, delivery_date, distribution_round: str | None = None, exclude: str | None = None
):
	"""Submitted deliveries to the household in the same period, anywhere (server-side check)."""
	start, end = period_of(delivery_date, distribution_round)
	d = frappe.qb.DocType("Parcel Delivery")
	query = (
		frappe.qb.from_(d)
		.select(d.name, d.hub, d.delivery_date)
		.where(
			(d.household == household)
			& (d.docstatus == 1)
			& (d.delivery_date >= start)
			& (d.delivery_date <= end)
		)
		.orderby(d.delivery_date)
	)
	if exclude:
		query = query.where(d.name != exclude)
	return query.run(as_dict=True)


def describe(previous) -> str:
	return "; ".join(_("{0} on {1}").format(p.hub, frappe.format(p.delivery_date, "Date")) for p in previous)
