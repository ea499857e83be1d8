"""Desk still works for every role behind the request gate (tolink.permissions.gate).

For each To Link role with Desk access, Chromium logs in and opens the role's workspace, the list
and a form of its main doctypes and a new form; the test fails if any request was answered 403,
417 or 5xx, or Desk showed an error dialog. The Merchant has no Desk (its API is tested in
tests/e2e/test_merchant_api.py and tests/e2e/test_gate.py).
"""

import frappe
from frappe.twofactor import get_otpsecret_for_, set_default, two_factor_is_enabled_for_

from tolink.devtools.factories import make_citizen, make_provider, make_service, uid
from tolink.devtools.rest import TEST_PASSWORD, make_user
from tolink.tests.case import authenticator_code
from tolink.tests.e2e.browser import BrowserTestCase

# role -> (workspace, [(doctype route, open a record of it)], new forms)
SCREENS = {
	"Reception Operator": ("reception", ["citizen", "household", "intake"], ["citizen", "intake"]),
	"Case Manager": ("care-path", ["referral", "welfare-plan", "citizen"], ["welfare-plan"]),
	"Provider Staff": ("care-path", ["referral", "service"], []),
	"Hub Manager": (
		"distribution",
		["distribution-round", "stock-movement", "parcel-delivery"],
		["stock-movement"],
	),
	"Hub Volunteer": ("distribution", ["parcel-delivery"], ["parcel-delivery"]),
	"Psychologist": ("helpline", ["support-session", "helpline-call"], ["support-session"]),
	"Network Administrator": ("network", ["service", "provider", "need-category", "workflow"], ["service"]),
	"Monitoring Officer": ("vouchers", ["voucher-programme"], []),
	"Voucher Approver": ("vouchers", ["voucher-application", "voucher-programme"], []),
}
# the other workspaces a role opens (their number cards and charts are checked too)
MORE_WORKSPACES = {
	"Case Manager": ["reception", "helpline", "vouchers", "work-and-housing"],
}
# (role, workspace) -> the number cards it shows (those of the doctypes the role reads)
CARDS = {
	("Reception Operator", "reception"): 2,
	("Case Manager", "care-path"): 4,
	("Case Manager", "reception"): 2,
	("Case Manager", "helpline"): 2,
	("Case Manager", "vouchers"): 2,
	("Case Manager", "work-and-housing"): 2,
	("Provider Staff", "care-path"): 2,
	("Hub Manager", "distribution"): 2,
	("Hub Volunteer", "distribution"): 2,
	("Psychologist", "helpline"): 2,
	("Voucher Approver", "vouchers"): 1,
}
# what Desk may answer with an error without anything being wrong (none so far)
TOLERATED = ()


class TestDeskForEveryRole(BrowserTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.org = make_provider(f"Browser Roles {uid()}")
		cls.citizen = make_citizen(cls.org, first_name="Desk", last_name=f"Ruoli{uid()}")
		cls.service = make_service(cls.org)
		cls.users = {
			role: make_user(f"{role.lower().replace(' ', '-')}-{uid()}@roles.test", [role], cls.org)
			for role in SCREENS
		}
		# the app's number cards, by their English names (a user reads them in Italian)
		cls.english_cards = set(frappe.get_all("Number Card", {"method": ("like", "tolink.%")}, pluck="name"))
		frappe.db.commit()
		cls.start_browser()

	def log_in_as(self, role: str) -> None:
		user = self.users[role]
		frappe.set_user("Administrator")
		if not two_factor_is_enabled_for_(user):
			self.log_in(user)
			return
		# enrolled already, as the demo enrols its users: the code comes from the secret
		secret = get_otpsecret_for_(user)
		set_default(user + "_otplogin", 1)
		frappe.db.commit()
		page = self.page
		page.context.clear_cookies()
		page.goto(self.base + "/login")
		page.fill("#login_email", user)
		page.fill("#login_password", TEST_PASSWORD)
		page.click(".btn-login")
		page.wait_for_selector("#login_token")
		page.fill("#login_token", authenticator_code(secret))
		page.click("#verify_token")
		page.wait_for_url("**/app**")

	def settle(self) -> None:
		"""Wait until Desk has no request in flight."""
		self.page.wait_for_function(
			"() => window.frappe && frappe.request && frappe.request.ajax_count === 0 && !frappe.dom.freeze_count"
		)

	def visit(self, route: str, selector: str) -> None:
		self.page.goto(f"{self.base}/app/{route}")
		self.page.wait_for_selector(selector)
		self.settle()
		dialog = self.page.query_selector(".modal.show .msgprint")
		if dialog and dialog.is_visible():
			self.errors.append(f"{route}: dialog {dialog.inner_text()[:200]}")

	def check_cards(self, role: str, workspace: str) -> None:
		"""The workspace shows the role its number cards, each with a number (not an error, not
		"Loading...")."""
		cards = ".widget.number-widget-box"
		expected = CARDS.get((role, workspace), 0)
		if expected:
			# the workspace's blocks render after its page has loaded, the numbers after that
			try:
				self.page.wait_for_function(
					f"() => [...document.querySelectorAll('{cards}')].filter(c => c.querySelector('.number'))"
					f".length >= {expected}",
					timeout=20_000,
				)
			except Exception:
				pass
			self.settle()
		shown = self.page.query_selector_all(cards)
		if len(shown) != expected:
			self.errors.append(f"{workspace}: {len(shown)} number cards shown, {expected} expected")
		for card in shown:
			title = card.query_selector(".widget-title")
			number = card.query_selector(".number")
			number = number.inner_text().strip() if number else card.inner_text().strip()[:80]
			label = title.inner_text().strip() if title else "?"
			if not number.replace(".", "").replace(",", "").isdigit():
				self.errors.append(f"{workspace}: card {label!r} shows {number!r}")
			if label in self.english_cards:
				self.errors.append(f"{workspace}: card {label!r} is not in Italian")

	def record_of(self, role: str, route: str) -> str | None:
		"""The newest record of the doctype the role's user may read."""
		frappe.set_user(self.users[role])
		try:
			names = frappe.get_list(
				route.replace("-", " ").title(), pluck="name", limit=1, order_by="creation desc"
			)
		finally:
			frappe.set_user("Administrator")
		return names[0] if names else None

	def test_every_role_works_in_desk(self):
		failures = {}
		for role, (workspace, doctypes, new_forms) in SCREENS.items():
			self.errors = []

			def on_response(response):
				if response.status in (403, 417) or response.status >= 500:
					url = response.url.replace(self.base, "")
					if not url.startswith(TOLERATED):
						sent = (response.request.post_data or "")[:300]
						self.errors.append(f"{response.status} {response.request.method} {url[:160]} {sent}")

			# a fresh browser context per role: nobody's session is left over
			context = self.browser.new_context(locale="it-IT", extra_http_headers={"Accept-Language": "it"})
			type(self).page = context.new_page()
			self.page.set_default_timeout(30_000)
			self.page.on("response", on_response)
			try:
				with self.screenshot_on_failure():
					self.log_in_as(role)
					self.visit(workspace, ".layout-main-section")
					self.check_cards(role, workspace)
					for other in MORE_WORKSPACES.get(role, ()):
						self.visit(other, ".layout-main-section")
						self.check_cards(role, other)
					for route in doctypes:
						if route == "need-category":
							self.visit(f"{route}/view/tree", ".tree")
						else:
							self.visit(route, ".frappe-list")
						name = self.record_of(role, route)
						if name:
							self.visit(f"{route}/{name}", ".form-layout")
					for route in new_forms:
						self.visit(f"{route}/new", ".form-layout")
			finally:
				context.close()
			if self.errors:
				failures[role] = self.errors
		self.assertFalse(
			failures, "\n".join(f"{role}: {error}" for role, errors in failures.items() for error in errors)
		)
