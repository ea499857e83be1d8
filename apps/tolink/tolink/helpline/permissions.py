"""Psychological support sessions: read only by the psychologists of the organisation that holds
them (not by administrators); every read is logged (rule "psychologists" of
tolink.permissions.policy). Case managers get counts, never content."""

import frappe
from frappe import _

from tolink.permissions import get_user_provider


def _is_psychologist(user: str) -> bool:
	return "Psychologist" in frappe.get_roles(user)


def session_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	provider = get_user_provider(user)
	if not provider or not _is_psychologist(user):
		return "1=0"
	return f"`tabSupport Session`.`provider` = {frappe.db.escape(provider)}"


def session_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	provider = get_user_provider(user)
	if not provider or not _is_psychologist(user):
		return False
	if doc.is_new():
		return ptype == "create"
	return doc.get("provider") == provider


def session_counts(citizen: str) -> dict:
	"""For the case manager: how many support sessions a person had, and when the last was
	(tolink.api.desk.session_counts checks the caller may read the person)."""
	session = frappe.qb.DocType("Support Session")
	count, last = (
		frappe.qb.from_(session)
		.select(
			frappe.query_builder.functions.Count("*"),
			frappe.query_builder.functions.Max(session.session_datetime),
		)
		.where(session.citizen == citizen)
		.run()[0]
	)
	return {
		"sessions": count,
		"last_session": str(last) if last else None,
		"message": _("Content is visible to psychologists only."),
	}
