"""A record may point only at a person's records the user may reach.

Frappe checks that a linked record exists, not that the user may read it, and then copies the
linked record's fields into the new one (fetch_from: the citizen's name on an intake, a note, a
referral; the household's name on a distribution round). Without this check a user of
organisation B could create a record naming A's citizen and read A's data back from it, or have
the app's own messages (consent, eligibility) describe A's citizen.

`check_linked_records` runs before validation (doc_events before_validate, ahead of the
controllers' own checks and messages) for the doctypes whose entry in tolink.permissions.policy
says `check_links`: every Link and Dynamic Link to a personal-data doctype, on the record and its
child rows, that is new or changed must point at a record the user's organisation may reach. A
record out of reach is reported exactly as a record that does not exist, so the check is no
oracle either.

Reach, by the linked doctype:
- Citizen: registered by the user's organisation, or referred to it (it works the case: for
  notes, referrals, intakes, calls and sessions only);
- Household: registered by the user's organisation, or on the list of one of its hubs by a
  referral, with consent (for rounds and enrolments only);
- Referral: sent by or to the user's organisation;
- Parcel Delivery: handed out by the organisation's hub, or to a household it reaches;
- any other: registered by the user's organisation.
Network Administrators reach everything.
"""

import frappe
from frappe import _

from tolink.permissions import PERSONAL_DATA_DOCTYPES, get_user_provider, is_network_admin

# whether an organisation works a person's case (a referral to it): the care path's rule, which
# sits above the permissions and is named by its dotted path, as POLICY names its rules
WORKS_THE_CASE = "tolink.care_path.permissions.works_the_case"

# doctypes whose links are checked: POLICY's `check_links`. Not checked, on purpose: Parcel
# Delivery (a hub serves any household presenting its card: tolink.distribution rules), the access
# log and the stock ledger (written by the app itself).

# records an organisation working a referred person's case may make about them; consents,
# registrations, plans and vouchers stay with the organisation holding the person
REFERRAL_REACH_DOCTYPES = ("Case Note", "Referral", "Intake", "Helpline Call", "Support Session")

# whether a household referred to one of the organisation's food-parcel hubs is on the hub's list
# with consent (tolink.distribution.enrolment), named by its dotted path as above; what a hub may
# make about such a household: its rounds and its enrolment
HUB_REACH = "tolink.distribution.enrolment.enrolled_with_consent"
HUB_REACH_DOCTYPES = ("Distribution Round", "Hub Enrolment")


def check_linked_records(doc, method=None) -> None:
	"""doc_events before_validate."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return
	if doc.flags.ignore_permissions or is_network_admin():
		# the app's own writes (never with data a caller chose) and the data controller's office
		return
	provider = get_user_provider()
	before = doc.get_doc_before_save() if not doc.is_new() else None
	# links already saved were checked when they were made
	known = {key[1:] for key in linked_values(before)} if before else set()
	for key, (row, df, doctype, name) in linked_values(doc).items():
		if key[1:] in known:
			continue
		if not reaches(
			provider,
			doctype,
			name,
			via_referral=doc.doctype in REFERRAL_REACH_DOCTYPES,
			via_hub=doc.doctype in HUB_REACH_DOCTYPES,
		):
			label = _(df.label, context=df.parent)
			where = (
				f"{_('Row')} #{row.idx}: {label}: {name}" if row.get("parentfield") else f"{label}: {name}"
			)
			frappe.throw(_("Could not find {0}").format(where), frappe.LinkValidationError)


def linked_values(doc) -> dict:
	"""{(row key, fieldname, doctype, name): (row, df, doctype, name)} for every link of the record
	and its child rows that points at a personal-data doctype."""
	out = {}
	for row in [doc, *doc.get_all_children()]:
		key = (row.doctype, row.name) if row is not doc else ("", "")
		for df in row.meta.get_link_fields() + row.meta.get_dynamic_link_fields():
			value = row.get(df.fieldname)
			if not value:
				continue
			doctype = df.options if df.fieldtype == "Link" else row.get(df.options)
			if doctype in PERSONAL_DATA_DOCTYPES and df.fieldname != "amended_from":
				out[(key, df.fieldname, doctype, value)] = (row, df, doctype, value)
	return out


def reaches(
	provider: str | None, doctype: str, name: str, via_referral: bool = False, via_hub: bool = False
) -> bool:
	if not provider:
		return False
	if doctype == "Referral":
		sides = frappe.db.get_value("Referral", name, ["provider", "target_provider"])
		return bool(sides) and provider in sides
	if doctype == "Parcel Delivery":
		parcel = frappe.db.get_value("Parcel Delivery", name, ["provider", "household"], as_dict=True)
		return bool(parcel) and (
			parcel.provider == provider or reaches(provider, "Household", parcel.household)
		)
	if not frappe.get_meta(doctype).has_field("provider"):
		return False
	if frappe.db.get_value(doctype, name, "provider") == provider:
		return True
	if doctype == "Citizen" and via_referral:
		return frappe.get_attr(WORKS_THE_CASE)(provider, name)
	if doctype == "Household" and via_hub:
		return frappe.get_attr(HUB_REACH)(provider, name)
	return False
