# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from frappe import _

from tolink.network.directory import search_services
from tolink.permissions import replica


def execute(filters=None):
	filters = filters or {}
	# the directory, read from the replica when there is one (tolink.permissions.replica)
	rows = replica.run(
		search_services,
		need_category=filters.get("need_category"),
		district=filters.get("district"),
		open_today=filters.get("open_today"),
		text=filters.get("text"),
		limit=500,
	)
	columns = [
		{"fieldname": "name", "label": _("Service"), "fieldtype": "Link", "options": "Service", "width": 110},
		{"fieldname": "service_name", "label": _("Service Name"), "fieldtype": "Data", "width": 260},
		{
			"fieldname": "provider",
			"label": _("Organisation"),
			"fieldtype": "Link",
			"options": "Provider",
			"width": 220,
		},
		{"fieldname": "needs", "label": _("Needs Served"), "fieldtype": "Data", "width": 200},
		{"fieldname": "area", "label": _("Districts Served"), "fieldtype": "Data", "width": 140},
		{"fieldname": "today", "label": _("Open Today"), "fieldtype": "Data", "width": 160},
		{"fieldname": "places", "label": _("Places"), "fieldtype": "Data", "width": 90},
	]
	data = [
		{
			"name": r.name,
			"service_name": r.service_name,
			"provider": r.provider,
			"needs": ", ".join(_(n) for n in r.need_categories),
			"area": ", ".join(r.districts) or _("Whole city"),
			"today": "; ".join(r.today_hours) or _("Closed"),
			"places": _("Unlimited")
			if not r.capacity
			else f"{(r.capacity or 0) - (r.capacity_used or 0)}/{r.capacity}",
		}
		for r in rows
	]
	return columns, data
