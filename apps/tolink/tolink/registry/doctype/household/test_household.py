# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.devtools.factories import make_citizen, make_household, make_provider


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
		first = make_household(self.org, [self.a, self.b], household_name="Nucleo Segreto")
		before = frappe.db.count("Household")
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_household(self.org, [self.c, self.b])
		self.assertIn(self.b.full_name, str(ctx.exception))
		for secret in (first.name, "Nucleo Segreto", self.a.full_name):
			self.assertNotIn(secret, str(ctx.exception))
		self.assertEqual(frappe.db.count("Household"), before)
		self.assertIsNone(frappe.db.get_value("Citizen", self.c.name, "household"))

	def test_member_who_left_may_join_another_household(self):
		first = make_household(self.org, [self.a, self.b])
		first.members[1].left_on = today()
		first.save()
		second = make_household(self.org, [self.b, self.c])
		self.assertEqual(frappe.db.get_value("Citizen", self.b.name, "household"), second.name)
		self.assertEqual(frappe.db.get_value("Citizen", self.a.name, "household"), first.name)

	def test_closed_household_does_not_hold_its_members(self):
		first = make_household(self.org, [self.a, self.b])
		first.status = "Closed"
		first.save()
		self.assertIsNone(frappe.db.get_value("Citizen", self.a.name, "household"))
		make_household(self.org, [self.a])

	def test_removed_member_is_unlinked(self):
		hh = make_household(self.org, [self.a, self.b, self.c])
		hh.members = [m for m in hh.members if m.citizen != self.c.name]
		hh.save()
		self.assertEqual(hh.household_size, 2)
		self.assertIsNone(frappe.db.get_value("Citizen", self.c.name, "household"))
		self.assertEqual(frappe.db.get_value("Citizen", self.a.name, "household"), hh.name)

	def test_default_head_is_the_member_marked_so(self):
		hh = frappe.get_doc(
			{
				"doctype": "Household",
				"household_name": "Nucleo Test",
				"provider": self.org,
				"members": [
					{"citizen": self.a.name, "relation": "Child"},
					{"citizen": self.b.name, "relation": "Head of household"},
				],
			}
		).insert()
		self.assertEqual(hh.head_of_household, self.b.name)

	def test_leaving_before_joining_is_refused(self):
		before = frappe.db.count("Household")
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Household",
					"household_name": "Nucleo Test",
					"provider": self.org,
					"members": [
						{"citizen": self.a.name, "relation": "Head of household"},
						{
							"citizen": self.b.name,
							"relation": "Child",
							"joined_on": today(),
							"left_on": add_days(today(), -3),
						},
					],
				}
			).insert()
		self.assertEqual(frappe.db.count("Household"), before)

	def test_card_codes_are_random_and_unique(self):
		codes = {make_household(self.org, [c]).card_code for c in (self.a, self.b, self.c)}
		self.assertEqual(len(codes), 3)
		self.assertTrue(all(len(c) == 10 and c.isalnum() and c.isupper() for c in codes))

	def test_same_person_twice(self):
		before = frappe.db.count("Household")
		with self.assertRaises(frappe.ValidationError):
			make_household(self.org, [self.a, self.a])
		self.assertEqual(frappe.db.count("Household"), before)
		self.assertIsNone(frappe.db.get_value("Citizen", self.a.name, "household"))

	def test_head_must_be_active_member(self):
		with self.assertRaises(frappe.ValidationError):
			make_household(self.org, [self.a], head_of_household=self.b.name)

	def test_isee_expiry_flag(self):
		hh = make_household(self.org, [self.a], isee=3000, isee_valid_until=add_days(today(), -1))
		self.assertTrue(hh.isee_expired)
		valid = make_household(self.org, [self.b], isee=3000, isee_valid_until=today())
		self.assertFalse(valid.isee_expired)

	def test_daily_refresh_of_isee_expiry(self):
		from tolink.registry.doctype.household.household import refresh_isee_expired

		hh = make_household(self.org, [self.a], isee=3000, isee_valid_until=today())
		frappe.db.set_value("Household", hh.name, "isee_valid_until", add_days(today(), -1))
		refresh_isee_expired()
		self.assertEqual(frappe.db.get_value("Household", hh.name, "isee_expired"), 1)
		frappe.db.set_value("Household", hh.name, "isee_valid_until", add_days(today(), 30))
		refresh_isee_expired()
		self.assertEqual(frappe.db.get_value("Household", hh.name, "isee_expired"), 0)


class TestFamilyFacts(FrappeTestCase):
	"""Single parent and minors: facts eligibility reads, set by the app."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()

	def tearDown(self):
		frappe.db.rollback()

	def test_single_parent_and_minors(self):
		from datetime import date

		from tolink.registry.profile import get_person_profile

		parent = make_citizen(self.org)
		child = make_citizen(self.org, birth=date(date.today().year - 9, 3, 3))
		hh = make_household(self.org, [parent, child])
		hh.members[1].school, hh.members[1].school_grade = "IC Parini", "Primary"
		hh.save()
		self.assertEqual(hh.single_parent, 1)
		self.assertEqual(get_person_profile(parent.name)["minors"], 1)
		hh.append(
			"members", {"citizen": make_citizen(self.org).name, "relation": "Spouse/Partner", "is_active": 1}
		)
		hh.save()
		self.assertEqual(hh.single_parent, 0)
		# an adult child alone with the parent is no single-parent household
		adult = make_citizen(self.org)
		other = make_household(self.org, [make_citizen(self.org), adult])
		self.assertEqual(other.single_parent, 0)

	def test_cares_for_dependent(self):
		from tolink.registry.profile import get_person_profile

		carer, cared = make_citizen(self.org), make_citizen(self.org)
		hh = make_household(self.org, [carer, cared])
		self.assertEqual(hh.cares_for_dependent, 0)
		self.assertFalse(get_person_profile(carer.name)["cares_for_dependent"])
		hh.members[1].is_dependent_cared_for = 1
		hh.save()
		self.assertEqual(hh.cares_for_dependent, 1)
		profile = get_person_profile(carer.name)
		self.assertTrue(profile["cares_for_dependent"])
		self.assertFalse(profile["single_parent"])
		# the dependent left the household: no longer caring
		hh.members[1].left_on = frappe.utils.today()
		hh.save()
		self.assertEqual(hh.cares_for_dependent, 0)
