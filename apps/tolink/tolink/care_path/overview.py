"""What the network already knows about a person, for the intake form: open plans, referrals in
progress, and aid received lately, so no one is asked the same questions twice.

Only someone who may read the person's record asks (their organisation holds it, or the data
controller's office). They see a summary (what, where, status, dates: never notes) of the work
of their own organisation and of every organisation the person consented to share with
("Sharing with partner", active): that is where consent lets the network's knowledge flow back
to them. Network Administrators see the whole network.
"""

import frappe
from frappe import _
from frappe.utils import add_months, today

from tolink.care_path.doctype.referral import referral
from tolink.care_path.doctype.welfare_plan import welfare_plan
from tolink.permissions import get_user_provider, is_network_admin

AID_MONTHS = 3


def citizen_overview(citizen: str) -> dict:
	"""The caller may read the person (checked by tolink.api.desk.citizen_overview and Intake.onload)."""
	everyone = is_network_admin()
	orgs = None if everyone else sorted({get_user_provider(), *consented_partners(citizen)} - {None})
	overview = {
		"citizen": citizen,
		"network_wide": everyone,
		"organisations": orgs,
		"plans": summary(
			"Welfare Plan",
			{"citizen": citizen, "status": ("in", welfare_plan.OPEN)},
			["name", "status", "case_manager", "next_review_date", "provider"],
			"modified desc",
			orgs,
		),
		"referrals": summary(
			"Referral",
			{"citizen": citizen, "status": ("in", referral.OPEN)},
			["name", "service_name", "target_provider", "status", "response_due", "is_overdue"],
			"modified desc",
			orgs,
			# a referral concerns both sides: sent by one of them, or to one of them
			sides=("provider", "target_provider"),
		),
		"aid": [],
	}
	household = frappe.db.get_value("Citizen", citizen, "household")
	since = add_months(today(), -AID_MONTHS)
	for doctype, date_field, fields in AID_SOURCES if household else ():
		if not frappe.db.exists("DocType", doctype):
			continue
		rows = summary(
			doctype,
			{"household": household, date_field: (">=", since)},
			["name", *fields],
			f"{date_field} desc",
			orgs,
		)
		overview["aid"].extend(dict(row, doctype=doctype) for row in rows)
	overview["message"] = (
		_("Shown across the network.")
		if everyone
		else _(
			"Shown: your organisation's work and that of the organisations the person consented to share with."
		)
	)
	return overview


# parcels and vouchers, where the distribution and voucher modules are installed
AID_SOURCES = (
	("Parcel Delivery", "delivery_date", ["delivery_date", "hub", "status"]),
	("Voucher", "issue_date", ["issue_date", "value", "status"]),
)


def consented_partners(citizen: str) -> list[str]:
	"""Organisations the person consented to share with (active consents)."""
	consent = frappe.qb.DocType("Consent")
	return (
		frappe.qb.from_(consent)
		.select(consent.partner)
		.distinct()
		.where(
			(consent.citizen == citizen)
			& (consent.purpose == "Sharing with partner")
			& (consent.status == "Active")
			& consent.partner.isnotnull()
		)
		.run(pluck=True)
	)


def summary(doctype, filters, fields, order_by, orgs, sides=("provider",)):
	"""Summary rows (only the columns named by this module), of the organisations given (None: all).
	The caller may read the person: which organisations' work they see is decided here, by consent."""
	or_filters = None
	if orgs is not None:
		if not orgs:
			return []
		or_filters = [[doctype, side, "in", orgs] for side in sides]
	return frappe.get_all(
		doctype, filters=filters, or_filters=or_filters, fields=fields, order_by=order_by, limit=50
	)
