"""The indexes of the workspaces' number cards and charts (issue 10): declared in the controllers'
on_doctype_update, which migrate runs only for doctypes whose JSON changed; this adds them on
existing sites (add_index skips an index that exists)."""

from frappe.modules import load_doctype_module

DOCTYPES = ("Citizen", "Intake", "Welfare Plan", "Referral", "Parcel Delivery", "Voucher")


def execute():
	for doctype in DOCTYPES:
		load_doctype_module(doctype).on_doctype_update()
