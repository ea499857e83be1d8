"""Who a user is for To Link: the To Link roles, the organisation the user works for (the custom
field `User.tolink_provider`) and whether the user is the data controller's office.

The bottom of the services: the access policy (tolink.permissions), the access log
(tolink.privacy.access_log) and the accounts' rules (tolink.security.accounts) all ask here, and
this module asks nobody else in the app.
"""

import frappe

ROLES = (
	"Reception Operator",
	"Case Manager",
	"Provider Staff",
	"Hub Manager",
	"Hub Volunteer",
	"Psychologist",
	"Merchant",
	"Network Administrator",
	"Monitoring Officer",
	"Voucher Approver",
)
NETWORK_ADMIN_ROLES = frozenset({"Network Administrator", "System Manager", "Administrator"})
USER_PROVIDER_FIELD = "tolink_provider"


def get_user_provider(user: str | None = None) -> str | None:
	"""The Provider the user belongs to (cached per request)."""
	user = user or frappe.session.user
	cache = getattr(frappe.local, "tolink_user_provider", None)
	if cache is None:
		cache = frappe.local.tolink_user_provider = {}
	if user not in cache:
		cache[user] = frappe.db.get_value("User", user, USER_PROVIDER_FIELD) if user != "Guest" else None
	return cache[user]


def is_network_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(NETWORK_ADMIN_ROLES.intersection(frappe.get_roles(user)))


def clear_user_provider_cache(doc=None, method=None):
	"""doc_events User on_update (hooks.py names it tolink.permissions.clear_user_provider_cache): a
	user moved to another organisation is seen so at once."""
	frappe.local.tolink_user_provider = {}
