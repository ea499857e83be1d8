# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""Helpline calls per period by reason, triage, outcome or direction, with their average length:
counts only, never a person. An organisation counts its own calls; Network Administrators and
Monitoring Officers the whole network's (or one organisation's)."""

import frappe
from frappe import _
from frappe.query_builder import CustomFunction
from frappe.query_builder.functions import Avg, Count
from frappe.utils import add_days, add_months, getdate, today

from tolink.security.users import get_user_provider, is_network_admin

GROUP_BY = {
	"reason": "Reason",
	"triage": "Triage",
	"outcome": "Outcome",
	"direction": "Direction",
}
PERIOD_FORMAT = {"Monthly": "%Y-%m", "Weekly": "%x-W%v"}
# who counts the whole network's calls (aggregates only: Helpline Call grants them no rows)
NETWORK_ROLES = ("Monitoring Officer",)
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.group_by if filters.group_by in GROUP_BY else "reason"
	rows = call_counts(
		from_date=filters.from_date or add_months(today(), -3),
		to_date=filters.to_date or today(),
		group_by=group_by,
		period=filters.period or "Monthly",
		provider=filters.provider,
	)
	return columns(group_by), rows, None, chart(rows)


def counted_provider(requested: str | None) -> str | None:
	"""The organisation whose calls the user counts (None: the whole network's)."""
	user = frappe.session.user
	if is_network_admin(user) or set(NETWORK_ROLES) & set(frappe.get_roles(user)):
		return requested or None
	provider = get_user_provider(user)
	if not provider:
		frappe.throw(_("Only staff of an organisation count its calls."), frappe.PermissionError)
	return provider


def call_counts(from_date, to_date, group_by: str, period: str, provider: str | None = None) -> list[dict]:
	provider = counted_provider(provider)
	call = frappe.qb.DocType("Helpline Call")
	dimension = call[group_by]
	period_of = DateFormat(call.call_datetime, PERIOD_FORMAT[period]) if period in PERIOD_FORMAT else None
	query = (
		frappe.qb.from_(call)
		.select(
			dimension.as_("value"),
			Count(call.name).as_("calls"),
			Avg(call.duration_minutes).as_("average_minutes"),
		)
		.where(
			(call.call_datetime >= getdate(from_date)) & (call.call_datetime < add_days(getdate(to_date), 1))
		)
		.groupby(dimension)
		.orderby(dimension)
	)
	if period_of is not None:
		query = query.select(period_of.as_("period")).groupby(period_of).orderby(period_of)
	if provider:
		query = query.where(call.provider == provider)
	rows = query.run(as_dict=True)
	for row in rows:
		row.period = row.get("period") or _("Whole period")
		row.value = _(row.value) if row.value else _("Not set")
		row.average_minutes = round(float(row.average_minutes or 0), 1)
	rows.sort(key=lambda r: (r.period, -r.calls))
	return rows


def columns(group_by: str) -> list[dict]:
	return [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 120},
		{"fieldname": "value", "label": _(GROUP_BY[group_by]), "fieldtype": "Data", "width": 220},
		{"fieldname": "calls", "label": _("Calls"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "average_minutes",
			"label": _("Average Duration (minutes)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 200,
		},
	]


def chart(rows: list[dict]) -> dict | None:
	"""Calls by value over the whole period, as bars."""
	totals: dict[str, int] = {}
	for row in rows:
		totals[row.value] = totals.get(row.value, 0) + row.calls
	if not totals:
		return None
	labels = sorted(totals, key=lambda v: -totals[v])
	return {
		"data": {"labels": labels, "datasets": [{"name": _("Calls"), "values": [totals[v] for v in labels]}]},
		"type": "bar",
	}
