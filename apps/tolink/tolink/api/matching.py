"""Orientation API: `tolink.api.matching.suggest_services(intake)`."""

import frappe

from tolink.care_path.matching import suggest_for_needs


@frappe.whitelist(methods=["GET"])
def suggest_services(intake: str) -> list[dict]:
	"""For every need of the intake, the services that could answer it, each marked eligible or not
	with the reasons in plain Italian, best fit first."""
	doc = frappe.get_doc("Intake", intake)
	doc.check_permission("read")
	needs = [row.need_category for row in doc.needs]
	suggestions = suggest_for_needs(doc.citizen, list(dict.fromkeys(needs)))
	by_need = {s["need_category"]: s for s in suggestions}
	return [
		{
			"need_category": row.need_category,
			"urgency": row.urgency,
			"description": row.description,
			"services": by_need.get(row.need_category, {}).get("services", []),
		}
		for row in doc.needs
	]
