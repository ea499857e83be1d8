"""Partner onboarding by a Network Administrator, without System Manager: an organisation's users
(invited by email, To Link roles only), their roles, and the API keys of its integration users.

Frappe leaves user creation and API keys (frappe.core.doctype.user.user.generate_keys) to System
Managers; To Link gives this to the data controller's office (Network Administrators), within
limits that keep it from becoming an administrator's back door:

- the roles given are from PARTNER_ROLES only: To Link roles but Network Administrator; never
  System Manager, Administrator or any other Frappe or custom role;
- a user is managed here only if it works for an organisation and holds no role outside
  PARTNER_ROLES (Administrator, System Managers, Network Administrators and accounts made by a
  System Manager with other roles are left to System Managers);
- API keys are for integration users only (`User.tolink_integration_user`: API access, no
  interactive login), whose roles need no second factor: a key would skip it;
- the secret is answered once, to the administrator who asked, and never stored in clear (Frappe
  keeps it encrypted, as generate_keys does); rotating replaces both the key and the secret, and the
  old pair stops working at once, as does a revoked one;
- every act is written to the Partner Account Log (append-only), never the secret.

The endpoints (tolink.api.desk) check that the caller is a Network Administrator and call these.
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, getdate, now_datetime, today, validate_email_address
from frappe.utils.password import set_encrypted_password

from tolink.network.doctype.integration_key import integration_key
from tolink.network.doctype.partner_account_log import partner_account_log as account_log
from tolink.network.doctype.partner_account_log.partner_account_log import record
from tolink.security.api_keys import INTEGRATION_KEY, INTEGRATION_USER_FIELD, parse_ip_ranges
from tolink.security.users import ROLES, USER_PROVIDER_FIELD, is_network_admin

# the roles a Network Administrator gives to a partner's users
PARTNER_ROLES = tuple(role for role in ROLES if role != "Network Administrator")
STANDARD_USERS = ("Administrator", "Guest")
MAX_NAME_LENGTH = 100
# the lengths of the key and the secret (hexadecimal): 120 bits of secret
KEY_LENGTH, SECRET_LENGTH = 20, 30


class OnboardingError(frappe.ValidationError):
	pass


def check_network_admin() -> None:
	if not is_network_admin():
		frappe.throw(
			_("Only a Network Administrator manages partners' accounts."),
			frappe.PermissionError,
			title=_("Not allowed"),
		)


def two_factor_roles() -> set[str]:
	"""Roles asking a second factor at login (Role.two_factor_auth): never on an integration user."""
	return set(frappe.get_all("Role", filters={"two_factor_auth": 1}, pluck="name"))


def integration_roles() -> tuple[str, ...]:
	skip = two_factor_roles()
	return tuple(role for role in PARTNER_ROLES if role not in skip)


def allowed_roles(requested, integration: bool) -> list[str]:
	"""The roles asked for, checked: a non-empty list of PARTNER_ROLES (of integration_roles for an
	integration user). Refused with the roles that may not be given."""
	if not isinstance(requested, list | tuple) or not all(isinstance(r, str) for r in requested):
		frappe.throw(_("Roles must be a list of role names."), OnboardingError)
	roles = list(dict.fromkeys(r.strip() for r in requested if r and r.strip()))
	if not roles:
		frappe.throw(_("Choose at least one role."), OnboardingError)
	allowed = integration_roles() if integration else PARTNER_ROLES
	refused = [r for r in roles if r not in allowed]
	if refused:
		if integration and all(r in PARTNER_ROLES for r in refused):
			message = _(
				"An integration user cannot hold {0}: the role asks for a second factor at login, which "
				"an API key would skip."
			)
		else:
			message = _("A Network Administrator cannot give {0}: only To Link roles of partners' staff.")
		frappe.throw(
			message.format(", ".join(escape_html(r[:60]) for r in refused)),
			OnboardingError,
			title=_("Not allowed"),
		)
	return roles


def active_provider(provider: str) -> str:
	if not isinstance(provider, str) or not provider or not frappe.db.exists("Provider", provider):
		frappe.throw(_("No such organisation."), OnboardingError)
	frappe.has_permission("Provider", "write", doc=provider, throw=True)
	if not frappe.db.get_value("Provider", provider, "is_active"):
		frappe.throw(
			_("{0} is not active: activate it first.").format(frappe.bold(provider)), OnboardingError
		)
	return provider


def managed_user(user: str) -> frappe._dict:
	"""A partner's user this office may manage: works for an organisation, holds only PARTNER_ROLES.
	Anything else (a user that does not exist included) gets the same answer."""
	row = None
	if isinstance(user, str) and user and user not in STANDARD_USERS:
		row = frappe.db.get_value(
			"User",
			user,
			["name", "enabled", "full_name", USER_PROVIDER_FIELD, INTEGRATION_USER_FIELD],
			as_dict=True,
		)
	roles = set(user_roles(row.name)) if row else set()
	if not row or not row.get(USER_PROVIDER_FIELD) or not roles <= set(PARTNER_ROLES):
		frappe.throw(
			_("This user is not a partner's user a Network Administrator manages: ask a System Manager."),
			OnboardingError,
			title=_("Not allowed"),
		)
	row.roles = sorted(roles)
	row.provider = row.get(USER_PROVIDER_FIELD)
	row.integration = cint(row.get(INTEGRATION_USER_FIELD))
	return row


def user_roles(user: str) -> list[str]:
	return frappe.get_all(
		"Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role", order_by="role"
	)


def clean_text(value, label: str, required: bool = False) -> str:
	if value is None:
		value = ""
	if not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label), OnboardingError)
	value = " ".join(value.split())
	if required and not value:
		frappe.throw(_("{0} is required.").format(label), OnboardingError)
	if len(value) > MAX_NAME_LENGTH or any(c in "<>" or ord(c) < 32 for c in value):
		frappe.throw(_("{0} is not a valid name.").format(label), OnboardingError)
	return value


# --- users


def invite_user(
	provider: str,
	email: str,
	first_name: str,
	last_name: str | None,
	roles: list[str],
	integration: bool = False,
	coordinator: bool = False,
) -> dict:
	"""A new user of the organisation with the roles given. A person gets Frappe's welcome email (a
	link to set the password); an integration user gets none and never logs in: its key comes next."""
	check_network_admin()
	provider = active_provider(provider)
	integration = bool(cint(integration))
	email = (email or "").strip().lower() if isinstance(email, str) else ""
	if not email or len(email) > 140 or not validate_email_address(email, throw=False) == email:
		frappe.throw(_("Enter a valid email address."), OnboardingError)
	first_name = clean_text(first_name, _("First Name"), required=True)
	last_name = clean_text(last_name, _("Last Name"))
	roles = allowed_roles(roles, integration)
	if integration and cint(coordinator):
		frappe.throw(_("The coordinator is a person, not an integration user."), OnboardingError)
	if frappe.db.exists("User", email) or frappe.db.exists("User", {"email": email}):
		# never which organisation (or whether any) holds it
		frappe.throw(_("This email address is already in use."), OnboardingError)
	user = frappe.new_doc("User")
	user.update(
		{
			"email": email,
			"first_name": first_name,
			"last_name": last_name or None,
			"language": frappe.db.get_default("lang") or "it",
			USER_PROVIDER_FIELD: provider,
			INTEGRATION_USER_FIELD: int(integration),
			"send_welcome_email": 0 if integration else 1,
		}
	)
	for role in roles:
		user.append("roles", {"role": role})
	if integration:
		user.flags.no_welcome_mail = True
	# who may do this was checked above: the caller is the data controller's office, every value
	# was checked; Frappe lets only System Managers create users
	user.insert(ignore_permissions=True)
	if cint(coordinator):
		frappe.db.set_value("Provider", provider, "coordinator", user.name)
	details = _("Roles: {0}").format(", ".join(roles))
	if integration:
		details += "; " + _("integration user (API only)")
	if cint(coordinator):
		details += "; " + _("coordinator of the organisation")
	record(account_log.USER_INVITED, user.name, provider, details)
	return {
		"user": user.name,
		"roles": roles,
		"integration": int(integration),
		"welcome_email": int(not integration),
	}


def set_roles(user: str, roles: list[str]) -> dict:
	"""The user's roles become those given (PARTNER_ROLES only)."""
	check_network_admin()
	row = managed_user(user)
	frappe.has_permission("Provider", "write", doc=row.provider, throw=True)
	roles = allowed_roles(roles, bool(row.integration))
	if set(roles) == set(row.roles):
		return {"user": row.name, "roles": row.roles, "changed": 0}
	doc = frappe.get_doc("User", row.name)
	doc.set("roles", [])
	for role in roles:
		doc.append("roles", {"role": role})
	doc.save(ignore_permissions=True)
	record(
		account_log.ROLES_CHANGED,
		row.name,
		row.provider,
		_("Roles: {0} → {1}").format(", ".join(row.roles) or "-", ", ".join(sorted(roles))),
	)
	return {"user": row.name, "roles": sorted(roles), "changed": 1}


# --- API keys


def key_user(user: str) -> frappe._dict:
	"""A user who may get an API key: a managed, enabled integration user."""
	row = managed_user(user)
	frappe.has_permission("Provider", "write", doc=row.provider, throw=True)
	if not row.integration:
		frappe.throw(
			_("API keys are for integration users only: invite one for the organisation's system."),
			OnboardingError,
		)
	if not row.enabled:
		frappe.throw(_("This user is disabled."), OnboardingError)
	skip = two_factor_roles() & set(row.roles)
	if skip:
		frappe.throw(
			_("An integration user cannot hold {0}: the role asks for a second factor at login.").format(
				", ".join(sorted(skip))
			),
			OnboardingError,
		)
	return row


def limits(allowed_ip_ranges: str | None, expires_on: str | None) -> tuple[str | None, str | None]:
	"""The allowed ranges (normalised, one per line) and the expiry date, checked."""
	if allowed_ip_ranges is not None and not isinstance(allowed_ip_ranges, str):
		frappe.throw(_("The allowed IP ranges are text."), OnboardingError)
	ranges = "\n".join(parse_ip_ranges(allowed_ip_ranges)) or None
	expiry = None
	if expires_on:
		try:
			expiry = getdate(expires_on) if isinstance(expires_on, str) else None
		except Exception:
			expiry = None
		if expiry is None:
			frappe.clear_last_message()
			frappe.throw(_("The expiry is a date (YYYY-MM-DD)."), OnboardingError)
		if expiry < getdate(today()):
			frappe.throw(_("The expiry date is in the past."), OnboardingError)
		expiry = str(expiry)
	return ranges, expiry


def describe_limits(ranges: str | None, expiry: str | None) -> str:
	return _("allowed IP ranges: {0}; expires on: {1}").format(
		", ".join((ranges or "").split()) or _("any"), expiry or _("never")
	)


def issue_key(user: str, allowed_ip_ranges: str | None = None, expires_on: str | None = None) -> dict:
	"""A new key and secret for the integration user: created, or rotated when the user has one (the
	old pair stops working at once). The secret is in this answer only."""
	check_network_admin()
	row = key_user(user)
	ranges, expiry = limits(allowed_ip_ranges, expires_on)
	api_key = frappe.generate_hash(length=KEY_LENGTH)
	api_secret = frappe.generate_hash(length=SECRET_LENGTH)
	# Frappe's generate_keys does the same through User.save (System Managers only)
	frappe.db.set_value("User", row.name, "api_key", api_key, update_modified=False)
	set_encrypted_password("User", row.name, api_secret, "api_secret")
	if frappe.db.exists(INTEGRATION_KEY, row.name):
		doc = frappe.get_doc(INTEGRATION_KEY, row.name)
		action = account_log.KEY_ROTATED if doc.status == integration_key.ACTIVE else account_log.KEY_CREATED
	else:
		doc = frappe.new_doc(INTEGRATION_KEY)
		doc.user = row.name
		action = account_log.KEY_CREATED
	doc.update(
		{
			"provider": row.provider,
			"status": integration_key.ACTIVE,
			"key_id": api_key,
			"allowed_ip_ranges": ranges,
			"expires_on": expiry,
			"issued_on": now_datetime(),
			"issued_by": frappe.session.user,
			"revoked_on": None,
			"revoked_by": None,
		}
	)
	doc.save(ignore_permissions=True)
	record(
		action, row.name, row.provider, _("API key {0}; {1}").format(api_key, describe_limits(ranges, expiry))
	)
	return {
		"user": row.name,
		"api_key": api_key,
		"api_secret": api_secret,
		"allowed_ip_ranges": ranges,
		"expires_on": expiry,
		"action": action,
	}


def revoke_key(user: str) -> dict:
	"""The user's key and secret are deleted: the next request with them is refused."""
	check_network_admin()
	row = managed_user(user)
	frappe.has_permission("Provider", "write", doc=row.provider, throw=True)
	doc = frappe.get_doc(INTEGRATION_KEY, row.name) if frappe.db.exists(INTEGRATION_KEY, row.name) else None
	if not doc or doc.status != integration_key.ACTIVE:
		frappe.throw(_("This user has no API key to revoke."), OnboardingError)
	frappe.db.set_value("User", row.name, "api_key", None, update_modified=False)
	frappe.db.delete("__Auth", {"doctype": "User", "name": row.name, "fieldname": "api_secret"})
	old = doc.key_id
	doc.update(
		{
			"status": integration_key.REVOKED,
			"key_id": None,
			"revoked_on": now_datetime(),
			"revoked_by": frappe.session.user,
		}
	)
	doc.save(ignore_permissions=True)
	record(account_log.KEY_REVOKED, row.name, row.provider, _("API key {0}").format(old or "-"))
	return {"user": row.name, "status": doc.status}


def set_key_limits(user: str, allowed_ip_ranges: str | None = None, expires_on: str | None = None) -> dict:
	"""New allowed ranges and expiry for the user's active key (the key itself is unchanged)."""
	check_network_admin()
	row = key_user(user)
	doc = frappe.get_doc(INTEGRATION_KEY, row.name) if frappe.db.exists(INTEGRATION_KEY, row.name) else None
	if not doc or doc.status != integration_key.ACTIVE:
		frappe.throw(_("This user has no active API key."), OnboardingError)
	ranges, expiry = limits(allowed_ip_ranges, expires_on)
	before = describe_limits(doc.allowed_ip_ranges, str(doc.expires_on) if doc.expires_on else None)
	doc.allowed_ip_ranges, doc.expires_on = ranges, expiry
	doc.save(ignore_permissions=True)
	after = describe_limits(ranges, expiry)
	if before != after:
		record(account_log.KEY_LIMITS_CHANGED, row.name, row.provider, f"{before} → {after}")
	return {
		"user": row.name,
		"allowed_ip_ranges": ranges,
		"expires_on": expiry,
		"changed": int(before != after),
	}


# --- what the organisation's form shows


def accounts(provider: str) -> dict:
	"""The organisation's users (roles, integration or not, key state; never a secret), the roles that
	may be given, and its last account log entries."""
	check_network_admin()
	if not isinstance(provider, str) or not frappe.db.exists("Provider", provider):
		frappe.throw(_("No such organisation."), OnboardingError)
	frappe.has_permission("Provider", "write", doc=provider, throw=True)
	users = frappe.get_all(
		"User",
		filters={USER_PROVIDER_FIELD: provider},
		fields=["name", "full_name", "enabled", INTEGRATION_USER_FIELD],
		order_by="name",
		limit=500,
	)
	names = [u.name for u in users]
	roles: dict[str, list[str]] = {}
	keys = {}
	if names:
		for r in frappe.get_all(
			"Has Role",
			filters={"parent": ("in", names), "parenttype": "User"},
			fields=["parent", "role"],
			order_by="role",
		):
			roles.setdefault(r.parent, []).append(r.role)
		keys = {
			k.name: k
			for k in frappe.get_all(
				INTEGRATION_KEY,
				filters={"name": ("in", names)},
				fields=["name", "status", "key_id", "allowed_ip_ranges", "expires_on", "issued_on"],
			)
		}
	out = []
	for u in users:
		user_roles_ = roles.get(u.name, [])
		key = keys.get(u.name)
		out.append(
			{
				"user": u.name,
				"full_name": u.full_name,
				"enabled": u.enabled,
				"integration": cint(u.get(INTEGRATION_USER_FIELD)),
				"roles": user_roles_,
				"managed": int(set(user_roles_) <= set(PARTNER_ROLES)),
				"key": {
					"status": key.status,
					"api_key": key.key_id,
					"allowed_ip_ranges": key.allowed_ip_ranges,
					"expires_on": key.expires_on,
					"issued_on": key.issued_on,
				}
				if key
				else None,
			}
		)
	log = frappe.get_all(
		"Partner Account Log",
		filters={"provider": provider},
		fields=["logged_on", "action", "account", "done_by", "details"],
		order_by="logged_on desc",
		limit=20,
	)
	return {
		"users": out,
		"partner_roles": list(PARTNER_ROLES),
		"integration_roles": list(integration_roles()),
		"log": log,
	}


def forget_integration_key(doc, method=None) -> None:
	"""doc_events User on_trash: a deleted user's key record goes with it (its log stays)."""
	frappe.db.delete(INTEGRATION_KEY, {"name": doc.name})
