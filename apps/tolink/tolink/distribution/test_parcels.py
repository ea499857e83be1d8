"""Parcel deliveries: double collection across the network, overrides, counter lookup, and two
volunteers handing out the last units at the same moment (real parallel requests)."""

import frappe

from tolink.api.desk import propose_hubs
from tolink.api.partner import counter_lookup
from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.distribution.doctype.parcel_delivery.parcel_delivery import DoubleCollectionError
from tolink.distribution.stock import get_balance
from tolink.tests.case import CommittingTestCase


def deliver(hub, household, qty=2, submit=True, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Parcel Delivery",
			"hub": hub,
			"household": household,
			"items": [{"aid_item": "Pasta", "qty": qty}],
			**kw,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


class TestParcelDelivery(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.bank_a, self.bank_b = (
			make_provider(provider_type="Food Bank"),
			make_provider(provider_type="Food Bank"),
		)
		self.hub_a, self.hub_b = make_hub(self.bank_a).name, make_hub(self.bank_b, district="5").name
		receive(self.hub_a, "Pasta", 50)
		receive(self.hub_b, "Pasta", 50)
		self.registry = make_provider()
		self.head = make_citizen(self.registry)
		self.household = make_household(self.registry, [self.head, make_citizen(self.registry)])
		s = uid()
		self.volunteer_b = make_user(f"vol-{s}@parcel.test", ["Hub Volunteer"], self.bank_b)
		self.manager_b = make_user(f"mgr-{s}@parcel.test", ["Hub Manager"], self.bank_b)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_delivery_moves_stock(self):
		deliver(self.hub_a, self.household.name, qty=3)
		self.assertEqual(get_balance(self.hub_a, "Pasta"), 47)

	def test_second_collection_in_the_week_at_another_hub_is_stopped(self):
		deliver(self.hub_a, self.household.name)
		frappe.set_user(self.volunteer_b)
		lookup = counter_lookup(self.hub_b, self.household.card_code)
		self.assertEqual(lookup["already_collected"][0]["hub"], self.hub_a)
		self.assertIn(self.hub_a, lookup["warning"])
		doc = deliver(self.hub_b, self.household.name, submit=False)
		self.assertIn(self.hub_a, doc.double_collection_warning)
		with self.assertRaises(DoubleCollectionError):
			doc.submit()
		frappe.set_user("Administrator")
		self.assertEqual(get_balance(self.hub_b, "Pasta"), 50)

	def test_volunteer_cannot_override(self):
		deliver(self.hub_a, self.household.name)
		frappe.set_user(self.volunteer_b)
		with self.assertRaises(frappe.PermissionError):
			deliver(self.hub_b, self.household.name, override_double_collection=1, override_reason="x")

	def test_hub_manager_overrides_with_reason(self):
		deliver(self.hub_a, self.household.name)
		frappe.set_user(self.manager_b)
		with self.assertRaises(frappe.ValidationError):
			deliver(self.hub_b, self.household.name, override_double_collection=1)
		doc = deliver(
			self.hub_b,
			self.household.name,
			override_double_collection=1,
			override_reason="Newborn in the family",
		)
		self.assertEqual(doc.status, "Delivered")
		self.assertEqual(
			frappe.db.get_value("Parcel Delivery", doc.name, "override_reason"), "Newborn in the family"
		)

	def test_counter_finds_household_by_codice_fiscale(self):
		frappe.set_user(self.volunteer_b)
		lookup = counter_lookup(self.hub_b, self.head.codice_fiscale.lower())
		self.assertEqual(lookup["household"], self.household.name)
		self.assertEqual(lookup["head_first_name"], self.head.first_name)
		self.assertNotIn("codice_fiscale", lookup)
		self.assertIsNone(lookup["warning"])
		# the lookup is in the person's access log
		self.assertTrue(
			frappe.db.exists(
				"Personal Data Access Log",
				{
					"user": self.volunteer_b,
					"reference_doctype": "Household",
					"reference_name": self.household.name,
					"citizen": self.head.name,
				},
			)
		)

	def test_counter_only_for_the_hubs_staff(self):
		frappe.set_user(self.volunteer_b)
		with self.assertRaises(frappe.PermissionError):
			counter_lookup(self.hub_a, self.household.card_code)

	def test_nearest_hub_is_proposed(self):
		other = make_household(self.registry, [make_citizen(self.registry)], district="5")
		closed = make_household(self.registry, [make_citizen(self.registry)], status="Closed")
		result = propose_hubs([self.household.name, other.name, closed.name])
		self.assertEqual(
			frappe.db.get_value("Distribution Hub", result["proposal"][other.name], "district"), "5"
		)
		self.assertIn(closed.name, result["not_eligible"])
		self.assertNotIn(closed.name, result["proposal"])

	def test_template_fills_the_parcel(self):
		template = frappe.get_doc(
			{
				"doctype": "Parcel Template",
				"template_name": f"Famiglia {uid()}",
				"min_household_size": 1,
				"items": [{"aid_item": "Pasta", "qty": 4}],
			}
		).insert()
		doc = frappe.get_doc(
			{
				"doctype": "Parcel Delivery",
				"hub": self.hub_a,
				"household": self.household.name,
				"parcel_template": template.name,
			}
		).insert()
		self.assertEqual([(r.aid_item, r.qty) for r in doc.items], [("Pasta", 4)])
