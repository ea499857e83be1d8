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
