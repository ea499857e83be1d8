# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.devtools.factories import make_citizen, make_consent, make_provider
from tolink.registry.consent import has_consent
from tolink.registry.doctype.consent.consent import ConsentError


class TestConsent(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.partner = make_provider(), make_provider()
		self.citizen = make_citizen(self.org)

	def tearDown(self):
		frappe.set_user("Administrator")
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
		# status is computed: setting it back does nothing, clearing the withdrawal is refused
		consent.status = "Active"
		consent.save()
		self.assertEqual(consent.status, "Withdrawn")
		consent.withdrawn_on = None
		with self.assertRaises(frappe.ValidationError):
			consent.save()
		self.assertEqual(frappe.db.get_value("Consent", consent.name, "status"), "Withdrawn")
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Consent", consent.name).withdraw("Again")

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

	def _consent(self, **kw):
		return frappe.get_doc(
			{
				"doctype": "Consent",
				"citizen": self.citizen.name,
				"purpose": "Reception",
				"given_on": add_days(today(), -10),
				"channel": "Paper form",
				"provider": self.org,
				**kw,
			}
		)

	def test_partner_only_for_sharing(self):
		before = frappe.db.count("Consent")
		with self.assertRaises(ConsentError):
			self._consent(purpose="Vouchers", partner=self.partner).insert()
		with self.assertRaises(ConsentError):
			self._consent(purpose="Sharing with partner", partner=self.org).insert()
		self.assertEqual(frappe.db.count("Consent"), before)

	def test_withdrawal_dates_and_reason(self):
		before = frappe.db.count("Consent")
		with self.assertRaises(ConsentError):  # before it was given
			self._consent(withdrawn_on=add_days(today(), -11), withdrawal_reason="x").insert()
		with self.assertRaises(ConsentError):  # no reason
			self._consent(withdrawn_on=add_days(today(), -1)).insert()
		with self.assertRaises(ConsentError):  # in the future
			self._consent(withdrawn_on=add_days(today(), 1), withdrawal_reason="x").insert()
		self.assertEqual(frappe.db.count("Consent"), before)
		# a paper form withdrawn last week: recorded as withdrawn
		doc = self._consent(withdrawn_on=add_days(today(), -7), withdrawal_reason="Letter").insert()
		self.assertEqual(doc.status, "Withdrawn")
		self.assertFalse(has_consent(self.citizen.name, "Reception"))

	def test_has_consent_on_a_date(self):
		self._consent(purpose="Vouchers").insert()
		self.assertTrue(has_consent(self.citizen.name, "Vouchers"))
		self.assertTrue(has_consent(self.citizen.name, "Vouchers", on_date=add_days(today(), -10)))
		self.assertFalse(has_consent(self.citizen.name, "Vouchers", on_date=add_days(today(), -11)))
		other = make_citizen(self.org)
		self.assertFalse(has_consent(other.name, "Vouchers"))

	def test_withdraw_needs_write_permission(self):
		consent = make_consent(self.citizen.name, self.org, partner=self.partner)
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"volunteer-{frappe.generate_hash(length=6)}@example.com",
				"first_name": "Volunteer",
				"send_welcome_email": 0,
				"tolink_provider": self.org,
				"roles": [{"role": "Hub Volunteer"}],
			}
		).insert(ignore_permissions=True)
		# Frappe makes the first staff user of a fresh site a System Manager: not this one
		frappe.db.delete("Has Role", {"parent": user.name, "role": "System Manager"})
		frappe.clear_cache(user=user.name)
		self.assertNotIn("System Manager", frappe.get_roles(user.name))
		frappe.set_user(user.name)
		try:
			doc = frappe.get_doc("Consent", consent.name)
			with self.assertRaises(frappe.PermissionError):
				doc.withdraw("Not mine to withdraw")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Consent", consent.name, "status"), "Active")
