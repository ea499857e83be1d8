"""Disabling a user revokes API keys and sessions at once; rotating a key invalidates the old one
(over HTTP, against a real server)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.tests.factories import make_provider, uid
from tolink.tests.rest import Client, RestError, make_api_key, make_user


class TestAccountSecurity(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.user = make_user(f"partner-{uid()}@sec.test", ["Reception Operator"], make_provider())

	def whoami(self, client: Client) -> str:
		return client.get("frappe.auth.get_logged_user")

	def test_disabling_revokes_api_keys_and_sessions(self):
		key = make_api_key(self.user)
		token_client, session_client = Client.with_token(*key), Client(self.user)
		self.assertEqual(self.whoami(token_client), self.user)
		self.assertEqual(self.whoami(session_client), self.user)

		user = frappe.get_doc("User", self.user)
		user.enabled = 0
		user.save(ignore_permissions=True)
		frappe.db.commit()

		for client in (token_client, session_client):
			with self.assertRaises(RestError) as ctx:
				self.whoami(client)
			self.assertIn(ctx.exception.status_code, (401, 403))
		self.assertIsNone(frappe.db.get_value("User", self.user, "api_key"))

	def test_disabled_user_with_a_key_restored_is_still_refused(self):
		"""Even if keys reappear (restore, direct DB edit), a disabled user is refused."""
		key = make_api_key(self.user)
		frappe.db.set_value("User", self.user, "enabled", 0)  # bypasses the revocation hook
		frappe.db.commit()
		with self.assertRaises(RestError) as ctx:
			self.whoami(Client.with_token(*key))
		self.assertIn(ctx.exception.status_code, (401, 403))

	def test_rotating_a_key_invalidates_the_old_one(self):
		old = make_api_key(self.user)
		self.assertEqual(self.whoami(Client.with_token(*old)), self.user)
		new = make_api_key(self.user)
		self.assertEqual(self.whoami(Client.with_token(*new)), self.user)
		with self.assertRaises(RestError):
			self.whoami(Client.with_token(*old))
