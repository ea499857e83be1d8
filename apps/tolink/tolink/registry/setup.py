"""Reference data of the registry, created when missing (administrators may edit it)."""

import frappe
from frappe import _lt

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


# for the translation catalogue: Desk shows the flags translated
SEEDED_NAMES = (
	_lt("Lives alone"),
	_lt("Disability"),
	_lt("Elderly (over 75)"),
	_lt("Unemployed"),
	_lt("Homeless"),
	_lt("Minors in household"),
	_lt("Chronic illness"),
	_lt("Domestic violence"),
	_lt("Recent migrant"),
	_lt("Low income"),
)
