# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.tests.factories import make_citizen, make_household, make_provider


class TestHousehold(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.a, self.b, self.c = (make_citizen(self.org) for _ in range(3))

	def tearDown(self):
		frappe.db.rollback()

	def test_size_head_card_and_citizen_link(self):
		hh = make_household(self.org, [self.a, self.b])
		self.assertEqual(hh.household_size, 2)
		self.assertEqual(hh.head_of_household, self.a.name)
		self.assertEqual(len(hh.card_code), 10)
		self.assertEqual(frappe.db.get_value("Citizen", self.b.name, "household"), hh.name)

	def test_member_leaving_is_unlinked(self):
		hh = make_household(self.org, [self.a, self.b])
		hh.members[1].left_on = today()
		hh.save()
		self.assertEqual(hh.household_size, 1)
		self.assertIsNone(frappe.db.get_value("Citizen", self.b.name, "household"))

	def test_one_active_household_per_person(self):
		make_household(self.org, [self.a, self.b])
		before = frappe.db.count("Household")
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_household(self.org, [self.c, self.b])
		self.assertIn(self.b.full_name, str(ctx.exception))
		self.assertEqual(frappe.db.count("Household"), before)

	def test_same_person_twice(self):
		with self.assertRaises(frappe.ValidationError):
			make_household(self.org, [self.a, self.a])

	def test_head_must_be_active_member(self):
		with self.assertRaises(frappe.ValidationError):
			make_household(self.org, [self.a], head_of_household=self.b.name)

	def test_isee_expiry_flag(self):
		hh = make_household(self.org, [self.a], isee=3000, isee_valid_until=add_days(today(), -1))
		self.assertTrue(hh.isee_expired)
