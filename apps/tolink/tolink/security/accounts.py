"""Account security: a disabled user is locked out at once, on every way in.

Frappe's API-key authentication does not check whether the user is still enabled, so a
disabled merchant's or partner's key kept working. `reject_disabled_users` (an auth hook, run
after every authentication) closes that; disabling a user also revokes their API secret, OAuth
tokens and sessions (`revoke_access_of_disabled_user`, User on_update).
"""

import frappe
from frappe import _


def reject_disabled_users() -> None:
	"""hooks.auth_hooks: runs after Frappe authenticated the request."""
	user = frappe.session.user if getattr(frappe.local, "session", None) else None
	if not user or user in ("Guest", "Administrator"):
		return
	if not frappe.db.get_value("User", user, "enabled"):
		frappe.set_user("Guest")
		raise frappe.AuthenticationError(_("This account is disabled."))


def revoke_access_of_disabled_user(doc, method=None) -> None:
	"""doc_events User on_update: disabling revokes keys, tokens and sessions immediately."""
	if doc.enabled or not doc.has_value_changed("enabled"):
		return
	if doc.api_key or doc.get_password("api_secret", raise_exception=False):
		frappe.db.set_value("User", doc.name, {"api_key": None, "api_secret": None}, update_modified=False)
		frappe.db.delete("__Auth", {"doctype": "User", "name": doc.name, "fieldname": "api_secret"})
	token = frappe.qb.DocType("OAuth Bearer Token")
	frappe.qb.update(token).set(token.status, "Revoked").where(token.user == doc.name).run()
	from frappe.sessions import clear_sessions

	clear_sessions(user=doc.name, force=True)
