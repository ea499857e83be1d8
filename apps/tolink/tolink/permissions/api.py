"""Overrides of Frappe endpoints that answer without row-level permission rules.

Registered in hooks.override_whitelisted_methods, so the standard URLs keep working for Desk and
REST clients, with To Link's rules applied.
"""

import frappe
from frappe import _
from frappe.client import validate_link as frappe_validate_link
from frappe.utils import get_safe_filters


@frappe.whitelist(methods=["GET", "POST"])
def validate_link(doctype: str, docname: str, fields=None):
	"""frappe.client.validate_link, which reveals whether any record exists by name.

	For a document the user may not read, answer as if it did not exist."""
	if (
		isinstance(doctype, str)
		and isinstance(docname, str)
		and doctype in frappe.get_hooks("permission_query_conditions")
		and frappe.db.exists(doctype, docname)
		and not frappe.has_permission(doctype, "read", doc=docname)
	):
		return frappe._dict()
	return frappe_validate_link(doctype, docname, fields)


@frappe.whitelist(methods=["GET", "POST"])
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count, which counts every row of any doctype without any permission check
	(and so answers "does a citizen with this codice fiscale exist?"). Counts what the user may list."""
	if not isinstance(doctype, str):
		frappe.throw(_("DocType must be a string"))
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=["count(*) as total"],
		order_by=None,
		limit_page_length=0,
	)
	return rows[0].total if rows else 0
