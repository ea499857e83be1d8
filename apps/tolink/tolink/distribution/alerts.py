"""Daily: Hub Managers hear of low stock and of lots expiring within 7 days."""

import frappe
from frappe import _

from tolink.distribution.stock import alerts as stock_alerts
from tolink.network.notifications import notify_users


def notify_hub_managers() -> None:
	hubs = frappe.get_all("Distribution Hub", filters={"is_active": 1}, fields=["name", "provider"])
	for hub in hubs:
		alerts = stock_alerts(hub.name)
		if not (alerts["low_stock"] or alerts["expiring"]):
			continue
		managers = frappe.get_all(
			"Hub Staff",
			filters={"parent": hub.name, "parenttype": "Distribution Hub", "hub_role": "Hub Manager"},
			pluck="user",
		)
		notify_users(
			managers,
			_("{0}: {1} items low, {2} lots expiring within 7 days").format(
				hub.name, len(alerts["low_stock"]), len(alerts["expiring"])
			),
			"Distribution Hub",
			hub.name,
			email=False,
		)
