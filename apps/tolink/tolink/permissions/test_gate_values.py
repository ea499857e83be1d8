"""The request gate's comparison of a sent value with the stored one: a server-owned field is
refused only when the request changes it, so "unchanged" must never hide a change."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime, today

from tolink.permissions.gate import same


def field(fieldtype: str):
	return frappe._dict(fieldname="f", fieldtype=fieldtype)


class TestSame(FrappeTestCase):
	def test_an_empty_date_is_not_today(self):
		for fieldtype, value in (("Date", today()), ("Datetime", str(now_datetime()))):
			for empty in (None, ""):
				self.assertFalse(same(field(fieldtype), value, empty), (fieldtype, empty))
				self.assertFalse(same(field(fieldtype), empty, value), (fieldtype, empty))

	def test_the_same_date_written_otherwise_is_unchanged(self):
		self.assertTrue(same(field("Date"), "2026-01-05", frappe.utils.getdate("2026-01-05")))
		self.assertTrue(same(field("Datetime"), "2026-01-05 10:00:00", "2026-01-05 10:00"))
		self.assertTrue(same(field("Date"), None, ""))
		self.assertFalse(same(field("Date"), "2026-01-05", "2026-01-06"))
		self.assertFalse(same(field("Date"), "not a date", "2026-01-06"))

	def test_numbers_empty_is_zero(self):
		self.assertTrue(same(field("Int"), 0, None))
		self.assertTrue(same(field("Currency"), "0", ""))
		self.assertTrue(same(field("Float"), "2.50", 2.5))
		self.assertFalse(same(field("Int"), 1, None))
		self.assertFalse(same(field("Check"), "yes", 0))

	def test_text_and_links(self):
		self.assertTrue(same(field("Link"), None, ""))
		self.assertFalse(same(field("Link"), "X", None))
		self.assertFalse(same(field("Data"), "0", None))
		self.assertFalse(same(None, "a", "b"))
		self.assertTrue(same(None, "a", "a"))
