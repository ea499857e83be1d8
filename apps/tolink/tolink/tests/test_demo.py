"""The demo network: believable, valid, idempotent, and only on demo sites."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.permissions import ROLES
from tolink.registry.codice_fiscale import is_valid
from tolink.setup import demo


class TestDemoNetwork(FrappeTestCase):
	def tearDown(self):
		frappe.conf.pop("tolink_demo_site", None)
		frappe.db.rollback()

	def test_refused_on_a_site_that_is_not_a_demo_site(self):
		frappe.conf.pop("tolink_demo_site", None)
		before = frappe.db.count("Citizen")
		with self.assertRaises(demo.NotADemoSiteError):
			demo.install_demo()
		self.assertEqual(frappe.db.count("Citizen"), before)

	def test_demo_network(self):
		frappe.conf.tolink_demo_site = 1
		# as on a fresh site: no System Manager but Administrator, so Frappe would make the first
		# demo user (the reception operator) one
		frappe.db.delete(
			"Has Role", {"parenttype": "User", "role": "System Manager", "parent": ("!=", "Administrator")}
		)
		demo.install_demo()
		for login, *_rest in demo.USERS:
			self.assertNotIn("System Manager", frappe.get_roles(f"{login}@{demo.DEMO_DOMAIN}"), login)
		providers = [p[0] for p in demo.PROVIDERS]
		self.assertEqual(frappe.db.count("Provider", {"name": ("in", providers)}), 6)
		self.assertEqual(frappe.db.count("Service", {"provider": ("in", providers)}), 20)
		citizens = frappe.get_all(
			"Citizen",
			filters={"provider": ("in", providers)},
			fields=["codice_fiscale", "household", "district", "birth_place"],
		)
		self.assertEqual(len(citizens), 200)
		self.assertTrue(all(is_valid(c.codice_fiscale) for c in citizens))
		# the birth place comes from the code: comuni with their province, and foreign states
		places = {c.birth_place for c in citizens}
		self.assertIn("Torino (TO)", places)
		self.assertIn("Romania", places)
		self.assertTrue(all(places))
		self.assertTrue(all(c.household for c in citizens))
		self.assertEqual(frappe.db.count("Household", {"provider": ("in", providers)}), 80)
		districts = {c.district for c in citizens}
		self.assertGreaterEqual(len(districts), 6)
		roles = set(
			frappe.get_all(
				"Has Role",
				filters={"parent": ("like", f"%@{demo.DEMO_DOMAIN}"), "parenttype": "User"},
				pluck="role",
			)
		)
		self.assertTrue(set(ROLES) <= roles, set(ROLES) - roles)
		for login, *_rest in demo.USERS:
			self.assertEqual(frappe.db.get_value("User", f"{login}@{demo.DEMO_DOMAIN}", "language"), "it")

		# the users who need a second factor are enrolled; their code is the authenticator app's
		import pyotp
		from frappe.twofactor import get_otpsecret_for_

		psy = f"psicologa@{demo.DEMO_DOMAIN}"
		code, uri = demo.current_otp(psy)
		# the window may turn between taking the code and checking it
		self.assertTrue(pyotp.TOTP(get_otpsecret_for_(psy)).verify(code, valid_window=1))
		self.assertIn("otpauth://", uri)
		with self.assertRaises(frappe.ValidationError):
			demo.current_otp(f"accoglienza@{demo.DEMO_DOMAIN}")  # no second factor for reception

		# hubs with stock for the hub users, a voucher programme for the demo shop
		from tolink.distribution.stock import get_balance

		for hub, *_rest in demo.HUBS:
			self.assertEqual(get_balance(hub, "Pasta"), 300)
			staff = {r.user for r in frappe.get_doc("Distribution Hub", hub).staff}
			self.assertIn(f"snodo@{demo.DEMO_DOMAIN}", staff)
		vouchers = frappe.get_all(
			"Voucher", filters={"programme": "Buoni spesa solidali 2026"}, pluck="status"
		)
		self.assertTrue(vouchers)
		self.assertEqual(set(vouchers), {"Issued"})
		# an application waits for the approver, and another eligible household has no voucher yet
		waiting = frappe.get_all(
			"Voucher Application",
			filters={"programme": "Buoni spesa solidali 2026"},
			fields=["status", "owner"],
		)
		self.assertEqual(
			[(a.status, a.owner) for a in waiting], [("Proposed", f"casemanager@{demo.DEMO_DOMAIN}")]
		)

		# work and housing: profiles, a traineeship in progress, an eviction within 30 days
		city = providers[0]
		pathways = {
			"profiles": frappe.db.count("Employment Profile", {"provider": city}),
			"traineeships": frappe.db.count("Work Measure", {"provider": city, "status": "In progress"}),
			"evictions": frappe.db.count(
				"Housing Situation",
				{
					"provider": city,
					"eviction_pending": 1,
					"next_eviction_date": ("<=", add_days(today(), 30)),
				},
			),
		}
		self.assertGreaterEqual(pathways["profiles"], 3)
		self.assertEqual((pathways["traineeships"], pathways["evictions"]), (1, 1))

		# a second run adds nothing, and takes System Manager from a demo loaded before To Link
		# refused it (the reception operator had it)
		reception = f"accoglienza@{demo.DEMO_DOMAIN}"
		frappe.get_doc("User", reception).append("roles", {"role": "System Manager"}).db_insert()
		frappe.clear_cache(user=reception)
		self.assertIn("System Manager", frappe.get_roles(reception))
		demo.install_demo()
		self.assertNotIn("System Manager", frappe.get_roles(reception))
		self.assertEqual(frappe.db.count("Citizen", {"provider": ("in", providers)}), 200)
		self.assertEqual(frappe.db.count("Service", {"provider": ("in", providers)}), 20)
		self.assertEqual(frappe.db.count("Employment Profile", {"provider": city}), pathways["profiles"])
