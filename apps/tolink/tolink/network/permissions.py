"""The directory is open to the whole network; a service (or a hub) is changed only by its
organisation."""

import frappe

from tolink.permissions import get_user_provider, is_network_admin

WRITE_PTYPES = ("write", "create", "delete", "submit", "cancel", "amend", "import")


def service_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if ptype not in WRITE_PTYPES:
		return True
	user = user or frappe.session.user
	if is_network_admin(user):
		return True
	provider = get_user_provider(user)
	return bool(provider) and doc.get("provider") == provider
