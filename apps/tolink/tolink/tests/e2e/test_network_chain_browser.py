"""One network, in the browser: a helpline call asking for food becomes an intake, the intake's
request goes to the food bank's hub in one click, the hub's manager accepts it in Desk, the
household is in the hub's next round, a parcel is handed out at the counter, and the City's
operator sees it on the referral.

The users have the roles and organisations of the demo logins (accoglienza@ at the City's social
services, snodo@ and volontario@ at the food bank's hub); the demo network itself is loaded only on
demo sites, so the test makes the same shape of network for itself."""

import re

import frappe
from frappe.utils import add_days, format_date, today

from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_citizen, make_consent, make_household, make_provider, make_service
from tolink.devtools.rest import Client, make_user
from tolink.devtools.vouchers import make_eligible_household, make_programme, make_shop
from tolink.devtools.wait import eventually
from tolink.tests.e2e.browser import BrowserTestCase
from tolink.tests.e2e.case import LiveServerTestCase


class TestHelplineToHubInBrowser(BrowserTestCase, LiveServerTestCase):
	roles = {"reception": ["Reception Operator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.bank = make_provider(f"Banco Alimentare {s}", provider_type="Food Bank")
		cls.manager = make_user(f"snodo-{s}@chain.test", ["Hub Manager"], cls.bank, "Sara")
		cls.volunteer = make_user(f"volontario-{s}@chain.test", ["Hub Volunteer"], cls.bank, "Vito")
		cls.hub = make_hub(
			cls.bank,
			district="6",
			hub_name=f"Snodo Barriera {s}",
			staff=[
				{"user": cls.manager, "hub_role": "Hub Manager"},
				{"user": cls.volunteer, "hub_role": "Hub Volunteer"},
			],
		).name
		receive(cls.hub, "Pasta", 30)
		cls.service = make_service(
			cls.bank,
			districts=("6",),
			capacity=50,
			distribution_hub=cls.hub,
			service_name=f"Distribuzione panieri Barriera {s}",
		)
		cls.head = make_citizen(cls.org, district="6", first_name="Graziella", last_name=f"Catena{s}")
		cls.household = make_household(cls.org, [cls.head], isee=2800, household_name=f"Nucleo Catena {s}")
		make_consent(cls.head.name, cls.org, partner=cls.bank)
		# the hub's next round, already planned
		frappe.set_user(cls.manager)
		cls.round = frappe.get_doc(
			{
				"doctype": "Distribution Round",
				"hub": cls.hub,
				"from_date": today(),
				"to_date": add_days(today(), 3),
			}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.operator = cls.users["reception"]
		cls.call = cls.client("reception").insert(
			{
				"doctype": "Helpline Call",
				"caller_type": "Known citizen",
				"citizen": cls.head.name,
				"reason": "Food",
				"triage": "Medium",
				"notes": "Chiede aiuto per la spesa",
			}
		)["name"]
		cls.start_browser()

	def fresh(self, fn):
		def check():
			frappe.db.rollback()  # a fresh snapshot: the server committed
			return fn()

		return eventually(check, timeout=30, interval=0.3)

	def menu(self, group, item):
		page = self.page
		page.click(f'.inner-group-button[data-label="{group}"] button >> visible=true')
		page.locator(".inner-group-button .dropdown-menu a >> visible=true").filter(
			has_text=re.compile(rf"^\s*{re.escape(item)}\s*$")
		).first.click()

	def setUp(self):
		# every refusal or server error the pages meet, with what was sent: none is expected
		self.errors = []

		def on_response(response):
			if response.status in (403, 417) or response.status >= 500:
				sent = (response.request.post_data or "")[:300]
				url = response.url.replace(self.base, "")[:160]
				self.errors.append(f"{response.status} {response.request.method} {url} {sent}")

		self.page.on("response", on_response)
		self.addCleanup(self.page.remove_listener, "response", on_response)

	def test_the_whole_chain(self):
		page = self.page
		with self.screenshot_on_failure():
			try:
				self.walk(page)
			except Exception as e:
				raise AssertionError(f"refused on the way: {self.errors}") from e
		self.assertEqual(self.errors, [])

	def walk(self, page):
		if True:
			# 1. the helpline operator opens an intake from the call
			self.log_in(self.operator)
			page.goto(f"{self.base}/app/helpline-call/{self.call}")
			self.menu("Crea", "Colloquio di accoglienza")
			page.wait_for_url(re.compile(r".*/app/intake/new.*"))
			page.wait_for_selector('.frappe-control[data-fieldname="needs"] .grid-row[data-idx="1"]')
			page.keyboard.press("Control+s")
			intake = self.fresh(lambda: frappe.db.get_value("Intake", {"helpline_call": self.call}))
			page.wait_for_url(re.compile(rf".*/app/intake/{intake}$"))

			# 2. the intake's request for food goes to the hub, with the reasons shown
			self.menu("Crea", "Panieri alimentari da uno snodo")
			dialog = page.wait_for_selector(".modal.show .modal-dialog")
			text = dialog.inner_text()
			self.assertIn(self.hub, text)
			self.assertIn("lo snodo serve la circoscrizione del nucleo", text)
			page.click(".modal.show .btn-primary")
			referral = self.fresh(lambda: frappe.db.get_value("Referral", {"intake": intake}))
			self.assertEqual(frappe.db.get_value("Referral", referral, "service"), self.service.name)

			# 3. the hub's manager accepts it in Desk
			self.log_in(self.manager)
			page.goto(f"{self.base}/app/referral/{referral}")
			page.click(".actions-btn-group > button >> visible=true")
			page.locator(".actions-btn-group .dropdown-menu a >> visible=true").filter(
				has_text=re.compile(r"^\s*Accetta\s*$")
			).first.click()
			self.fresh(lambda: frappe.db.get_value("Referral", referral, "status") == "Accepted")

			# 4. the household is in the hub's next round
			page.goto(f"{self.base}/app/distribution-round/{self.round.name}")
			page.wait_for_selector(
				f'.frappe-control[data-fieldname="households"] >> text={self.household.household_name}'
			)

			# 5. the parcel is handed out at the counter (the counter's API, as the volunteer)
			counter = Client(self.volunteer)
			found = counter.get(
				"tolink.api.partner.counter_lookup",
				hub=self.hub,
				code=self.household.card_code,
				distribution_round=self.round.name,
			)
			self.assertTrue(found["found"] and found["assigned_to_round"])
			delivery = counter.insert(
				{
					"doctype": "Parcel Delivery",
					"hub": self.hub,
					"household": found["household"],
					"distribution_round": self.round.name,
					"items": [{"aid_item": "Pasta", "qty": 2}],
				}
			)
			counter.post("frappe.client.submit", doc=counter.get_doc("Parcel Delivery", delivery["name"]))

			# 6. the City's operator sees the first parcel collected on the referral
			self.log_in(self.operator)
			page.goto(f"{self.base}/app/referral/{referral}")
			field = page.wait_for_selector(
				'.frappe-control[data-fieldname="first_collection_on"] >> visible=true'
			)
			self.assertIn(format_date(today()), field.inner_text())


class TestVoucherApplicationInBrowser(BrowserTestCase, LiveServerTestCase):
	"""The second chain: an intake's request for shopping vouchers becomes a voucher application in
	one click, the programme's approver approves it in Desk, the voucher is issued and the shop
	redeems it over the merchant API; the operator sees what is left on the voucher."""

	roles = {"reception": ["Reception Operator"], "approver": ["Voucher Approver"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.shop = make_shop(f"Market {s}")
		cls.merchant = make_user(f"negozio-{s}@chain.test", ["Merchant"], cls.shop)
		cls.programme = make_programme(cls.org, [cls.shop], budget=500, programme_name=f"Buoni spesa {s}")
		cls.household, cls.head = make_eligible_household(cls.org, size=1, isee=3000)
		frappe.db.commit()
		cls.intake = cls.client("reception").insert(
			{
				"doctype": "Intake",
				"citizen": cls.head.name,
				"channel": "Front office",
				"needs": [{"need_category": "Shopping vouchers", "urgency": "High"}],
			}
		)["name"]
		cls.start_browser()

	def test_application_approval_and_redemption(self):
		page = self.page
		with self.screenshot_on_failure():
			# 1. the operator proposes the voucher from the intake
			self.log_in(self.users["reception"])
			page.goto(f"{self.base}/app/intake/{self.intake}")
			TestHelplineToHubInBrowser.menu(self, "Crea", "Domanda di buono spesa")
			dialog = page.wait_for_selector(".modal.show .modal-dialog")
			self.assertIn(self.programme.programme_name, dialog.inner_text())
			page.click(".modal.show .btn-primary")
			application = TestHelplineToHubInBrowser.fresh(
				self, lambda: frappe.db.get_value("Voucher Application", {"source_name": self.intake})
			)
			self.assertEqual(frappe.db.get_value("Voucher Application", application, "status"), "Proposed")

			# 2. the programme's approver approves it in Desk: the voucher is issued
			self.log_in(self.users["approver"])
			page.goto(f"{self.base}/app/voucher-application/{application}")
			page.click(".actions-btn-group > button >> visible=true")
			page.locator(".actions-btn-group .dropdown-menu a >> visible=true").filter(
				has_text=re.compile(r"^\s*Approva\s*$")
			).first.click()
			voucher = TestHelplineToHubInBrowser.fresh(
				self, lambda: frappe.db.get_value("Voucher Application", application, "voucher")
			)
			code, value = frappe.db.get_value("Voucher", voucher, ["code", "value"])

			# 3. the shop redeems part of it over the merchant API
			shop = Client(self.merchant)
			shop.post(
				"tolink.api.merchant.redeem_voucher", code=code, amount=30, idempotency_key=f"chain-{self.s}"
			)

			# 4. the operator sees what is left
			self.log_in(self.users["reception"])
			page.goto(f"{self.base}/app/voucher/{voucher}")
			field = page.wait_for_selector('.frappe-control[data-fieldname="balance"] >> visible=true')
			frappe.db.rollback()  # a fresh snapshot: the server committed
			self.assertEqual(frappe.db.get_value("Voucher", voucher, "balance"), value - 30)
			left = int(value - 30)
			self.assertTrue(
				{f"{left},00", f"{left}.00"} & set(field.inner_text().split()), field.inner_text()
			)
