"""The merchant API over HTTP with API keys: check, partial redemption, idempotency, refusals,
isolation between shops, and concurrent redemptions against a real gunicorn server."""

import threading
import uuid

import frappe
from frappe.utils import add_days, today

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import Client, RestError, make_api_key, make_user
from tolink.devtools.vouchers import issue, make_eligible_household, make_programme, make_shop
from tolink.tests.case import CommittingTestCase


class TestMerchantAPI(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org = make_provider()
		cls.shop, cls.other_shop = make_shop(f"Market {s}"), make_shop(f"Bottega {s}")
		cls.programme = make_programme(cls.org, [cls.shop, cls.other_shop], budget=100000)
		cls.other_programme = make_programme(cls.org, [cls.other_shop], budget=1000)
		cls.merchant = make_user(f"shop-{s}@merchant.test", ["Merchant"], cls.shop)
		cls.other_merchant = make_user(f"shop2-{s}@merchant.test", ["Merchant"], cls.other_shop)
		cls.reception = make_user(f"rec-{s}@merchant.test", ["Reception Operator"], cls.org)
		frappe.db.commit()
		cls.key = make_api_key(cls.merchant)
		cls.other_key = make_api_key(cls.other_merchant)

	def new_voucher(self, programme=None):
		household, head = make_eligible_household(self.org)
		voucher = issue((programme or self.programme).name, household.name, self.org)
		frappe.db.commit()
		return voucher, head

	def shop_client(self):
		return Client.with_token(*self.key)

	def test_check_reveals_only_first_name_and_balance(self):
		voucher, head = self.new_voucher()
		result = self.shop_client().get("tolink.api.merchant.check_voucher", code=voucher.code)
		self.assertEqual(result["valid"], True)
		self.assertEqual(result["balance"], 100)
		self.assertEqual(result["first_name"], head.first_name)
		text = str(result)
		for private in (head.last_name, head.codice_fiscale, voucher.household, head.name):
			self.assertNotIn(private, text)

	def test_partial_redemptions_and_idempotency(self):
		voucher, _ = self.new_voucher()
		shop = self.shop_client()
		key = str(uuid.uuid4())
		first = shop.post(
			"tolink.api.merchant.redeem_voucher", code=voucher.code, amount=30, idempotency_key=key
		)
		self.assertEqual(first["balance"], 70)
		again = shop.post(
			"tolink.api.merchant.redeem_voucher", code=voucher.code, amount=30, idempotency_key=key
		)
		self.assertEqual(again, first)
		second = shop.post(
			"tolink.api.merchant.redeem_voucher",
			code=voucher.code,
			amount=70,
			idempotency_key=str(uuid.uuid4()),
		)
		self.assertEqual(second["balance"], 0)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Voucher", voucher.name, ["balance", "status"]), (0, "Redeemed"))
		self.assertEqual(frappe.db.count("Voucher Redemption", {"voucher": voucher.name}), 2)

	def assert_refused(self, code, amount=10, client=None, contains=None):
		client = client or self.shop_client()
		with self.assertRaises(RestError) as ctx:
			client.post(
				"tolink.api.merchant.redeem_voucher",
				code=code,
				amount=amount,
				idempotency_key=str(uuid.uuid4()),
			)
		self.assertEqual(ctx.exception.status_code, 417)
		if contains:
			self.assertIn(contains, ctx.exception.response.json().get("_server_messages", ""))

	def test_refusals(self):
		voucher, _ = self.new_voucher()
		self.assert_refused(voucher.code, amount=500)  # above balance
		self.assert_refused(voucher.code, amount=-5)
		self.assert_refused(voucher.code[:-1] + ("Z" if voucher.code[-1] != "Z" else "Y"))  # forged
		foreign, _ = self.new_voucher(self.other_programme)
		self.assert_refused(foreign.code)  # another programme's voucher
		self.assertFalse(
			self.shop_client().get("tolink.api.merchant.check_voucher", code=foreign.code)["valid"]
		)
		expired, _ = self.new_voucher()
		frappe.db.set_value("Voucher", expired.name, "expiry_date", add_days(today(), -1))
		frappe.db.commit()
		self.assert_refused(expired.code)
		cancelled, _ = self.new_voucher()
		frappe.get_doc("Voucher", cancelled.name).cancel_voucher("lost")
		frappe.db.commit()
		self.assert_refused(cancelled.code)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count("Voucher Redemption", {"voucher": ("in", [voucher.name, foreign.name])}), 0
		)

	def test_only_merchants_redeem(self):
		voucher, _ = self.new_voucher()
		with self.assertRaises(RestError) as ctx:
			Client(self.reception).post(
				"tolink.api.merchant.redeem_voucher", code=voucher.code, amount=10, idempotency_key="x"
			)
		self.assertEqual(ctx.exception.status_code, 403)
		with self.assertRaises(RestError):
			self.shop_client().get(
				"tolink.api.merchant.redeem_voucher", code=voucher.code, amount=10, idempotency_key="y"
			)

	def test_a_shop_sees_its_redemptions_only_and_no_household(self):
		voucher, _ = self.new_voucher()
		self.shop_client().post(
			"tolink.api.merchant.redeem_voucher",
			code=voucher.code,
			amount=10,
			idempotency_key=str(uuid.uuid4()),
		)
		other = Client.with_token(*self.other_key)
		other.post(
			"tolink.api.merchant.redeem_voucher",
			code=voucher.code,
			amount=5,
			idempotency_key=str(uuid.uuid4()),
		)
		mine = self.shop_client().get_list(
			"Voucher Redemption", fields=["merchant"], filters={"voucher": voucher.name}
		)
		self.assertEqual([r["merchant"] for r in mine], [self.shop])
		for doctype in ("Household", "Citizen", "Voucher"):
			with self.assertRaises(RestError):
				self.shop_client().get_list(doctype)
		report = self.shop_client().get(
			"frappe.desk.query_report.run",
			report_name="Merchant Reconciliation",
			filters='{"month": "' + today() + '"}',
		)
		self.assertTrue(report["result"])
		self.assertTrue(
			all(row.get("merchant") in (self.shop, None) for row in report["result"] if isinstance(row, dict))
		)

	def test_concurrent_redemptions_never_exceed_the_balance(self):
		voucher, _ = self.new_voucher()  # balance 100
		results, errors = [], []
		clients = [self.shop_client() for _ in range(16)]  # one connection each, made here

		def spend(client):
			try:
				results.append(
					client.post(
						"tolink.api.merchant.redeem_voucher",
						code=voucher.code,
						amount=10,
						idempotency_key=str(uuid.uuid4()),
					)
				)
			except RestError as e:
				errors.append(e.status_code)

		threads = [threading.Thread(target=spend, args=(c,)) for c in clients]
		for t in threads:
			t.start()
		for t in threads:
			t.join(timeout=60)
		self.assertFalse(any(t.is_alive() for t in threads))
		self.assertEqual(len(results), 10)
		self.assertEqual(set(errors), {417})
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Voucher", voucher.name, "balance"), 0)
		total = frappe.db.sql(
			"select sum(amount) from `tabVoucher Redemption` where voucher=%s", voucher.name
		)[0][0]
		self.assertEqual(total, 100)

	def test_concurrent_retries_of_one_key_redeem_once(self):
		voucher, _ = self.new_voucher()
		key, results = str(uuid.uuid4()), []
		clients = [self.shop_client() for _ in range(8)]

		errors = []

		def retry(client):
			try:
				results.append(
					client.post(
						"tolink.api.merchant.redeem_voucher",
						code=voucher.code,
						amount=25,
						idempotency_key=key,
					)
				)
			except RestError as e:
				errors.append(str(e))

		threads = [threading.Thread(target=retry, args=(c,)) for c in clients]
		for t in threads:
			t.start()
		for t in threads:
			t.join(timeout=60)
		self.assertEqual(errors, [])
		self.assertEqual(len(results), 8)
		self.assertEqual(len({r["redemption"] for r in results}), 1)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Voucher", voucher.name, "balance"), 75)
