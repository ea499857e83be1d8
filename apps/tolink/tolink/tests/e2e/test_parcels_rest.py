"""Two volunteers handing out the last units at the same moment (real parallel requests)."""

import threading

import frappe

from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.rest import Client, RestError, make_user
from tolink.distribution.stock import get_balance
from tolink.tests.case import CommittingTestCase


class TestLastUnitsOverREST(CommittingTestCase):
	def test_two_volunteers_hand_out_the_last_units(self):
		frappe.set_user("Administrator")
		bank = make_provider(provider_type="Food Bank")
		hub = make_hub(bank).name
		receive(hub, "Pasta", 5)
		registry = make_provider()
		households = [make_household(registry, [make_citizen(registry)]).name for _ in range(2)]
		s = uid()
		volunteers = [make_user(f"v{i}-{s}@last.test", ["Hub Volunteer"], bank) for i in range(2)]
		frappe.db.commit()
		clients = [Client(v) for v in volunteers]
		results, errors = [], []

		def hand_out(client, household):
			try:
				results.append(
					client.insert(
						{
							"doctype": "Parcel Delivery",
							"hub": hub,
							"household": household,
							"items": [{"aid_item": "Pasta", "qty": 5}],
							"docstatus": 1,
						}
					)
				)
			except RestError as e:
				errors.append(e)

		threads = [
			threading.Thread(target=hand_out, args=(c, h)) for c, h in zip(clients, households, strict=True)
		]
		for t in threads:
			t.start()
		for t in threads:
			t.join(timeout=60)
		self.assertEqual(len(results), 1, [str(e) for e in errors])
		self.assertEqual(len(errors), 1)
		self.assertEqual(errors[0].status_code, 417)
		frappe.db.rollback()
		self.assertEqual(get_balance(hub, "Pasta"), 0)
		self.assertEqual(
			frappe.db.get_value("Stock Bin", {"hub": hub, "aid_item": "Pasta"}, "min(actual_qty)"), 0
		)
