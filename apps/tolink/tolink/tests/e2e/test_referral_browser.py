"""Referral actions in Desk, in the browser: the dialogs ask for reasons, the server records them."""

import re

import frappe

from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.devtools.wait import eventually
from tolink.tests.e2e.browser import BrowserTestCase


class TestReferralActionsInBrowser(BrowserTestCase):
	"""Desk: Decline, Complete and Mark Not Completed ask for the reason or the outcome the referral
	needs, in a dialog, and then apply the action; cancelling the dialog changes nothing."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org_a, cls.org_b = make_provider(), make_provider()
		cls.case_manager = make_user(f"cm-{s}@refbrowser.test", ["Case Manager"], cls.org_a)
		cls.staff_b = make_user(f"sb-{s}@refbrowser.test", ["Provider Staff"], cls.org_b, "Bruna")
		citizen = make_citizen(cls.org_a)
		make_household(cls.org_a, [citizen], isee=1000)
		service = make_service(cls.org_b)
		make_consent(citizen.name, cls.org_a, partner=cls.org_b)
		frappe.set_user(cls.case_manager)
		cls.referrals = [
			frappe.get_doc({"doctype": "Referral", "citizen": citizen.name, "service": service.name})
			.insert()
			.name
			for _ in range(3)
		]
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.start_browser()
		cls.log_in(cls.staff_b)

	def open(self, name):
		self.page.goto(f"{self.base}/app/referral/{name}")
		self.page.wait_for_selector(".actions-btn-group >> visible=true")

	def click_action(self, label):
		page = self.page
		page.click(".actions-btn-group > button >> visible=true")
		page.locator(".actions-btn-group .dropdown-menu a >> visible=true").filter(
			has_text=re.compile(rf"^\s*{label}\s*$")
		).first.click()

	def dialog(self):
		return self.page.wait_for_selector(".modal.show .modal-dialog")

	def wait_for(self, name, status):
		def reached():
			frappe.db.rollback()  # a fresh snapshot: the server committed
			row = frappe.db.get_value(
				"Referral",
				name,
				["status", "decline_reason", "outcome", "not_completed_reason"],
				as_dict=True,
			)
			return row if row.status == status else None

		return eventually(reached, timeout=30, interval=0.3, message=f"{name} becoming {status}")

	def test_decline_asks_for_the_reason(self):
		with self.screenshot_on_failure():
			page, name = self.page, self.referrals[0]
			self.open(name)
			self.click_action("Rifiuta")
			dialog = self.dialog()
			self.assertIn("Motivo del rifiuto", dialog.inner_text())
			page.select_option(".modal.show select", "No capacity")
			page.click(".modal.show .btn-primary")
			row = self.wait_for(name, "Declined")
			self.assertEqual(row.decline_reason, "No capacity")
			page.wait_for_selector("#freeze", state="detached")
			# the reason stays on the form
			page.wait_for_selector('.frappe-control[data-fieldname="decline_reason"] >> visible=true')

	def test_cancelling_the_dialog_changes_nothing(self):
		with self.screenshot_on_failure():
			page, name = self.page, self.referrals[1]
			self.open(name)
			self.click_action("Rifiuta")
			self.dialog()
			page.click(".modal.show .btn-modal-close")
			page.wait_for_selector(".modal.show", state="hidden")
			page.wait_for_timeout(500)
			self.assertEqual(page.locator("#freeze").count(), 0, "the page stays usable")
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Referral", name, "status"), "Sent")
			# the form still works: the next action goes through
			self.click_action("Accetta")
			self.wait_for(name, "Accepted")

	def test_complete_asks_for_the_outcome(self):
		with self.screenshot_on_failure():
			page, name = self.page, self.referrals[2]
			self.open(name)
			self.click_action("Accetta")
			self.wait_for(name, "Accepted")
			page.wait_for_selector(".actions-btn-group >> visible=true")
			self.click_action("Completa")
			dialog = self.dialog()
			self.assertIn("Esito", dialog.inner_text())
			page.fill(".modal.show textarea", "Pacco consegnato ogni settimana")
			page.click(".modal.show .btn-primary")
			row = self.wait_for(name, "Completed")
			self.assertEqual(row.outcome, "Pacco consegnato ogni settimana")
