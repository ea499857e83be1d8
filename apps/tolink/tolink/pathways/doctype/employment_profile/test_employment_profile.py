# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, add_months, getdate, today

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.pathways import make_employment_profile
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class TestEmploymentProfile(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.cm = make_user(f"cm-{uid()}@employment.test", ["Case Manager"], self.org)
		self.citizen = make_citizen(self.org)
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_change_of_status_keeps_the_history_and_the_citizen_facts(self):
		since = add_months(today(), -14)
		profile = make_employment_profile(self.citizen.name, since=since, did_date=since)
		self.assertEqual(len(profile.history), 1)
		self.assertEqual(
			frappe.db.get_value("Citizen", self.citizen.name, ["labour_status", "unemployed_since"]),
			("Unemployed", getdate(since)),
		)
		hired = add_days(today(), -3)
		profile.labour_status, profile.status_since = "Employed", hired
		profile.save()
		first, second = profile.history
		self.assertEqual(
			(first.labour_status, getdate(first.to_date)), ("Unemployed", getdate(add_days(hired, -1)))
		)
		self.assertEqual((second.labour_status, second.to_date), ("Employed", None))
		self.assertEqual(
			frappe.db.get_value("Citizen", self.citizen.name, ["labour_status", "unemployed_since"]),
			("Employed", None),
		)

	def test_a_new_status_cannot_start_before_the_current_one(self):
		profile = make_employment_profile(self.citizen.name, since=add_days(today(), -30))
		profile.labour_status, profile.status_since = "Inactive", add_days(today(), -60)
		with self.assertRaisesRegex(frappe.ValidationError, "deve iniziare dopo"):
			profile.save()

	def test_overlapping_periods_are_refused_in_italian(self):
		with self.assertRaisesRegex(frappe.ValidationError, "si sovrappone"):
			make_employment_profile(
				self.citizen.name,
				since=add_days(today(), -10),
				history=[
					{
						"labour_status": "Employed",
						"from_date": add_days(today(), -400),
						"to_date": add_days(today(), -100),
					},
					{
						"labour_status": "Inactive",
						"from_date": add_days(today(), -200),
						"to_date": add_days(today(), -20),
					},
				],
			)

	def test_bad_dates_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "futuro"):
			make_employment_profile(self.citizen.name, since=add_days(today(), 5))
		with self.assertRaisesRegex(frappe.ValidationError, "fine è precedente"):
			make_employment_profile(
				self.citizen.name,
				since=add_days(today(), -10),
				history=[
					{
						"labour_status": "Employed",
						"from_date": add_days(today(), -100),
						"to_date": add_days(today(), -200),
					}
				],
			)

	def test_one_profile_per_person(self):
		make_employment_profile(self.citizen.name)
		with self.assertRaises(frappe.ValidationError):
			make_employment_profile(self.citizen.name)

	def test_another_organisation_cannot_write_a_profile_of_our_citizen(self):
		frappe.set_user("Administrator")
		other = make_user(f"cm-{uid()}@employment.test", ["Case Manager"], make_provider())
		frappe.set_user(other)
		with self.assertRaises(frappe.LinkValidationError):
			make_employment_profile(self.citizen.name)
