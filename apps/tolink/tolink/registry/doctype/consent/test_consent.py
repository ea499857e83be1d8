# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.registry.consent import has_consent
from tolink.tests.factories import make_citizen, make_consent, make_provider


class TestConsent(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.partner = make_provider(), make_provider()
		self.citizen = make_citizen(self.org)

	def tearDown(self):
		frappe.db.rollback()

	def test_sharing_needs_a_partner(self):
		with self.assertRaises(frappe.ValidationError):
			make_consent(self.citizen.name, self.org, partner=None)

	def test_has_consent_per_purpose_and_partner(self):
		make_consent(self.citizen.name, self.org, partner=self.partner)
		self.assertTrue(has_consent(self.citizen.name, "Sharing with partner", partner=self.partner))
		self.assertFalse(has_consent(self.citizen.name, "Sharing with partner", partner=self.org))
		self.assertFalse(has_consent(self.citizen.name, "Vouchers"))

	def test_withdrawal_stops_sharing_and_is_final(self):
		consent = make_consent(self.citizen.name, self.org, partner=self.partner)
		with self.assertRaises(frappe.ValidationError):
			consent.withdraw("")
		consent.reload()
		self.assertEqual(consent.status, "Active")
		consent.withdraw("The person asked")
		self.assertEqual(consent.status, "Withdrawn")
		self.assertEqual(str(consent.withdrawn_on), today())
		self.assertFalse(has_consent(self.citizen.name, "Sharing with partner", partner=self.partner))
		consent.status = "Active"
		with self.assertRaises(frappe.ValidationError):
			consent.save()

	def test_no_future_consent(self):
		doc = frappe.get_doc(
			{
				"doctype": "Consent",
				"citizen": self.citizen.name,
				"purpose": "Reception",
				"given_on": add_days(today(), 3),
				"channel": "Phone",
				"provider": self.org,
			}
		)
		with self.assertRaises(frappe.ValidationError):
			doc.insert()

	def test_operator_is_who_records_it(self):
		consent = make_consent(self.citizen.name, self.org, purpose="Reception")
		self.assertEqual(consent.operator, "Administrator")
