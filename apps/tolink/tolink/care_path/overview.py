"""What the network already knows about a person, for the intake form: open plans, referrals in
progress, and aid received lately, so no one is asked the same questions twice.

The user's own rights decide what is listed (frappe.get_list). Beyond them, a summary (what, where,
status: no notes) of other organisations' work is shown when the person consented to share with
the user's organisation.
"""

import frappe
from frappe import _
from frappe.utils import add_months, today

from tolink.permissions import get_user_provider, is_network_admin

OPEN_REFERRAL = ("Sent", "Accepted", "In Progress")
OPEN_PLAN = ("Draft", "Active", "Under Review")
AID_MONTHS = 3


@frappe.whitelist(methods=["GET"])
def citizen_overview(citizen: str) -> dict:
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	network_wide = is_network_admin() or consented_to_my_organisation(citizen)
	lister = network_list if network_wide else frappe.get_list
	overview = {
		"citizen": citizen,
		"network_wide": network_wide,
		"plans": lister(
			"Welfare Plan",
			filters={"citizen": citizen, "status": ("in", OPEN_PLAN)},
			fields=["name", "status", "case_manager", "next_review_date", "provider"],
			order_by="modified desc",
		),
		"referrals": lister(
			"Referral",
			filters={"citizen": citizen, "status": ("in", OPEN_REFERRAL)},
			fields=["name", "service_name", "target_provider", "status", "response_due", "is_overdue"],
			order_by="modified desc",
		),
		"aid": [],
	}
	since = add_months(today(), -AID_MONTHS)
	for doctype, date_field, fields in AID_SOURCES:
		if not frappe.db.exists("DocType", doctype):
			continue
		household = frappe.db.get_value("Citizen", citizen, "household")
		if not household:
			break
		rows = lister(
			doctype,
			filters={"household": household, date_field: (">=", since)},
			fields=["name", *fields],
			order_by=f"{date_field} desc",
		)
		overview["aid"].extend(dict(row, doctype=doctype) for row in rows)
	overview["message"] = (
		_("Shown across the network: the person consented to share with your organisation.")
		if network_wide
		else _("Shown: what your organisation can see.")
	)
	return overview


# parcels and vouchers, where the distribution and voucher modules are installed
AID_SOURCES = (
	("Parcel Delivery", "delivery_date", ["delivery_date", "hub", "status"]),
	("Voucher", "issue_date", ["issue_date", "value", "status"]),
)


def consented_to_my_organisation(citizen: str) -> bool:
	from tolink.registry.consent import has_consent

	provider = get_user_provider()
	return bool(provider) and has_consent(citizen, "Sharing with partner", partner=provider)


def network_list(doctype, filters, fields, order_by):
	"""Summary rows across the network; only the columns named by this module are read."""
	return frappe.get_all(doctype, filters=filters, fields=fields, order_by=order_by, limit=50)
