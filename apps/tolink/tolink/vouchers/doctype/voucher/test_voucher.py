# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.devtools.factories import make_provider
from tolink.devtools.vouchers import issue, make_eligible_household, make_programme, make_shop
from tolink.vouchers import codes
from tolink.vouchers.doctype.voucher.voucher import BudgetExceededError, VoucherError, expire_vouchers


class TestVoucherIssue(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.shop = make_shop()
		self.programme = make_programme(self.org, [self.shop], budget=400, max_isee=6000)

	def tearDown(self):
		frappe.db.rollback()

	def test_amount_by_household_size_code_and_dates(self):
		single, _head = make_eligible_household(self.org, size=1)
		family, head = make_eligible_household(self.org, size=4)
		v1 = issue(self.programme.name, single.name, self.org)
		v2 = issue(self.programme.name, family.name, self.org)
		self.assertEqual((v1.value, v2.value), (100, 150))
		self.assertEqual(v2.balance, 150)
		self.assertEqual(v2.status, "Issued")
		self.assertEqual(v2.holder_first_name, head.first_name)
		self.assertEqual(str(v2.expiry_date), add_days(today(), 30))
		self.assertTrue(codes.is_authentic(v2.code))
		self.assertNotEqual(v1.code, v2.code)
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 250)

	def test_budget_cannot_be_exceeded(self):
		households = [make_eligible_household(self.org, size=3)[0] for _ in range(3)]
		issue(self.programme.name, households[0].name, self.org)
		issue(self.programme.name, households[1].name, self.org)  # 300 of 400
		before = frappe.db.count("Voucher")
		with self.assertRaises(BudgetExceededError):
			issue(self.programme.name, households[2].name, self.org)  # would be 450
		self.assertEqual(frappe.db.count("Voucher"), before)
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 300)

	def test_same_rules_as_services(self):
		rich, _ = make_eligible_household(self.org, isee=9200)
		with self.assertRaises(VoucherError) as ctx:
			issue(self.programme.name, rich.name, self.org)
		self.assertIn("ISEE", str(ctx.exception))

	def test_consent_is_required(self):
		household, _ = make_eligible_household(self.org, consent=False)
		with self.assertRaises(VoucherError):
			issue(self.programme.name, household.name, self.org)

	def test_one_voucher_in_use_per_programme(self):
		household, _ = make_eligible_household(self.org)
		issue(self.programme.name, household.name, self.org)
		with self.assertRaises(VoucherError):
			issue(self.programme.name, household.name, self.org)

	def test_expiry_job(self):
		household, _ = make_eligible_household(self.org)
		voucher = issue(self.programme.name, household.name, self.org)
		frappe.db.set_value("Voucher", voucher.name, "expiry_date", add_days(today(), -1))
		self.assertGreaterEqual(expire_vouchers(), 1)
		self.assertEqual(frappe.db.get_value("Voucher", voucher.name, "status"), "Expired")
		# unspent money returns to the budget
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 0)

	def test_cancel_needs_reason(self):
		household, _ = make_eligible_household(self.org)
		voucher = issue(self.programme.name, household.name, self.org)
		with self.assertRaises(frappe.ValidationError):
			voucher.cancel_voucher("")
		voucher.cancel_voucher("Issued by mistake")
		self.assertEqual(voucher.status, "Cancelled")

	def test_forged_codes_are_not_authentic(self):
		household, _ = make_eligible_household(self.org)
		code = issue(self.programme.name, household.name, self.org).code
		forged = code[:-1] + ("A" if code[-1] != "A" else "B")
		self.assertFalse(codes.is_authentic(forged))
		self.assertTrue(codes.is_authentic(code.lower().replace("-", " ")))

	def test_printable_voucher_with_qr(self):
		household, _ = make_eligible_household(self.org)
		voucher = issue(self.programme.name, household.name, self.org)
		html = frappe.get_print("Voucher", voucher.name, print_format="Buono Spesa")
		self.assertIn("<svg", html)
		self.assertIn(voucher.code, html)
