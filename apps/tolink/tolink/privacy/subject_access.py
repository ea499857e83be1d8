"""Right of access (GDPR art. 15): everything held on a person, as one file, for the data
controller only (never stored on the server). Citizens have no login, so a Network Administrator
produces it from Desk."""

import json

import frappe
from frappe.utils import now_datetime

from tolink.privacy.access_log import log_read

# doctype -> (field linking the citizen, or the household); child tables come with their record.
# tolink/privacy/test_coverage.py fails when a personal doctype linking a citizen or a household is
# neither here nor in its commented exclusions.
BY_CITIZEN = {
	"Consent": "citizen",
	"Intake": "citizen",
	"Welfare Plan": "citizen",
	"Referral": "citizen",
	"Case Note": "citizen",
	"Helpline Call": "citizen",
	"Support Session": "citizen",
	"Check-in Schedule": "citizen",
	"Employment Profile": "citizen",
	"Work Measure": "citizen",
	"Participation": "citizen",
	"Personal Data Access Log": "citizen",
}
BY_HOUSEHOLD = {
	"Voucher": "household",
	"Voucher Application": "household",
	"Parcel Delivery": "household",
	"Hub Enrolment": "household",
	"Housing Situation": "household",
	"Social Housing Application": "household",
}
# child table -> field linking the household: only the household's rows (the record lists others)
CHILD_BY_HOUSEHOLD = {"Round Household": "household"}


def collect(citizen: str) -> dict:
	"""All records on the citizen, server-side (the caller is the data controller)."""
	data = {"Citizen": [frappe.get_doc("Citizen", citizen).as_dict(no_default_fields=False)]}
	households = frappe.get_all(
		"Household Member", filters={"citizen": citizen}, pluck="parent", distinct=True
	)
	data["Household"] = [frappe.get_doc("Household", h).as_dict() for h in households]
	for doctype, field in BY_CITIZEN.items():
		names = frappe.get_all(doctype, filters={field: citizen}, pluck="name")
		data[doctype] = [frappe.get_doc(doctype, n).as_dict() for n in names]
	for doctype, field in BY_HOUSEHOLD.items():
		names = frappe.get_all(doctype, filters={field: ("in", households or [""])}, pluck="name")
		data[doctype] = [frappe.get_doc(doctype, n).as_dict() for n in names]
	for doctype, field in CHILD_BY_HOUSEHOLD.items():
		data[doctype] = frappe.get_all(doctype, filters={field: ("in", households or [""])}, fields=["*"])
	return data


def export_citizen(citizen: str) -> dict:
	"""The JSON of everything held on the person, returned to the caller only; the export is logged
	(tolink.api.desk.export_citizen: Network Administrators only).

	Nothing is stored: a File attached to the citizen would be downloadable by anyone who can read
	the citizen (every colleague of the organisation), restricted notes and support sessions
	included, and a stored copy would outlive an erasure. Desk saves the content as a file."""
	data = collect(citizen)
	content = json.dumps(
		{
			"citizen": citizen,
			"exported_on": str(now_datetime()),
			"exported_by": frappe.session.user,
			"records": data,
		},
		default=str,
		indent=1,
		ensure_ascii=False,
	)

	log_read("Citizen", citizen, citizen, endpoint="access request export")
	return {
		"file_name": f"accesso-dati-{citizen}.json",
		"content": content,
		"records": {k: len(v) for k, v in data.items()},
	}
