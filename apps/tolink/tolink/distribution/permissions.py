"""Hubs: every hub is visible to the network (people are sent to them); its stock, rounds and
deliveries belong to the organisation that manages it, and only its staff move them."""

import frappe
from frappe import _

from tolink.distribution.enrolment import (
	ACTIVE,
	REFERRAL,
	enrolled_households_condition,
	enrolled_with_consent,
)
from tolink.permissions import get_user_provider, is_network_admin
from tolink.permissions.policy import READ_PTYPES, organisation_has_permission

HUB_ROLES = {"Hub Manager", "Hub Volunteer", "Network Administrator"}


def require_hub_role() -> None:
	if not HUB_ROLES.intersection(frappe.get_roles()):
		frappe.throw(_("Only hub staff use the counter."), frappe.PermissionError)


def check_hub_access(hub: str) -> None:
	"""The user works for the organisation that manages the hub (or administers the network)."""
	if is_network_admin():
		return
	provider = frappe.db.get_value("Distribution Hub", hub, "provider")
	if not provider or provider != get_user_provider():
		frappe.throw(_("You do not work at the hub {0}.").format(frappe.bold(hub)), frappe.PermissionError)


# --- households: the organisation's own, and those referred to one of its hubs (rule "household")


def household_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""The organisation's households, and those on the list of one of its hubs by a referral it
	accepted while the head of the household's consent to share with it stands."""
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	own = f"`tabHousehold`.`provider` = {frappe.db.escape(provider)}"
	if not has_referred_households(provider):
		# most organisations run no hub: their lists keep the one-column rule (and its index)
		return own
	return f"({own} or {enrolled_households_condition(provider)})"


def has_referred_households(provider: str) -> bool:
	"""The organisation's hubs have a household on their list by a referral (once per request)."""
	cache = getattr(frappe.local, "tolink_referred_households", None)
	if cache is None:
		cache = frappe.local.tolink_referred_households = {}
	if provider not in cache:
		cache[provider] = bool(
			frappe.db.exists("Hub Enrolment", {"provider": provider, "source": REFERRAL, "status": ACTIVE})
		)
	return cache[provider]


def household_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Reads as household_query_conditions; only the organisation that registered it changes it."""
	user = user or frappe.session.user
	if organisation_has_permission(doc, ptype=ptype, user=user):
		return True
	provider = get_user_provider(user)
	return (
		bool(provider)
		and ptype in READ_PTYPES
		and not doc.is_new()
		and enrolled_with_consent(provider, doc.name)
	)


def forget_referred_households(doc=None, method=None) -> None:
	"""A household put on a hub's list: the request's answer of has_referred_households is stale."""
	frappe.local.tolink_referred_households = {}
