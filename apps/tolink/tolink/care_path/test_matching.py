"""Matching: the database's ranking agrees with the eligibility rules, and its cost does not grow
with the number of services."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_years, getdate, today

from tolink.care_path.matching import suggest_for_needs
from tolink.devtools.factories import make_citizen, make_household, make_need, make_provider, make_service


class TestMatching(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.need = make_need()
		# 40 years old, district 6, ISEE 9.200 €, household of 1, resident
		self.citizen = make_citizen(self.org, district="6", birth=getdate(add_years(today(), -40)))
		make_household(self.org, [self.citizen], isee=9200)

	def tearDown(self):
		frappe.db.rollback()

	def service(self, **rules):
		return make_service(self.org, needs=(self.need,), **rules).name

	def test_the_best_candidates_are_the_eligible_ones(self):
		"""More services than the list shows: the database picks the candidates, the rules judge them.
		If the two disagreed, an eligible service could be left out of the list."""
		ineligible = [
			self.service(max_isee=6000),
			self.service(districts=("5",)),
			self.service(min_age=65),
			self.service(max_age=25),
			self.service(min_household_size=3),
			self.service(max_isee=6000, districts=("1",)),
		]
		# no places left: still eligible, with the reason, after those with places
		full = self.service(capacity=1, capacity_used=1)
		eligible = [self.service(districts=("6",)), self.service(), self.service(max_isee=10000)]
		out = suggest_for_needs(self.citizen.name, [self.need], limit_per_need=5)[0]["services"]
		self.assertEqual(len(out), 5)
		self.assertEqual({s["service"] for s in out[:3]}, set(eligible))
		self.assertEqual(out[0]["service"], eligible[0])  # the one serving the person's district
		self.assertEqual((out[3]["service"], out[3]["eligible"]), (full, True))
		self.assertTrue(out[3]["reasons"])
		self.assertFalse(out[4]["eligible"])
		self.assertIn(out[4]["service"], ineligible)

	def test_no_query_per_service(self):
		def queries(n_services: int) -> int:
			for _ in range(n_services):
				self.service(max_isee=10000)
			with patch.object(frappe.db, "sql", wraps=frappe.db.sql) as spy:
				suggest_for_needs(self.citizen.name, [self.need], limit_per_need=100)
			return spy.call_count

		few = queries(3)
		many = queries(30)  # 33 services answering the need
		self.assertEqual(few, many)
