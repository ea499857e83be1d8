"""Right of access (GDPR art. 15): everything held on a person, as one file, for the data
controller. Citizens have no login, so a Network Administrator produces it from Desk."""

import json

import frappe
from frappe import _
from frappe.utils import now_datetime

# doctype -> (field linking the citizen, or the household)
BY_CITIZEN = {
	"Consent": "citizen",
	"Intake": "citizen",
	"Welfare Plan": "citizen",
	"Referral": "citizen",
	"Case Note": "citizen",
	"Helpline Call": "citizen",
	"Support Session": "citizen",
	"Personal Data Access Log": "citizen",
}
BY_HOUSEHOLD = {"Voucher": "household", "Parcel Delivery": "household"}


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
	return data


@frappe.whitelist(methods=["POST"])
def export_citizen(citizen: str) -> dict:
	"""A private JSON file attached to the citizen's record; the export is logged."""
	if "Network Administrator" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("Only a Network Administrator answers access requests."), frappe.PermissionError)
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
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
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"accesso-dati-{citizen}.json",
			"attached_to_doctype": "Citizen",
			"attached_to_name": citizen,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)
	from tolink.privacy.access_log import log_read

	log_read("Citizen", citizen, citizen, endpoint="access request export")
	return {"file_url": file.file_url, "records": {k: len(v) for k, v in data.items()}}
