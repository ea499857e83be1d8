"""The printables of a round: the signature list and the household card with its QR code."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.devtools.distribution import make_hub
from tolink.devtools.factories import make_citizen, make_household, make_provider


class TestPrints(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_round_signature_list_and_household_card(self):
		org = make_provider()
		household = make_household(org, [make_citizen(org)])
		hub = make_hub()
		round_ = frappe.get_doc(
			{
				"doctype": "Distribution Round",
				"hub": hub.name,
				"from_date": today(),
				"to_date": add_days(today(), 6),
				"households": [{"household": household.name}],
			}
		).insert()
		html = frappe.get_print("Distribution Round", round_.name, print_format="Distribuzione Firme")
		self.assertIn(household.household_name, html)
		self.assertIn(frappe._("Signature"), html)
		card = frappe.get_print("Household", household.name, print_format="Tessera Nucleo")
		self.assertIn(household.card_code, card)
		self.assertIn("<svg", card)
