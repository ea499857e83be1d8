"""API keys of the partners' integration users: where from, until when, and no password logins.

A Network Administrator issues a key to an organisation's integration user (tolink.network.onboarding)
with an optional list of allowed addresses or networks (CIDR, IPv4 or IPv6) and an optional expiry
date, kept on the user's *Integration Key* record. Frappe checks only the key and the secret;
`check_key_restrictions` (an auth hook, right after Frappe authenticated the request) refuses with 401
a request whose key is revoked, expired, or used from an address outside its ranges. The client's
address is the one tolink.security.client_address decides (trusted proxies only).

An integration user (`User.tolink_integration_user`) works through the API only: an interactive
login is refused (`refuse_interactive_login`, hooks.on_login), whatever password it may have got.

Below the domain (layers): reads the Integration Key table by name, imports no doctype.
"""

import base64
import binascii
import ipaddress

import frappe
from frappe import _
from frappe.utils import getdate, today

from tolink.security.client_address import client_address

INTEGRATION_KEY = "Integration Key"
INTEGRATION_USER_FIELD = "tolink_integration_user"
# the statuses of an Integration Key (its controller holds them too: STATUSES)
KEY_ACTIVE, KEY_REVOKED = "Active", "Revoked"
# at most this many ranges per key: a list, not a firewall
MAX_RANGES = 20


class KeyRefusedError(frappe.AuthenticationError):
	"""401: a valid key used where or when it may not be."""


# --- allowed ranges


def parse_ip_ranges(text: str | None) -> list[str]:
	"""The allowed ranges written by an administrator (one per line or separated by commas or spaces),
	each an IPv4 or IPv6 address or network in CIDR form, normalised ("10.1.0.0/16", "2001:db8::/32");
	a bare address is a network of one. Raises frappe.ValidationError naming the first bad entry."""
	entries = [e for e in (text or "").replace(",", " ").split() if e]
	if len(entries) > MAX_RANGES:
		frappe.throw(_("At most {0} allowed IP ranges.").format(MAX_RANGES), title=_("Allowed IP ranges"))
	out = []
	for entry in entries:
		try:
			network = ipaddress.ip_network(entry, strict=False)
		except ValueError:
			frappe.throw(
				_("{0} is not an IP address or network (e.g. 203.0.113.0/24 or 2001:db8::/48).").format(
					frappe.bold(frappe.utils.escape_html(entry[:60]))
				),
				title=_("Allowed IP ranges"),
			)
		if network.prefixlen == 0:
			frappe.throw(
				_("{0} allows every address: leave the field empty instead.").format(
					frappe.bold(str(network))
				),
				title=_("Allowed IP ranges"),
			)
		if str(network) not in out:
			out.append(str(network))
	return out


def address_allowed(address: str, ranges: list[str]) -> bool:
	"""Whether the address is in one of the ranges (an IPv4 address written as IPv6 counts as IPv4)."""
	try:
		ip = ipaddress.ip_address(address)
	except ValueError:
		return False
	if ip.version == 6 and ip.ipv4_mapped:
		ip = ip.ipv4_mapped
	for entry in ranges:
		try:
			if ip in ipaddress.ip_network(entry, strict=False):
				return True
		except ValueError:
			continue
	return False


# --- at request time


def key_in_header(header: str | None) -> str | None:
	"""The API key of an `Authorization: token <key>:<secret>` or `Basic base64(<key>:<secret>)`
	header, as Frappe reads it; None for anything else (session cookies, OAuth bearer tokens)."""
	parts = (header or "").split(" ")
	if len(parts) != 2:
		return None
	kind, token = parts[0].lower(), parts[1]
	if kind == "basic":
		try:
			token = frappe.safe_decode(base64.b64decode(token))
		except (binascii.Error, ValueError):
			return None
	elif kind != "token":
		return None
	key, _sep, _secret = token.partition(":")
	return key or None


def refusal(key: dict, address: str, on: str | None = None) -> str | None:
	"""Why the key may not be used now from the address (for the server's log), or None."""
	if key.status != KEY_ACTIVE:
		return "revoked"
	if key.expires_on and getdate(on or today()) > getdate(key.expires_on):
		return "expired"
	ranges = (key.allowed_ip_ranges or "").split()
	if ranges and not address_allowed(address, ranges):
		return f"address {address} outside the allowed ranges"
	return None


def check_key_restrictions() -> None:
	"""hooks.auth_hooks: a request carrying an API key of a user with an Integration Key is refused
	(401) when that key is revoked, expired or used from an address outside its ranges. Two indexed
	reads, only for requests carrying a key."""
	if not getattr(frappe.local, "request", None):
		return
	api_key = key_in_header(frappe.get_request_header("Authorization"))
	if not api_key or (frappe.get_request_header("Frappe-Authorization-Source") or "User") != "User":
		# no key, or a key of another doctype than User (Frappe's authorization source): none of ours
		return
	user = frappe.db.get_value("User", {"api_key": api_key}, "name")
	if not user:
		return  # Frappe refuses the key itself
	key = frappe.db.get_value(
		INTEGRATION_KEY, user, ["status", "expires_on", "allowed_ip_ranges"], as_dict=True
	)
	if not key:
		return
	reason = refusal(key, client_address())
	if reason:
		frappe.logger("tolink.api_keys").warning(f"API key of {user} refused: {reason}")
		frappe.set_user("Guest")
		raise KeyRefusedError(
			_("This API key is not valid: revoked, expired, or not allowed from your address.")
		)


def refuse_interactive_login(login_manager=None) -> None:
	"""hooks.on_login: an integration user never logs in with a password (or any other interactive
	way): its organisation's system calls the API with its key."""
	user = getattr(login_manager, "user", None)
	if not user or user in ("Administrator", "Guest"):
		return
	if frappe.db.get_value("User", user, INTEGRATION_USER_FIELD):
		raise frappe.AuthenticationError(_("This account is for API access only: it cannot log in."))
