"""Row-level rules of the care path (rules "referral_sides" and "case_note" of
tolink.permissions.policy, which registers them and logs the reads they allow).

- Intake and Welfare Plan: the organisation that owns the case (rule "organisation").
- Referral: the referring organisation and the receiving one (which sees only the referral: the
  fields it needs are copied on it, so it never needs the citizen's record).
- Case Note, by visibility:
  Organisation: the author's organisation;
  Network: also every organisation working the case (a referral to it) while the person's
  consent to share with it stands: withdrawal stops it at once;
  Restricted: only the author and, in the author's organisation, the roles named on the note.
  Restricted notes are not bypassed by Network Administrators. Every read of a note is logged
  (POLICY's `logged` field).
"""

import frappe

from tolink.care_path.doctype.referral import referral
from tolink.permissions import get_user_provider, is_network_admin
from tolink.registry.consent import has_consent


def referral_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	p = frappe.db.escape(provider)
	return f"(`tabReferral`.`provider` = {p} or `tabReferral`.`target_provider` = {p})"


def referral_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_network_admin(user):
		return True
	provider = get_user_provider(user)
	if not provider:
		return False
	if doc.is_new() and ptype == "create":
		return not doc.get("provider") or doc.provider == provider
	return provider in (doc.get("provider"), doc.get("target_provider"))


def case_note_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	provider = get_user_provider(user)
	u = frappe.db.escape(user)
	roles = ", ".join(frappe.db.escape(r) for r in frappe.get_roles(user)) or "''"
	restricted = (
		"(`tabCase Note`.`visibility` = 'Restricted' and (`tabCase Note`.`author` = {u} or "
		"(`tabCase Note`.`provider` = {p} and exists (select 1 from `tabCase Note Role` r "
		"where r.parent = `tabCase Note`.`name` and r.parenttype = 'Case Note' and r.role in ({roles})))))"
	)
	if is_network_admin(user):
		p = frappe.db.escape(provider or "")
		return f"(`tabCase Note`.`visibility` != 'Restricted' or {restricted.format(u=u, p=p, roles=roles)})"
	if not provider:
		return f"`tabCase Note`.`author` = {u}"
	p = frappe.db.escape(provider)
	# Per note, two index lookups (Referral citizen+status, Consent citizen+purpose+status): written
	# as scalar subqueries so that MariaDB does not turn them into a semi-join that first builds the
	# set of every person ever referred to the organisation (hundreds of thousands for the City).
	return (
		f"((`tabCase Note`.`visibility` = 'Organisation' and `tabCase Note`.`provider` = {p})"
		f" or (`tabCase Note`.`visibility` = 'Network' and (`tabCase Note`.`provider` = {p} or ("
		f"(select 1 from `tabReferral` ref where ref.citizen = `tabCase Note`.`citizen`"
		f" and ref.target_provider = {p}"
		f" and ref.status in ({', '.join(frappe.db.escape(s) for s in referral.WORKING)}) limit 1) is not null"
		f" and (select 1 from `tabConsent` c where c.citizen = `tabCase Note`.`citizen` and c.partner = {p}"
		f" and c.purpose = 'Sharing with partner' and c.status = 'Active' limit 1) is not null)))"
		f" or {restricted.format(u=u, p=p, roles=roles)})"
	)


def case_note_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	provider = get_user_provider(user)
	if doc.is_new():
		return ptype == "create" and (is_network_admin(user) or bool(provider))
	allowed = can_read_case_note(doc, user, provider)
	if allowed and ptype in ("write", "delete", "share", "submit", "cancel", "amend"):
		# only the author's organisation changes a note; only the author changes a restricted one
		allowed = (
			doc.author == user
			if doc.visibility == "Restricted"
			else (is_network_admin(user) or doc.provider == provider)
		)
	return allowed


def can_read_case_note(doc, user: str, provider: str | None) -> bool:
	if doc.visibility == "Restricted":
		if doc.author == user:
			return True
		roles = set(frappe.get_roles(user))
		return bool(provider) and doc.provider == provider and any(r.role in roles for r in doc.allowed_roles)
	if is_network_admin(user):
		return True
	if not provider:
		return doc.author == user
	if doc.provider == provider:
		return True
	if doc.visibility == "Network":
		# working the case (a referral to it) and still allowed to (consent not withdrawn)
		return works_the_case(provider, doc.citizen) and has_consent(
			doc.citizen, "Sharing with partner", partner=provider
		)
	return False


def works_the_case(provider: str, citizen: str) -> bool:
	"""The organisation works the person's case: a referral of the person was sent to it (and not
	declined or cancelled). Also what lets it link its notes, referrals, intakes, calls and sessions
	to the person (tolink.permissions.links)."""
	return bool(
		frappe.db.exists(
			"Referral", {"citizen": citizen, "target_provider": provider, "status": ("in", referral.WORKING)}
		)
	)
