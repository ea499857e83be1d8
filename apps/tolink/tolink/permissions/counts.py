"""Counts for the workspaces' number cards and charts, computed with the caller's row rules.

Frappe's own number cards and charts (`number_card.get_result`, `dashboard_chart.get`) count with
SQL that may ignore the row rules, so the request gate refuses them on personal data; the cards of
To Link are "Custom" cards whose method is an endpoint of tolink.api.desk, and every figure they
show is counted here, through `frappe.get_list`: the doctype's role permissions, then its row rules
(tolink.permissions.policy), then the card's filters. Another organisation's records are never
counted.

The filters each card passes name indexed columns (the caller's organisation, a status, a date
range): a count is one index range, not a scan of the table.
"""

import frappe

from tolink.security.users import get_user_provider


def count(doctype: str, filters: dict) -> int:
	"""How many records of `doctype` the user may read match `filters`."""
	rows = frappe.get_list(doctype, filters=filters, fields=["count(*) as total"], order_by=None)
	return frappe.utils.cint(rows[0].total) if rows else 0


def count_by(doctype: str, field: str, filters: dict) -> dict:
	"""How many records of `doctype` the user may read match `filters`, by the value of `field`."""
	rows = frappe.get_list(
		doctype,
		filters=filters,
		fields=[field, "count(*) as total"],
		group_by=field,
		order_by=None,
	)
	return {row[field]: frappe.utils.cint(row.total) for row in rows}


def card(doctype: str, filters: dict) -> dict:
	"""A Custom number card's answer: the count, and the list it stands for (Desk opens it when
	the card is clicked, with the same filters)."""
	return {
		"value": count(doctype, filters),
		"fieldtype": "Int",
		"route": ["List", doctype],
		"route_options": route_options(filters),
	}


def route_options(filters: dict) -> dict:
	"""The filters as Desk's list view reads them from `frappe.route_options`."""
	return {
		field: list(value) if isinstance(value, tuple | list) else value for field, value in filters.items()
	}


def own(filters: dict, field: str = "provider") -> dict:
	"""The filters, narrowed to the user's organisation (`field` names it on the doctype); a
	Network Administrator who belongs to none counts the network's."""
	provider = get_user_provider()
	return {**filters, field: provider} if provider else filters
