"""The stock ledger: receipts, FEFO, never below zero, immutability, hub isolation, alerts."""

import frappe

from tolink.api.desk import hub_alerts
from tolink.devtools.distribution import make_hub, move, receive
from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import make_user
from tolink.distribution.stock import InsufficientStockError, get_balance
from tolink.tests.case import CommittingTestCase

PASTA, MILK = "Pasta", "UHT milk"


class TestStock(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.hub = make_hub().name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def ledger_rows(self):
		return frappe.db.count("Stock Ledger Entry", {"hub": self.hub})

	def test_balance_comes_from_the_ledger(self):
		receive(self.hub, PASTA, 20)
		move(self.hub, "Distribution", PASTA, 7)
		self.assertEqual(get_balance(self.hub, PASTA), 13)
		bin_qty = frappe.db.get_value("Stock Bin", {"hub": self.hub, "aid_item": PASTA}, "sum(actual_qty)")
		self.assertEqual(bin_qty, 13)

	def test_perishable_receipt_needs_expiry_and_writes_nothing(self):
		with self.assertRaises(frappe.ValidationError):
			receive(self.hub, MILK, 10)
		self.assertEqual(self.ledger_rows(), 0)

	def test_adjustment_needs_a_reason(self):
		receive(self.hub, PASTA, 5)
		before = self.ledger_rows()
		with self.assertRaises(frappe.ValidationError):
			move(self.hub, "Adjustment Out", PASTA, 1)
		self.assertEqual(self.ledger_rows(), before)
		move(self.hub, "Adjustment Out", PASTA, 1, reason="Torn package")
		self.assertEqual(get_balance(self.hub, PASTA), 4)

	def test_first_to_expire_first_out(self):
		receive(self.hub, MILK, 10, lot="LATE", expiry_days=20)
		receive(self.hub, MILK, 4, lot="SOON", expiry_days=3)
		move(self.hub, "Distribution", MILK, 6)
		self.assertEqual(get_balance(self.hub, MILK, "SOON"), 0)
		self.assertEqual(get_balance(self.hub, MILK, "LATE"), 8)

	def test_expired_lots_are_not_handed_out_but_written_off(self):
		receive(self.hub, MILK, 5, lot="OLD", expiry_days=-1)
		with self.assertRaises(InsufficientStockError):
			move(self.hub, "Distribution", MILK, 1)
		move(self.hub, "Expiry Write-off", MILK, 5, reason="Expired")
		self.assertEqual(get_balance(self.hub, MILK), 0)

	def test_never_below_zero(self):
		receive(self.hub, PASTA, 3)
		before = self.ledger_rows()
		with self.assertRaises(InsufficientStockError):
			move(self.hub, "Distribution", PASTA, 4)
		self.assertEqual(self.ledger_rows(), before)
		self.assertEqual(get_balance(self.hub, PASTA), 3)

	def test_movements_are_immutable(self):
		doc = receive(self.hub, PASTA, 3)
		with self.assertRaises(frappe.ValidationError):
			doc.cancel()
		doc.reload()
		doc.items[0].qty = 300
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		self.assertEqual(get_balance(self.hub, PASTA), 3)

	def test_transfer(self):
		other = make_hub().name
		receive(self.hub, PASTA, 10)
		move(self.hub, "Transfer", PASTA, 4, target_hub=other)
		self.assertEqual((get_balance(self.hub, PASTA), get_balance(other, PASTA)), (6, 4))

	def test_staff_of_another_organisation_cannot_move_stock(self):
		receive(self.hub, PASTA, 10)
		stranger = make_user(f"vol-{uid()}@hub.test", ["Hub Volunteer"], make_provider())
		frappe.set_user(stranger)
		with self.assertRaises(frappe.PermissionError):
			move(self.hub, "Distribution", PASTA, 1)
		self.assertEqual(frappe.get_list("Stock Ledger Entry", filters={"hub": self.hub}), [])
		frappe.set_user("Administrator")
		self.assertEqual(get_balance(self.hub, PASTA), 10)

	def test_alerts_low_stock_and_expiring(self):
		frappe.db.set_value("Aid Item", PASTA, "low_stock_threshold", 50)
		receive(self.hub, PASTA, 10)
		receive(self.hub, MILK, 6, lot="SOON", expiry_days=5)
		receive(self.hub, MILK, 6, lot="LATE", expiry_days=40)
		alerts = hub_alerts(self.hub)
		self.assertIn(PASTA, [a["aid_item"] for a in alerts["low_stock"]])
		self.assertEqual([a["lot"] for a in alerts["expiring"]], ["SOON"])
