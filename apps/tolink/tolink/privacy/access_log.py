"""Who read what: every read of a person's record through Desk or the API is logged.

Logged reads are kept 24 months (see purge_old_access_logs) and answer "who accessed this
person's data" (report Personal Data Access). Reads happen in GET requests, which Frappe does not
commit, so logging asks for a commit of the request (frappe.local.flags.commit).
"""

import frappe
from frappe.utils import add_months, now_datetime

from tolink.security.users import get_user_provider

RETENTION_MONTHS = 24


def log_read(doctype: str, name: str, citizen: str | None = None, endpoint: str | None = None) -> None:
	"""Record that the session user read this document (once per request)."""
	user = frappe.session.user
	seen = getattr(frappe.local, "tolink_logged_reads", None)
	if seen is None:
		seen = frappe.local.tolink_logged_reads = set()
	key = (user, doctype, name, endpoint)
	if key in seen:
		return
	seen.add(key)
	request = getattr(frappe.local, "request", None)
	if endpoint is None and request is not None:
		endpoint = f"{request.method} {request.path}"
		cmd = frappe.local.form_dict.get("cmd")
		if cmd:
			endpoint += f" ({cmd})"
	frappe.get_doc(
		{
			"doctype": "Personal Data Access Log",
			"accessed_on": now_datetime(),
			"user": user,
			"provider": get_user_provider(user),
			"reference_doctype": doctype,
			"reference_name": name,
			"citizen": citizen,
			"endpoint": (endpoint or "server")[:140],
			"ip_address": getattr(frappe.local, "request_ip", None),
		}
	).db_insert()
	frappe.local.flags.commit = True


def purge_old_access_logs() -> None:
	"""Daily: drop access logs older than the retention period."""
	months = frappe.db.get_single_value("To Link Settings", "access_log_retention_months") or RETENTION_MONTHS
	log = frappe.qb.DocType("Personal Data Access Log")
	frappe.qb.from_(log).delete().where(log.accessed_on < add_months(now_datetime(), -months)).run()
