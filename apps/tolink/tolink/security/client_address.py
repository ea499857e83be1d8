"""The client's address, taken from a trusted proxy only, and login throttling per address.

Frappe takes the client address from the first entry of X-Forwarded-For, whoever sent it: a
client talking to the server directly (or through a proxy that appends to the header) can claim
any address, escape the per-address login lock by changing it at every attempt, or lock out
someone else's address. To Link decides the address the way a reverse proxy does:

- the peer of the connection (REMOTE_ADDR) is the client, unless it is a trusted proxy
  (site config `tolink_trusted_proxies`, addresses or networks; default: this machine only);
- behind trusted proxies, X-Forwarded-For is read from the right: the first hop that is not a
  trusted proxy is the client. Whatever a client wrote to the left of it is ignored.

Failed logins are counted per account by Frappe (System Settings) and per address here
(To Link Settings: attempts and lock minutes); a locked address cannot log in to any account
until the lock ends, whatever X-Forwarded-For says.
"""

import ipaddress
from functools import lru_cache

import frappe
from frappe import _

DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
DEFAULT_ATTEMPTS_PER_ADDRESS = 20
DEFAULT_LOCK_MINUTES = 10


class AddressLockedError(frappe.SecurityException):
	http_status_code = 429


@lru_cache(maxsize=32)
def _networks(proxies: tuple[str, ...]) -> tuple:
	networks = []
	for proxy in proxies:
		try:
			networks.append(ipaddress.ip_network(str(proxy).strip(), strict=False))
		except ValueError:
			frappe.logger("tolink").error(f"tolink_trusted_proxies: not an address or network: {proxy!r}")
	return tuple(networks)


def trusted_proxies() -> tuple:
	configured = frappe.conf.get("tolink_trusted_proxies")
	if configured is None:
		configured = DEFAULT_TRUSTED_PROXIES
	elif isinstance(configured, str):
		configured = [p for p in configured.replace(";", ",").split(",") if p.strip()]
	return _networks(tuple(configured))


def _parse(address: str):
	try:
		return ipaddress.ip_address(address.strip().strip("[]"))
	except ValueError:
		return None


def _is_trusted(address, networks) -> bool:
	if address.version == 6 and address.ipv4_mapped:
		address = address.ipv4_mapped
	return any(address in network for network in networks)


def client_address(environ: dict | None = None) -> str:
	"""The address of the client of this request, as the trusted proxies saw it."""
	if environ is None:
		request = getattr(frappe.local, "request", None)
		if not request:
			return "127.0.0.1"
		environ = request.environ
	peer = _parse(environ.get("REMOTE_ADDR") or "") or ipaddress.ip_address("127.0.0.1")
	networks = trusted_proxies()
	if not _is_trusted(peer, networks):
		return str(peer)
	client = peer
	for hop in reversed((environ.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
		if not hop.strip():
			continue
		address = _parse(hop)
		if address is None:
			# garbage where a proxy should have written an address: trust nothing further left
			break
		client = address
		if not _is_trusted(address, networks):
			break
	return str(client)


def set_request_ip() -> None:
	"""hooks.before_request: everything after authentication (activity and access logs, IP
	restrictions checked later) sees the address decided here."""
	if getattr(frappe.local, "request", None):
		frappe.local.request_ip = client_address()


# --- login throttling per address


def _limits() -> tuple[int, int]:
	"""(attempts, lock minutes) from To Link Settings; a value never saved takes the default."""
	settings = frappe.db.get_singles_dict("To Link Settings")
	attempts = settings.get("login_attempts_per_address")
	minutes = settings.get("address_lock_minutes")
	return (
		DEFAULT_ATTEMPTS_PER_ADDRESS if attempts is None else int(attempts),
		DEFAULT_LOCK_MINUTES if minutes in (None, 0) else int(minutes),
	)


def address_tracker(address: str):
	from frappe.auth import LoginAttemptTracker

	attempts, minutes = _limits()
	if attempts <= 0:
		return None
	return LoginAttemptTracker(
		f"tolink-address:{address}", max_consecutive_login_attempts=attempts, lock_interval=minutes * 60
	)


def check_address_not_locked(login_manager=None) -> None:
	"""hooks.on_login: runs after the password (and OTP) were right, before the session exists."""
	if not getattr(frappe.local, "request", None):
		return
	tracker = address_tracker(client_address())
	if tracker and not tracker.is_user_allowed():
		address_locked()


def record_login_failure(doc, method=None) -> None:
	"""doc_events Activity Log before_insert: Frappe logs every failed login; the log gets the
	trusted address and the failure counts for that address.

	From an address already locked, a failure gets the same answer as the right password
	(check_address_not_locked): otherwise "invalid credentials" for a wrong password and "too many
	failed logins" for the right one would tell an attacker which password was right. Frappe
	(LoginManager.fail) logs the failure before committing and raising: raising here leaves no log
	row (the request is rolled back), the count is already in the cache."""
	if not getattr(frappe.local, "request", None) or doc.operation != "Login":
		return
	address = client_address()
	doc.ip_address = address
	if doc.status == "Failed" and (tracker := address_tracker(address)):
		locked = not tracker.is_user_allowed()
		tracker.add_failure_attempt()
		if locked:
			# LoginManager.fail put its own message in the response: the answer must not differ
			frappe.local.response.pop("message", None)
			address_locked()


def address_locked() -> None:
	frappe.throw(
		_("Too many failed logins from your address: try again in {0} minutes.").format(_limits()[1]),
		AddressLockedError,
	)


def clear_address_lock(address: str) -> None:
	"""For an administrator (bench console) when an office's address was locked by mistake."""
	if tracker := address_tracker(address):
		tracker.add_success_attempt()
