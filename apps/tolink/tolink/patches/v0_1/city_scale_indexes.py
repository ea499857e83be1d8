"""The indexes the city-scale benchmark showed were missing (issue 11): each doctype's row rule
(its organisation) with Desk's default sort, the counts of the workspaces, a person's referrals and
plans. Declared in the controllers' on_doctype_update, which migrate runs only for doctypes whose
JSON changed: this adds them on existing sites (add_index skips an index that exists)."""

from frappe.modules import load_doctype_module

DOCTYPES = (
	"Citizen",
	"Household",
	"Consent",
	"Intake",
	"Welfare Plan",
	"Referral",
	"Case Note",
	"Helpline Call",
	"Parcel Delivery",
	"Voucher",
)


def execute():
	for doctype in DOCTYPES:
		load_doctype_module(doctype).on_doctype_update()
