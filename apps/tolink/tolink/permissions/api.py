"""Overrides of Frappe endpoints that answer without row-level permission rules.

Registered in hooks.override_whitelisted_methods, so the standard URLs keep working for Desk and
REST clients, with To Link's rules applied. Frappe's originals are imported inside the functions,
never at module level: a whitelisted function imported here would be callable under this module's
path too.
"""

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Count
from frappe.utils import get_safe_filters

from tolink.permissions.gate import require_readable
from tolink.permissions.grammar import check_filters


@frappe.whitelist(methods=["GET", "POST"])
def validate_link(doctype: str, docname: str, fields=None):
	"""frappe.client.validate_link, which reveals whether any record exists by name.

	For a document the user may not read, answer as if it did not exist (`{"name": null}`)."""
	from frappe.client import validate_link as frappe_validate_link

	if (
		isinstance(doctype, str)
		and isinstance(docname, str)
		and doctype in frappe.get_hooks("permission_query_conditions")
		# without any permission on the doctype Frappe refuses, whether the record exists or not
		and (frappe.has_permission(doctype, "select") or frappe.has_permission(doctype, "read"))
		and frappe.db.exists(doctype, docname)
		and not frappe.has_permission(doctype, "read", doc=docname)
	):
		return frappe._dict(name=None)
	return frappe_validate_link(doctype, docname, fields)


@frappe.whitelist(methods=["GET", "POST"])
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count, which counts every row of any doctype without any permission check
	(and so answers "does a citizen with this codice fiscale exist?"). Counts what the user may list."""
	if not isinstance(doctype, str):
		frappe.throw(_("DocType must be a string"))
	# a string filter is SQL to Frappe: refused here for every user (the gate refuses it earlier
	# for users without System Manager)
	check_filters("filters", doctype, filters)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=["count(*) as total"],
		order_by=None,
		limit_page_length=0,
	)
	return rows[0].total if rows else 0


@frappe.whitelist(methods=["GET", "POST"])
def get_submitted_linked_docs(doctype: str, name: str):
	"""frappe.desk.form.linked_with.get_submitted_linked_docs, which checks the user may read the
	document but ignores the answer (and lists every submitted record linked to it)."""
	from frappe.desk.form.linked_with import get_submitted_linked_docs as frappe_get_submitted_linked_docs

	require_readable(doctype, name)
	return frappe_get_submitted_linked_docs(doctype, name)


@frappe.whitelist(methods=["GET", "POST"])
def get_linked_docs(doctype: str, docname: str):
	"""frappe.desk.form.linked_with.get (the form's "Links" panel): same unenforced check."""
	from frappe.desk.form.linked_with import get as frappe_get_linked

	require_readable(doctype, docname)
	return frappe_get_linked(doctype, docname)


@frappe.whitelist(methods=["GET", "POST"])
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count (the list sidebar's counts). For "assigned to" Frappe
	filters the doctype with no permission check at all: any user could filter any doctype on any
	field (a codice fiscale, a note's text) and learn from the counts. Here the records counted are
	those the user may list."""
	from frappe.desk.listview import get_group_by_count as frappe_get_group_by_count

	if field != "assigned_to":
		return frappe_get_group_by_count(doctype, current_filters, field)
	frappe.has_permission(doctype, "read", throw=True)
	names = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), pluck="name", limit_page_length=0
	)
	if not names:
		return []
	todo, user = frappe.qb.DocType("ToDo"), frappe.qb.DocType("User")
	count = Count("*").as_("count")
	return (
		frappe.qb.from_(todo)
		.join(user)
		.on(todo.allocated_to == user.name)
		.select(todo.allocated_to.as_("name"), count)
		.where(
			(todo.status != "Cancelled")
			& (user.user_type == "System User")
			& (todo.reference_type == doctype)
			& todo.reference_name.isin(names)
		)
		.groupby(todo.allocated_to)
		.orderby(count, order=Order.desc)
		.limit(50)
		.run(as_dict=True)
	)
