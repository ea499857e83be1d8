"""Install's security defaults, checked on a real site and over HTTP."""

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from tolink.tests.factories import make_provider, uid
from tolink.tests.live_server import api_url, site_headers
from tolink.tests.rest import TEST_PASSWORD, Client, RestError, make_user


class TestSecurityDefaults(FrappeTestCase):
	def test_settings(self):
		s = frappe.get_single("System Settings")
		self.assertEqual(int(s.minimum_password_score), 3)
		self.assertEqual(s.session_expiry, "09:00")
		self.assertFalse(s.allow_error_traceback)
		self.assertTrue(s.encrypt_backup)
		self.assertEqual(s.two_factor_method, "OTP App")
		self.assertEqual(frappe.db.get_value("Role", "Psychologist", "two_factor_auth"), 1)
		self.assertEqual(frappe.db.get_value("Role", "Reception Operator", "two_factor_auth"), 0)

	def test_psychologist_password_alone_opens_no_session(self):
		"""With outgoing email set up (here: an SMTP account that is never reached), 2FA is on."""
		from tolink.setup.install import enable_two_factor_auth

		if not frappe.db.exists("Email Account", "To Link Test Outgoing"):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": "To Link Test Outgoing",
					"email_id": "noreply@tolink.invalid",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "127.0.0.1",
					"smtp_port": 1,
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)
		enable_two_factor_auth()
		psy = make_user(f"psy-{uid()}@2fa.test", ["Psychologist"], make_provider())
		s = requests.Session()
		s.headers.update(site_headers())
		r = s.post(api_url() + "/api/method/login", data={"usr": psy, "pwd": TEST_PASSWORD}, timeout=30)
		self.assertEqual(r.status_code, 200)
		self.assertIn("tmp_id", r.json())  # a second factor is asked for
		me = s.get(api_url() + "/api/method/frappe.auth.get_logged_user", timeout=30)
		self.assertNotEqual(me.status_code, 200)

	def tearDown(self):
		frappe.db.set_single_value("System Settings", "enable_two_factor_auth", 0)
		frappe.db.delete("Email Account", {"name": "To Link Test Outgoing"})
		frappe.db.commit()

	def test_errors_carry_no_traceback(self):
		user = make_user(f"rec-{uid()}@tb.test", ["Reception Operator"], make_provider())
		c = Client(user)
		with self.assertRaises(RestError) as ctx:
			c.insert(
				{
					"doctype": "Citizen",
					"first_name": "X",
					"last_name": "Y",
					"codice_fiscale": "RSSMRA85T10A562X",
				}
			)
		body = ctx.exception.response.text
		self.assertNotIn("Traceback", body)
		self.assertNotIn('"exc":', body)
