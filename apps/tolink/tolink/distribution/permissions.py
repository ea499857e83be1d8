"""Hubs: every hub is visible to the network (people are sent to them); its stock, rounds and
deliveries belong to the organisation that manages it, and only its staff move them."""

import frappe
from frappe import _

from tolink.permissions import get_user_provider, is_network_admin

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
