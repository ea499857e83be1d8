"""Overrides of Frappe endpoints that answer without row-level permission rules.

Registered in hooks.override_whitelisted_methods, so the standard URLs keep working for Desk and
REST clients, with To Link's rules applied. Frappe's originals are imported inside the functions,
never at module level: a whitelisted function imported here would be callable under this module's
path too.
"""

import frappe
from frappe import _
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
	# the records the user may list, as a sub-query (a city's million rows never leave the database)
	listed = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters),
		fields=[f"`tab{doctype}`.`name`"],
		order_by=None,
		limit_page_length=0,
		run=0,
	)
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on todo.allocated_to = user.name
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = %(doctype)s and todo.reference_name in ({listed.replace("%", "%%")})
		group by todo.allocated_to order by count desc limit 50""",
		{"doctype": doctype},
		as_dict=True,
	)


# Desk asks with POST (frappe.call), as Frappe's own method allows
@frappe.whitelist(methods=["GET", "POST"])
def get_link_title(doctype: str, docname: str):
	"""frappe.desk.search.get_link_title (the title Desk shows for a link, e.g. a citizen's name),
	which reads the title of any record with no permission check. The title of a record the user
	may not read is not given: the answer is its name, as for a record that does not exist."""
	if not isinstance(doctype, str) or not isinstance(docname, str):
		frappe.throw(_("Invalid request"), frappe.ValidationError)
	meta = frappe.get_meta(doctype)
	if not meta.show_title_field_in_link or not meta.title_field:
		return docname
	# among the records the user may list (the row rules, as a link field's search applies them): a
	# title is what a link shows, not a read of the person's record (not logged)
	try:
		titles = frappe.get_list(
			doctype, filters={"name": docname}, fields=[meta.title_field], limit_page_length=1, order_by=None
		)
	except frappe.PermissionError:
		frappe.clear_last_message()
		titles = []
	return titles[0][meta.title_field] if titles else docname
