"""Account security: a disabled user is locked out at once, on every way in.

Frappe's API-key authentication does not check whether the user is still enabled, so a
disabled merchant's or partner's key kept working. `reject_disabled_users` (an auth hook, run
after every authentication) closes that; disabling a user also revokes their API secret, OAuth
tokens and sessions (`revoke_access_of_disabled_user`, User on_update).
"""

import frappe
from frappe import _
from frappe.core.doctype.user.user import User

from tolink.security.users import ROLES, USER_PROVIDER_FIELD, is_network_admin


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


# ---------------------------------------------------------------- no accidental administrators
# Frappe makes the first system user saved after setup a System Manager ("there must be at least
# one" besides Administrator: frappe.core.doctype.user.user.User.add_system_manager_role), and on a
# To Link site that is the first staff member: the demo's reception operator, a production site's
# first real user. System Managers pass every To Link rule, so no staff user may hold the role.
# On a To Link site Administrator is the System Manager Frappe asks for (ToLinkUser); an explicit
# grant to a staff user is refused (User validate).
SYSTEM_MANAGER = "System Manager"
STANDARD_USERS = ("Administrator", "Guest")


class StaffAdministratorError(frappe.ValidationError):
	pass


class ToLinkUser(User):
	"""hooks.override_doctype_class["User"]."""

	def get_other_system_managers(self):
		"""Administrator counts: it is a System Manager that can be neither disabled nor deleted.

		Frappe does not count it, so on a site whose only System Manager is Administrator (every To
		Link site: staff users never hold the role) it made the next user saved a System Manager,
		and refused to disable or delete any user ("There should remain at least one System
		Manager")."""
		others = super().get_other_system_managers()
		if others or self.name == "Administrator":
			return others
		return (("Administrator",),)


def is_staff(doc) -> bool:
	"""A To Link staff user: works for an organisation, or holds a To Link role."""
	if doc.name in STANDARD_USERS:
		return False
	return bool(doc.get(USER_PROVIDER_FIELD)) or any(row.role in ROLES for row in doc.get("roles") or [])


def _holds_system_manager(doc) -> bool:
	return any(row.role == SYSTEM_MANAGER for row in doc.get("roles") or [])


def note_requested_system_manager(doc, method=None) -> None:
	"""doc_events User before_validate: whether this save grants System Manager to the user.

	A staff user who held the role before this save (given before To Link refused it) loses it
	without an error, so that they can still be saved (e.g. disabled); a new grant is refused."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	held_before = bool(before) and is_staff(before) and _holds_system_manager(before)
	doc.flags.tolink_system_manager_requested = _holds_system_manager(doc) and not held_before


def refuse_system_manager_for_staff(doc, method=None) -> None:
	"""doc_events User validate (after Frappe's own validate)."""
	if not is_staff(doc) or not _holds_system_manager(doc):
		return
	if doc.flags.tolink_system_manager_requested:
		frappe.throw(
			_(
				"{0} works for a To Link organisation and cannot be a System Manager: System Managers "
				"pass every rule of the network. Give the role to a separate administrator account."
			).format(frappe.bold(doc.name)),
			StaffAdministratorError,
			title=_("Not allowed"),
		)
	doc.set("roles", [row for row in doc.roles if row.role != SYSTEM_MANAGER])


def remove_system_manager_from_staff() -> list[str]:
	"""System Manager taken from every staff user holding it (patch, install, demo). Returns them."""
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	staff_by_role = (
		frappe.qb.from_(has_role)
		.select(has_role.parent)
		.where((has_role.parenttype == "User") & has_role.role.isin(ROLES))
	)
	users = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(
			(has_role.parenttype == "User")
			& (has_role.role == SYSTEM_MANAGER)
			& user.name.notin(STANDARD_USERS)
			& (
				(user[USER_PROVIDER_FIELD].notnull() & (user[USER_PROVIDER_FIELD] != ""))
				| user.name.isin(staff_by_role)
			)
		)
		.run(pluck=True)
	)
	if not users:
		return []
	frappe.db.delete("Has Role", {"parenttype": "User", "role": SYSTEM_MANAGER, "parent": ("in", users)})
	for name in users:
		frappe.clear_cache(user=name)
	return users


def refuse_organisation_change(doc, method=None) -> None:
	"""doc_events User validate: a user's organisation decides every row rule they pass, so only the
	data controller's office (Network Administrators, System Managers) sets or changes it, whatever
	the path (REST, Desk, a whitelisted method saving the user)."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	old = before.get(USER_PROVIDER_FIELD) if before else None
	if (doc.get(USER_PROVIDER_FIELD) or None) == (old or None) or is_network_admin():
		return
	frappe.throw(
		_("Only a Network Administrator sets the organisation a user works for."),
		frappe.PermissionError,
		title=_("Not allowed"),
	)
