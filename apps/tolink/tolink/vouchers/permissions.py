"""A shop sees only its own redemptions; network administrators and monitoring see them all
(they name no person: a voucher number, a shop, an amount)."""

import frappe

from tolink.permissions import get_user_provider, is_network_admin

SEE_ALL_ROLES = {"Monitoring Officer"}


def _sees_all(user: str) -> bool:
	return is_network_admin(user) or bool(SEE_ALL_ROLES.intersection(frappe.get_roles(user)))


def redemption_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if _sees_all(user):
		return ""
	merchant = get_user_provider(user)
	if not merchant:
		return "1=0"
	return f"`tabVoucher Redemption`.`merchant` = {frappe.db.escape(merchant)}"


def redemption_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if _sees_all(user):
		return True
	merchant = get_user_provider(user)
	return bool(merchant) and doc.get("merchant") == merchant


# --- voucher applications: the proposing organisation, and the approvers of the programme's

# who decides the applications of the programmes their organisation manages
APPROVER_ROLE = "Voucher Approver"
# what an approver does with an application of their programme: read it, and write to decide it
APPROVER_PTYPES = frozenset({"read", "print", "email", "export", "report", "write"})


def is_approver(user: str | None = None) -> bool:
	return APPROVER_ROLE in frappe.get_roles(user or frappe.session.user)


def manages_programme(programme: str | None, user: str | None = None) -> bool:
	"""The user's organisation manages the programme (Voucher Programme.provider)."""
	provider = get_user_provider(user or frappe.session.user)
	return (
		bool(provider and programme)
		and frappe.db.get_value("Voucher Programme", programme, "provider") == provider
	)


def may_decide(programme: str | None, user: str | None = None) -> bool:
	"""Approve or refuse an application of the programme: a Network Administrator, or an approver
	of the organisation managing it (never for their own proposal: the controller checks that)."""
	user = user or frappe.session.user
	return is_network_admin(user) or (is_approver(user) and manages_programme(programme, user))


def application_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	org = frappe.db.escape(provider)
	own = f"`tabVoucher Application`.`provider` = {org}"
	if not is_approver(user):
		return own
	return (
		f"({own} or `tabVoucher Application`.`programme` in (select `tabVoucher Programme`.`name` "
		f"from `tabVoucher Programme` where `tabVoucher Programme`.`provider` = {org}))"
	)


def application_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if is_network_admin(user):
		return True
	provider = get_user_provider(user)
	if not provider:
		return False
	if not doc.get("provider") and doc.is_new():
		# set while saving to the user's organisation (set_provider_on_insert)
		return ptype in ("create", "write", "read")
	if doc.get("provider") == provider:
		return True
	return (
		(ptype or "read") in APPROVER_PTYPES
		and is_approver(user)
		and manages_programme(doc.get("programme"), user)
	)
