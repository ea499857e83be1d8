"""The client address comes from trusted proxies only; failed logins lock an address (over HTTP)."""

import json
import random

import frappe
import requests
from frappe.installer import update_site_config

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.live_server import api_url, site_headers
from tolink.devtools.rest import TEST_PASSWORD, make_user
from tolink.security.client_address import address_tracker, clear_address_lock, client_address
from tolink.tests.case import CommittingTestCase


def environ(peer: str, forwarded: str | None = None) -> dict:
	env = {"REMOTE_ADDR": peer}
	if forwarded is not None:
		env["HTTP_X_FORWARDED_FOR"] = forwarded
	return env


def answer(r: requests.Response) -> dict:
	"""The response's body without the id each error gets."""
	body = r.json()
	messages = [json.loads(m) for m in json.loads(body.pop("_server_messages", "[]"))]
	for m in messages:
		m.pop("__frappe_exc_id", None)
	return {**body, "_server_messages": messages}


class TestClientAddress(CommittingTestCase):
	"""How the address is decided (no server needed)."""

	def setUp(self):
		self.saved = frappe.local.conf.get("tolink_trusted_proxies")

	def tearDown(self):
		frappe.local.conf["tolink_trusted_proxies"] = self.saved

	def trust(self, proxies):
		frappe.local.conf["tolink_trusted_proxies"] = proxies

	def test_untrusted_peer_cannot_claim_an_address(self):
		self.trust(["10.0.0.1"])
		self.assertEqual(client_address(environ("198.51.100.20", "203.0.113.9")), "198.51.100.20")
		self.assertEqual(client_address(environ("198.51.100.20")), "198.51.100.20")

	def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(self):
		self.trust(["10.0.0.0/24"])
		# the client wrote 1.2.3.4 itself; the proxy appended the address it saw
		self.assertEqual(client_address(environ("10.0.0.5", "1.2.3.4, 203.0.113.9")), "203.0.113.9")
		# a chain of trusted proxies (load balancer, then nginx)
		self.assertEqual(client_address(environ("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7")), "203.0.113.9")
		# no header: the proxy itself
		self.assertEqual(client_address(environ("10.0.0.5")), "10.0.0.5")
		# garbage in the header is never taken as an address
		self.assertEqual(client_address(environ("10.0.0.5", "evil, not-an-ip")), "10.0.0.5")

	def test_default_trusts_this_machine_only_and_handles_ipv6(self):
		self.trust(None)
		self.assertEqual(client_address(environ("127.0.0.1", "203.0.113.9")), "203.0.113.9")
		self.assertEqual(client_address(environ("::1", "2001:db8::5")), "2001:db8::5")
		self.assertEqual(client_address(environ("::ffff:127.0.0.1", "203.0.113.9")), "203.0.113.9")
		self.assertEqual(client_address(environ("192.0.2.1", "203.0.113.9")), "192.0.2.1")

	def test_proxies_as_a_comma_separated_string(self):
		self.trust("10.0.0.1, 10.0.0.2")
		self.assertEqual(client_address(environ("10.0.0.2", "203.0.113.9")), "203.0.113.9")


class TestLoginThrottlingPerAddress(CommittingTestCase):
	"""Against the real server: failed logins lock the address they came from, and the address is the
	one the trusted proxy saw, whatever the client writes in X-Forwarded-For."""

	ATTEMPTS = 3

	def setUp(self):
		frappe.set_user("Administrator")
		self.user = make_user(f"throttle-{uid()}@sec.test", ["Reception Operator"], make_provider())
		settings = frappe.db.get_singles_dict("To Link Settings")
		saved = {f: settings.get(f) for f in ("login_attempts_per_address", "address_lock_minutes")}
		frappe.db.set_single_value(
			"To Link Settings", {"login_attempts_per_address": self.ATTEMPTS, "address_lock_minutes": 10}
		)
		frappe.db.commit()
		self.addCleanup(self.restore_settings, saved)
		self.base = api_url()

	def restore_settings(self, saved):
		frappe.db.set_single_value("To Link Settings", saved)
		frappe.db.commit()

	def login(self, user: str, password: str, forwarded: str | None = None) -> requests.Response:
		headers = dict(site_headers())
		if forwarded:
			headers["X-Forwarded-For"] = forwarded
		return requests.post(
			self.base + "/api/method/login", data={"usr": user, "pwd": password}, headers=headers, timeout=30
		)

	def fail_logins(self, forwarded_values) -> None:
		for forwarded in forwarded_values:
			# an unknown account each time: only the per-address counter can stop this
			r = self.login(f"nobody-{uid()}@sec.test", "wrong-password", forwarded)
			self.assertEqual(r.status_code, 401, r.text)

	def test_failed_logins_lock_the_address_behind_the_trusted_proxy(self):
		address, other = f"203.0.113.{random.randint(1, 250)}", "198.51.100.77"
		self.addCleanup(clear_address_lock, address)
		self.addCleanup(clear_address_lock, other)
		# the allowed number of failures, and one more
		self.fail_logins([address] * (self.ATTEMPTS + 1))

		# the right password from the locked address is refused, with a clear answer
		r = self.login(self.user, TEST_PASSWORD, address)
		self.assertEqual(r.status_code, 429, r.text)
		self.assertIn("minut", r.text)
		# writing another address to the left changes nothing: the proxy appended the real one
		r = self.login(self.user, TEST_PASSWORD, f"192.0.2.10, {address}")
		self.assertEqual(r.status_code, 429, r.text)
		# the same account from another address logs in: the lock is the address's
		r = self.login(self.user, TEST_PASSWORD, other)
		self.assertEqual(r.status_code, 200, r.text)

		# the failures are logged with the address the proxy saw
		logged = frappe.get_all(
			"Activity Log",
			filters={"operation": "Login", "status": "Failed", "ip_address": address},
			pluck="name",
		)
		self.assertGreaterEqual(len(logged), self.ATTEMPTS + 1)

	def test_a_locked_address_answers_the_same_to_any_password(self):
		"""Locked, a wrong password gets the right one's answer: "invalid credentials" against "too
		many failed logins" would tell an attacker which password was right."""
		address = f"198.51.100.{random.randint(100, 250)}"
		self.addCleanup(clear_address_lock, address)
		clear_address_lock(address)
		self.fail_logins([address] * (self.ATTEMPTS + 1))
		frappe.db.rollback()  # a fresh snapshot: the server's commits
		failed = frappe.db.count(
			"Activity Log", {"operation": "Login", "status": "Failed", "ip_address": address}
		)

		wrong = self.login(self.user, "wrong-password", address)
		right = self.login(self.user, TEST_PASSWORD, address)
		unknown = self.login(f"nobody-{uid()}@sec.test", "wrong-password", address)
		for r in (wrong, right, unknown):
			self.assertEqual(r.status_code, 429, r.text)
			self.assertIn("minut", r.text)
		self.assertEqual(answer(wrong), answer(right))
		self.assertEqual(answer(unknown), answer(right))
		self.assertNotIn("Invalid login credentials", wrong.text)
		# refused before Frappe logged it: nothing half-written
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count(
				"Activity Log", {"operation": "Login", "status": "Failed", "ip_address": address}
			),
			failed,
		)
		# the lock is the address's: the account logs in from elsewhere
		self.assertEqual(self.login(self.user, TEST_PASSWORD, "198.51.100.78").status_code, 200)

	def test_a_client_talking_to_the_server_directly_cannot_rotate_its_address(self):
		"""The test client is the peer here: with no trusted proxy, X-Forwarded-For is ignored."""
		update_site_config("tolink_trusted_proxies", ["192.0.2.254"])
		self.addCleanup(update_site_config, "tolink_trusted_proxies", "None")
		peer = "127.0.0.1"
		self.addCleanup(clear_address_lock, peer)
		clear_address_lock(peer)

		# a new made-up address at every attempt
		self.fail_logins([f"203.0.113.{i}" for i in range(1, self.ATTEMPTS + 2)])
		tracker = address_tracker(peer)
		self.assertFalse(tracker.is_user_allowed())
		r = self.login(self.user, TEST_PASSWORD, "203.0.113.200")
		self.assertEqual(r.status_code, 429, r.text)

		clear_address_lock(peer)
		r = self.login(self.user, TEST_PASSWORD, "203.0.113.200")
		self.assertEqual(r.status_code, 200, r.text)

	def test_no_limit_when_switched_off(self):
		frappe.db.set_single_value("To Link Settings", "login_attempts_per_address", 0)
		frappe.db.commit()
		address = "198.51.100.99"
		self.addCleanup(clear_address_lock, address)
		self.fail_logins([address] * (self.ATTEMPTS + 2))
		self.assertEqual(self.login(self.user, TEST_PASSWORD, address).status_code, 200)
