"""Reference data of the registry, created when missing (administrators may edit it)."""

import frappe

VULNERABILITY_FLAGS = (
	"Lives alone",
	"Disability",
	"Elderly (over 75)",
	"Unemployed",
	"Homeless",
	"Minors in household",
	"Chronic illness",
	"Domestic violence",
	"Recent migrant",
	"Low income",
)


def seed_registry_master_data() -> None:
	for flag in VULNERABILITY_FLAGS:
		if not frappe.db.exists("Vulnerability Flag", flag):
			frappe.get_doc({"doctype": "Vulnerability Flag", "flag_name": flag}).insert(
				ignore_permissions=True
			)
