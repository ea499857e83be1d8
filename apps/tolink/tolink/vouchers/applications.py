"""The voucher application step: staff propose a voucher for a household, the programme's approver
decides (the workflow "Voucher Application", tolink.vouchers.workflows), approval issues it.

Called by Desk (tolink.api.desk: voucher_programmes_for, propose_voucher_application) and by the
intake and helpline call forms, which name themselves as the source. The caller's rights on the
household and the source are checked by the endpoint; the application is inserted with the
caller's rights, so its controller checks them again (tolink.vouchers.doctype.voucher_application).
"""

import frappe
from frappe import _

from tolink.vouchers import eligibility
from tolink.vouchers.doctype.voucher.voucher import IN_USE
from tolink.vouchers.doctype.voucher_application.voucher_application import (
	OPEN,
	DuplicateApplicationError,
	NotEligibleError,
)


def eligible_programmes(household: str) -> list[dict]:
	"""Every active programme, for the household: {programme, programme_name, eligible, reasons
	(translated: why not, or why), amount, provider}, eligible ones first. Server-side: the caller
	has checked it may read the household."""
	facts = eligibility.HouseholdFacts.load(household, IN_USE)
	names = frappe.get_all(
		"Voucher Programme", filters={"status": "Active"}, pluck="name", order_by="valid_to asc, name asc"
	)
	waiting = set(open_applications(household))
	out = []
	for name in names:
		programme = frappe.get_doc("Voucher Programme", name)
		result = eligibility.assess(programme, facts)
		reasons = list(result.reasons)
		eligible = result.eligible
		if name in waiting:
			eligible = False
			reasons = [_("an application for this programme is already waiting for approval")]
		out.append(
			{
				"programme": name,
				"programme_name": programme.programme_name,
				"provider": programme.provider,
				"eligible": eligible,
				"reasons": reasons,
				"amount": result.amount,
			}
		)
	out.sort(key=lambda row: not row["eligible"])
	return out


def open_applications(household: str) -> list[str]:
	"""The programmes the household has an application waiting for."""
	app = frappe.qb.DocType("Voucher Application")
	return (
		frappe.qb.from_(app)
		.select(app.programme)
		.where((app.household == household) & app.status.isin(OPEN))
		.run(pluck=True)
	)


def propose(
	household: str,
	programme: str | None = None,
	source_doctype: str | None = None,
	source_name: str | None = None,
):
	"""Propose a voucher of `programme` (the first eligible one when none is named) for the
	household: the application, inserted with the caller's rights. Refused, with the reasons, when
	no programme is open to the household or the one named is not."""
	programmes = eligible_programmes(household)
	if programme:
		chosen = next((p for p in programmes if p["programme"] == programme), None)
		if chosen is None:
			frappe.throw(
				_("The programme {0} is not active.").format(frappe.bold(programme)), NotEligibleError
			)
		if not chosen["eligible"]:
			error = (
				DuplicateApplicationError if programme in open_applications(household) else NotEligibleError
			)
			frappe.throw(
				_("Not eligible for {0}: {1}").format(frappe.bold(programme), "; ".join(chosen["reasons"])),
				error,
			)
	else:
		chosen = next((p for p in programmes if p["eligible"]), None)
		if chosen is None:
			if not programmes:
				frappe.throw(_("No voucher programme is active."), NotEligibleError)
			frappe.throw(
				_("No voucher programme is open to this household: {0}").format(
					" — ".join(f"{p['programme']}: {'; '.join(p['reasons'])}" for p in programmes)
				),
				NotEligibleError,
			)
	return frappe.get_doc(
		{
			"doctype": "Voucher Application",
			"household": household,
			"programme": chosen["programme"],
			"source_doctype": source_doctype or None,
			"source_name": source_name or None,
		}
	).insert()
