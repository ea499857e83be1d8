"""Who reads a work measure: the organisation holding it, and the host organisation where the
person does the traineeship (or the work grant, the course...), whose staff record the attendance
(tolink.pathways.doctype.work_measure.work_measure.WorkMeasure.check_host_edits keeps them to it).
The host reads the measure and its attendance rows (rule `parent`), never the person's other
records: the citizen's name is on the measure, the Citizen stays with the organisation holding it."""

import frappe

from tolink.permissions import get_user_provider, is_network_admin


def work_measure_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	provider = frappe.db.escape(provider)
	return (
		f"(`tabWork Measure`.`provider` = {provider} or `tabWork Measure`.`host_organisation` = {provider})"
	)


def work_measure_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_network_admin(user):
		return True
	provider = get_user_provider(user)
	if not provider:
		return False
	if not doc.get("provider") and doc.is_new():
		# set while saving to the user's organisation (set_provider_on_insert)
		return ptype in ("create", "write", "read")
	if doc.get("provider") == provider:
		return True
	# the host: reads, and writes the attendance only (the controller refuses the rest)
	return doc.get("host_organisation") == provider and ptype in (None, "read", "print", "write")
