"""The work and housing steps of a person, as their welfare plan shows them: the employment
profile, the work measures, the household's housing situation and social-housing applications.
Read with the user's own rights (frappe.get_list): what the user may not read is not there."""

import frappe


def plan_pathways(plan: str) -> dict:
	"""Server-side: the caller has checked it may read the plan."""
	p = frappe.db.get_value("Welfare Plan", plan, ["citizen", "household"], as_dict=True)
	household = p.household or frappe.db.get_value("Citizen", p.citizen, "household")
	out = {
		"employment": frappe.get_list(
			"Employment Profile",
			filters={"citizen": p.citizen},
			fields=["name", "labour_status", "status_since", "did_date"],
			limit=1,
		),
		"measures": frappe.get_list(
			"Work Measure",
			filters={"citizen": p.citizen},
			fields=[
				"name",
				"measure_type",
				"status",
				"host_organisation",
				"start_date",
				"end_date",
				"contract_type",
				"outcome_date",
			],
			order_by="start_date desc",
			limit=20,
		),
		"housing": [],
		"applications": [],
	}
	if household:
		out["housing"] = frappe.get_list(
			"Housing Situation",
			filters={"household": household},
			fields=[
				"name",
				"tenure",
				"tenure_since",
				"eviction_status",
				"eviction_notice_date",
				"eviction_hearing_date",
				"eviction_execution_date",
				"next_eviction_date",
			],
			limit=1,
		)
		out["applications"] = frappe.get_list(
			"Social Housing Application",
			filters={"household": household},
			fields=["name", "status", "application_date", "ranking_position", "assigned_on"],
			order_by="application_date desc",
			limit=20,
		)
	return out
