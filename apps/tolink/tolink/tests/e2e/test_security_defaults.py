"""Install's security defaults, checked on a real site and over HTTP."""

import frappe
import requests

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.live_server import api_url, site_headers
from tolink.devtools.rest import TEST_PASSWORD, Client, RestError, make_user
from tolink.tests.case import CommittingTestCase


class TestSecurityDefaults(CommittingTestCase):
	def test_settings(self):
		s = frappe.get_single("System Settings")
		self.assertEqual(int(s.minimum_password_score), 3)
		self.assertEqual(s.session_expiry, "09:00")
		self.assertFalse(s.allow_error_traceback)
		self.assertTrue(s.encrypt_backup)
		self.assertTrue(s.enable_two_factor_auth)
		self.assertEqual(s.two_factor_method, "OTP App")
		self.assertEqual(frappe.db.get_value("Role", "Psychologist", "two_factor_auth"), 1)
		self.assertEqual(frappe.db.get_value("Role", "Network Administrator", "two_factor_auth"), 1)
		self.assertEqual(frappe.db.get_value("Role", "Reception Operator", "two_factor_auth"), 0)
		# never extended to everyone (Frappe does that when System Settings is saved with 2FA on)
		self.assertEqual(frappe.db.get_value("Role", "All", "two_factor_auth"), 0)

	def login(self, user: str, **extra) -> tuple[requests.Session, requests.Response]:
		s = requests.Session()
		s.headers.update(site_headers())
		r = s.post(
			api_url() + "/api/method/login", data={"usr": user, "pwd": TEST_PASSWORD, **extra}, timeout=30
		)
		return s, r

	def logged_user(self, s: requests.Session) -> str | None:
		me = s.get(api_url() + "/api/method/frappe.auth.get_logged_user", timeout=30)
		return me.json().get("message") if me.status_code == 200 else None

	def test_special_category_roles_need_a_second_factor(self):
		"""Over HTTP: a psychologist's password alone opens no session; the authenticator app's code
		does; a wrong code does not. A reception operator logs in with the password."""
		from frappe.twofactor import get_otpsecret_for_, set_default

		from tolink.tests.case import authenticator_code

		psy = make_user(f"psy-{uid()}@2fa.test", ["Psychologist"], make_provider())
		secret = get_otpsecret_for_(psy)  # enrolled: the app holds this key
		set_default(psy + "_otplogin", 1)
		frappe.db.commit()

		s, r = self.login(psy)
		self.assertEqual(r.status_code, 200, r.text)
		tmp_id = r.json().get("tmp_id")
		self.assertTrue(tmp_id)  # a second factor is asked for
		self.assertEqual(r.json()["verification"]["method"], "OTP App")
		self.assertIsNone(self.logged_user(s))

		wrong = str((int(authenticator_code(secret)) + 1) % 1000000).zfill(6)
		_s, r = self.login(psy, otp=wrong, tmp_id=tmp_id)
		self.assertEqual(r.status_code, 401, r.text)

		s, r = self.login(psy)
		s, r = self.login(psy, otp=authenticator_code(secret), tmp_id=r.json()["tmp_id"])
		self.assertEqual(r.status_code, 200, r.text)
		self.assertEqual(self.logged_user(s), psy)

		reception = make_user(f"rec-{uid()}@2fa.test", ["Reception Operator"], make_provider())
		s, r = self.login(reception)
		self.assertEqual(r.status_code, 200, r.text)
		self.assertNotIn("tmp_id", r.json())
		self.assertEqual(self.logged_user(s), reception)

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
