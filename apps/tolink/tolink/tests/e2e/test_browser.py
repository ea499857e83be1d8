"""Browser smoke test: Debian's Chromium, headless, drives Desk like a reception operator."""

import re
import unittest

import frappe

from tolink.devtools.rest import make_user
from tolink.tests.e2e.browser import BrowserTestCase

VALID_CF = "BNCLRA80A41L219V"


class TestReceptionInBrowser(BrowserTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		suffix = frappe.generate_hash(length=6)
		cls.provider = f"Browser Test Org {suffix}"
		frappe.get_doc(
			{"doctype": "Provider", "provider_name": cls.provider, "provider_type": "Association"}
		).insert(ignore_permissions=True)
		cls.user = make_user(f"reception-{suffix}@browser.test", ["Reception Operator"], cls.provider, "Rita")
		frappe.db.delete("Citizen", {"codice_fiscale": VALID_CF})
		frappe.db.commit()
		cls.start_browser()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Citizen", {"codice_fiscale": VALID_CF})
		frappe.db.commit()
		super().tearDownClass()

	def login(self):
		self.log_in(self.user)

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

	def test_intake_shows_what_the_network_knows_before_saving(self):
		with self.screenshot_on_failure():
			self.intake_overview()

	def intake_overview(self):
		from tolink.devtools.factories import make_citizen, make_service

		citizen = make_citizen(self.provider)
		service = make_service(self.provider)
		frappe.set_user(self.user)
		referral = frappe.get_doc(
			{"doctype": "Referral", "citizen": citizen.name, "service": service.name}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.login()
		page = self.page
		page.goto(self.base + "/app/intake/new")
		page.wait_for_selector('.frappe-control[data-fieldname="overview_html"] >> visible=true')
		page.evaluate("name => cur_frm.set_value('citizen', name)", citizen.name)
		link = page.wait_for_selector(
			f'.frappe-control[data-fieldname="overview_html"] a[href="/app/referral/{referral.name}"]'
		)
		self.assertIn(service.service_name, link.inner_text())


if __name__ == "__main__":
	unittest.main()
