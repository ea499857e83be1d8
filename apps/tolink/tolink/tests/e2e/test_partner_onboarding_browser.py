"""Partner onboarding in Desk, in the browser, as a Network Administrator (second factor included):
on the cooperative's form, invite a person and the cooperative's system, create the system's API key
(the secret shown once); then a data import whose dry run lists the refused rows, in Italian, and
writes nothing."""

import csv
import io
import json
import random

import frappe
from frappe.twofactor import get_otpsecret_for_, set_default

from tolink.devtools import import_samples
from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import TEST_PASSWORD, make_user
from tolink.devtools.wait import eventually
from tolink.tests.case import authenticator_code
from tolink.tests.e2e.browser import BrowserTestCase


class OnboardingBrowserCase(BrowserTestCase):
	"""A Network Administrator logged in, a cooperative to onboard (a new browser per class)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.s = s = uid()
		cls.city = make_provider(f"Comune Browser {s}")
		cls.coop = make_provider(f"Cooperativa Browser {s}", provider_type="Social Cooperative")
		cls.admin = make_user(f"admin-{s}@onboarding-browser.test", ["Network Administrator"], cls.city)
		cls.secret = get_otpsecret_for_(cls.admin)  # enrolled, as the demo enrols its administrator
		set_default(cls.admin + "_otplogin", 1)
		frappe.db.commit()
		cls.start_browser()
		page = cls.page
		page.goto(cls.base + "/login")
		page.fill("#login_email", cls.admin)
		page.fill("#login_password", TEST_PASSWORD)
		page.click(".btn-login")
		page.wait_for_selector("#login_token")
		page.fill("#login_token", authenticator_code(cls.secret))
		page.click("#verify_token")
		page.wait_for_url("**/app**")

	def open_provider(self):
		self.page.goto(f"{self.base}/app/provider/{self.coop}")
		self.page.wait_for_function(
			f"() => window.cur_frm && cur_frm.doc.name === {json.dumps(self.coop)} && !cur_frm.is_dirty()"
		)

	def onboarding_menu(self, item: str):
		self.page.click("button:has-text('Adesione dei partner')")
		self.page.click(f".dropdown-menu.show .dropdown-item:has-text('{item}')")
		self.page.wait_for_selector(".modal.show")

	def invite(self, email: str, first_name: str, integration: bool):
		self.open_provider()
		self.onboarding_menu("Invita utente")
		dialog = ".modal.show"
		self.page.fill(f"{dialog} input[data-fieldname='email']", email)
		name_input = self.page.locator(f"{dialog} input[data-fieldname='first_name']")
		name_input.click()
		name_input.press_sequentially(first_name, delay=30)
		name_input.press("Tab")
		if integration:
			self.page.check(f"{dialog} input[data-fieldname='integration']")
			self.page.wait_for_timeout(300)  # the roles offered change
		self.page.check(f"{dialog} input[data-unit='Provider Staff']")
		self.page.wait_for_timeout(600)  # Desk takes a typed value after a short pause
		self.page.click(f"{dialog} .btn-primary:has-text('Invita')")
		try:
			self.page.wait_for_selector(f".alert-message:has-text('{email}')")  # Desk's confirmation
		except Exception:
			shown = self.page.locator(".modal.show").all_inner_texts()
			self.fail(f"no confirmation of {email}; on screen: {shown}")
		eventually(
			lambda: frappe.db.rollback() or frappe.db.exists("User", email), message=f"{email} invited"
		)


class TestOnboardingUsersInBrowser(OnboardingBrowserCase):
	def test_invite_users_and_create_the_systems_key(self):
		person, system = f"persona-{self.s}@coop.test", f"sistema-{self.s}@coop.test"
		with self.screenshot_on_failure():
			self.invite(person, "Lucia", integration=False)
			self.invite(system, "Gestionale", integration=True)
		self.sweep_users.update((person, system))
		self.assertEqual(frappe.get_roles(person), frappe.get_roles(system))  # Provider Staff (+ automatic)
		self.assertIn("Provider Staff", frappe.get_roles(system))
		self.assertEqual(frappe.db.get_value("User", system, "tolink_integration_user"), 1)

		self.open_provider()
		self.onboarding_menu("Utenti e chiavi API")
		self.page.click(".modal.show button[data-action='issue']")
		key_dialog = self.page.locator(".modal.show").last  # over the list of users
		key_dialog.locator("textarea[data-fieldname='allowed_ip_ranges']").fill("203.0.113.0/24")
		self.page.wait_for_timeout(600)
		key_dialog.locator(".modal-footer .btn-primary:has-text('Crea chiave')").click()
		eventually(
			lambda: frappe.db.rollback()
			or frappe.db.get_value("Integration Key", system, "status") == "Active",
			message="the system's key",
		)
		api_key = frappe.db.get_value("User", system, "api_key")
		shown = self.page.locator(".modal.show").last
		shown.locator(f"text=token {api_key}:").wait_for()  # the key and its secret, this once
		self.assertTrue(shown.is_visible())
		self.assertEqual(
			frappe.db.get_value("Integration Key", system, "allowed_ip_ranges"), "203.0.113.0/24"
		)


class TestDataImportInBrowser(OnboardingBrowserCase):
	def test_a_dry_run_lists_the_refused_rows_and_writes_nothing(self):
		rows = import_samples.samples(seed=random.randrange(10**9))["cittadini-esempio.csv"]
		rows[import_samples.ALREADY_REGISTERED_ROW - 1] = rows[5]  # a person twice in the file
		out = io.StringIO()
		csv.writer(out, lineterminator="\n").writerows(rows)
		frappe.set_user(self.admin)
		file_url = (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"cittadini-{self.s}.csv",
					"is_private": 1,
					"content": out.getvalue(),
				}
			)
			.insert()
			.file_url
		)
		frappe.set_user("Administrator")
		frappe.db.commit()

		self.page.goto(f"{self.base}/app/to-link-import/new")
		self.page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'To Link Import'")
		for field, value in (("import_type", "Citizen"), ("provider", self.coop), ("import_file", file_url)):
			self.page.evaluate(f"cur_frm.set_value({json.dumps(field)}, {json.dumps(value)})")
		self.page.wait_for_timeout(300)
		self.page.keyboard.press("Control+s")
		self.page.wait_for_function("() => cur_frm && !cur_frm.is_new() && !cur_frm.is_dirty()")
		self.page.click("button:has-text('Prova (dry run)')")
		self.page.wait_for_function(
			"() => cur_frm && cur_frm.doc.status === 'Refused' && !cur_frm.is_dirty()", timeout=60_000
		)
		report = self.page.wait_for_selector("[data-fieldname='report'] table")
		text = report.inner_text()
		for row in (import_samples.BAD_CODICE_FISCALE_ROW, import_samples.ALREADY_REGISTERED_ROW):
			self.assertIn(str(row), text)
		self.assertIn(str(import_samples.NO_SURNAME_ROW), text)
		self.assertIn("Codice fiscale", text)  # the columns and reasons, in Italian
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Citizen", {"provider": self.coop}), 0)
