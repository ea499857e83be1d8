"""The network directory: seeding, search by need, district and openness today, service rules."""

import frappe
from frappe.utils import getdate, today

from tolink.devtools.factories import make_provider, make_service, uid
from tolink.devtools.rest import make_user
from tolink.network.directory import WEEKDAYS, search_services
from tolink.network.setup import seed_network_master_data
from tolink.tests.case import CommittingTestCase


class TestDirectory(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.tag = uid()
		today_name = WEEKDAYS[getdate(today()).weekday()]
		other_day = WEEKDAYS[(getdate(today()).weekday() + 1) % 7]
		self.parcels = make_service(
			self.org,
			needs=("Food parcels",),
			districts=("6",),
			service_name=f"Panieri {self.tag}",
			schedules=[{"weekday": today_name, "opens_at": "09:00:00", "closes_at": "12:00:00"}],
		)
		self.canteen = make_service(
			self.org,
			needs=("Canteens",),
			service_name=f"Mensa {self.tag}",
			schedules=[{"weekday": other_day, "opens_at": "18:00:00", "closes_at": "20:00:00"}],
		)
		self.housing = make_service(
			self.org, needs=("Rent support",), districts=("2",), service_name=f"Casa {self.tag}"
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def names(self, **kw):
		return {r.service_name for r in search_services(text=self.tag, **kw)}

	def test_seeding_is_idempotent(self):
		before = (frappe.db.count("District"), frappe.db.count("Need Category"))
		seed_network_master_data()
		self.assertEqual((frappe.db.count("District"), frappe.db.count("Need Category")), before)
		self.assertEqual(frappe.db.count("District"), 8)
		self.assertEqual(frappe.db.get_value("Need Category", "Food parcels", "parent_need_category"), "Food")

	def test_search_by_need_includes_sub_needs(self):
		self.assertEqual(self.names(need_category="Food"), {f"Panieri {self.tag}", f"Mensa {self.tag}"})
		self.assertEqual(self.names(need_category="Canteens"), {f"Mensa {self.tag}"})

	def test_search_by_district_includes_whole_city(self):
		self.assertEqual(self.names(district="6"), {f"Panieri {self.tag}", f"Mensa {self.tag}"})
		self.assertEqual(self.names(district="2"), {f"Mensa {self.tag}", f"Casa {self.tag}"})

	def test_open_today(self):
		rows = search_services(text=self.tag, open_today=1)
		self.assertEqual([r.service_name for r in rows], [f"Panieri {self.tag}"])
		self.assertEqual(rows[0].today_hours, ["09:00-12:00"])

	def test_suspended_services_are_not_listed(self):
		frappe.db.set_value("Service", self.parcels.name, "status", "Suspended")
		self.assertNotIn(f"Panieri {self.tag}", self.names())

	def test_report_runs(self):
		from tolink.network.report.service_directory.service_directory import execute

		columns, data = execute({"need_category": "Food", "text": self.tag})
		self.assertEqual(len(data), 2)
		self.assertTrue(columns)


class TestServiceRules(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.other = make_provider(), make_provider()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_invalid_ranges_change_nothing(self):
		before = frappe.db.count("Service")
		for bad in (
			{"min_age": 65, "max_age": 18},
			{"min_household_size": 5, "max_household_size": 2},
			{"capacity": -1},
			{"schedules": [{"weekday": "Monday", "opens_at": "12:00:00", "closes_at": "09:00:00"}]},
			{
				"locations": [{"location_name": "Sede A"}],
				"schedules": [
					{
						"location_name": "Sede B",
						"weekday": "Monday",
						"opens_at": "09:00:00",
						"closes_at": "10:00:00",
					}
				],
			},
		):
			with self.assertRaises(frappe.ValidationError, msg=str(bad)):
				make_service(self.org, **bad)
		self.assertEqual(frappe.db.count("Service"), before)

	def test_only_its_organisation_changes_a_service(self):
		service = make_service(self.org)
		s = uid()
		mine = make_user(f"mine-{s}@dir.test", ["Provider Staff"], self.org)
		theirs = make_user(f"theirs-{s}@dir.test", ["Provider Staff"], self.other)
		frappe.set_user(theirs)
		self.assertTrue(frappe.has_permission("Service", "read", doc=service.name))
		self.assertFalse(frappe.has_permission("Service", "write", doc=service.name))
		doc = frappe.get_doc("Service", service.name)
		doc.description = "hijacked"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		frappe.set_user(mine)
		self.assertTrue(frappe.has_permission("Service", "write", doc=service.name))
