"""Browser smoke test: Debian's Chromium, headless, drives Desk like a reception operator."""

import contextlib
import os
import re
import shutil
import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.tests.live_server import LOG_DIR, desk_url
from tolink.tests.rest import TEST_PASSWORD, make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
VALID_CF = "BNCLRA80A41L219V"


class TestReceptionInBrowser(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		suffix = frappe.generate_hash(length=6)
		cls.provider = f"Browser Test Org {suffix}"
		frappe.get_doc(
			{"doctype": "Provider", "provider_name": cls.provider, "provider_type": "Association"}
		).insert(ignore_permissions=True)
		cls.user = make_user(f"reception-{suffix}@browser.test", ["Reception Operator"], cls.provider, "Rita")
		frappe.db.delete("Citizen", {"codice_fiscale": VALID_CF})
		frappe.db.commit()
		cls.base = desk_url()
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(
			executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
		)
		cls.page = cls.browser.new_page(locale="it-IT", extra_http_headers={"Accept-Language": "it"})
		cls.page.set_default_timeout(30_000)

	@classmethod
	def tearDownClass(cls):
		cls.browser.close()
		cls.playwright.stop()
		frappe.db.delete("Citizen", {"codice_fiscale": VALID_CF})
		frappe.db.commit()
		super().tearDownClass()

	@contextlib.contextmanager
	def screenshot_on_failure(self):
		"""Keep what the browser showed when a step failed (logs/test-browser-*.png)."""
		try:
			yield
		except Exception:
			self.page.screenshot(
				path=os.path.join(LOG_DIR, f"test-browser-{self._testMethodName}.png"), full_page=True
			)
			raise

	def login(self):
		page = self.page
		page.goto(self.base + "/login")
		page.fill("#login_email", self.user)
		page.fill("#login_password", TEST_PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r".*/app.*"))

	def open_new_citizen(self):
		page = self.page
		page.goto(self.base + "/app/citizen/new")
		page.wait_for_selector('.frappe-control[data-fieldname="first_name"] input')
		return page

	def fill(self, fieldname, value):
		self.page.fill(f'.frappe-control[data-fieldname="{fieldname}"] input', value)

	def test_register_citizen_in_italian(self):
		with self.screenshot_on_failure():
			self.register_citizen_in_italian()

	def register_citizen_in_italian(self):
		self.login()
		page = self.page
		page.goto(self.base + "/app/citizen")
		page.wait_for_selector(".frappe-list")
		# the list is in Italian
		self.assertIn("Cittadino", page.inner_text(".page-title"))

		self.open_new_citizen()
		self.fill("first_name", "Laura")
		self.fill("last_name", "Bianchi")
		self.fill("codice_fiscale", VALID_CF.lower())
		page.keyboard.press("Control+s")
		page.wait_for_url(re.compile(r".*/app/citizen/CIT-.*"))
		saved = frappe.db.get_value(
			"Citizen", {"codice_fiscale": VALID_CF}, ["provider", "sex", "birth_date"], as_dict=True
		)
		self.assertIsNotNone(saved, "the citizen was not saved")
		self.assertEqual(saved.provider, self.provider)
		self.assertEqual(saved.sex, "F")
		self.assertEqual(str(saved.birth_date), "1980-01-01")

		# an invalid codice fiscale: a clear message, in Italian, and nothing saved
		before = frappe.db.count("Citizen")
		self.open_new_citizen()
		self.fill("first_name", "Mario")
		self.fill("last_name", "Rossi")
		self.fill("codice_fiscale", "RSSMRA85T10A562X")
		page.keyboard.press("Control+s")
		message = page.wait_for_selector(".msgprint")
		self.assertIn("codice fiscale", message.inner_text().lower())
		self.assertIn("non valido", message.inner_text().lower())
		self.assertEqual(frappe.db.count("Citizen"), before)


if __name__ == "__main__":
	unittest.main()
