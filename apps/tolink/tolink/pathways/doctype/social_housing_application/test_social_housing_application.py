# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, today

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.pathways import make_housing_situation
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class TestSocialHousingApplication(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.cm = make_user(f"cm-{uid()}@erp.test", ["Case Manager"], self.org)
		self.household = make_household(self.org, [make_citizen(self.org)]).name
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def application(self, **kw):
		return frappe.get_doc(
			{
				"doctype": "Social Housing Application",
				"household": self.household,
				"application_date": kw.pop("application_date", add_days(today(), -200)),
				**kw,
			}
		).insert()

	def test_an_assignment_moves_the_household_into_social_housing_and_averts_the_eviction(self):
		housing = make_housing_situation(
			self.household,
			eviction_status="Hearing scheduled",
			eviction_notice_date=add_days(today(), -60),
			eviction_hearing_date=add_days(today(), 20),
		)
		self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 1)
		app = self.application()
		app.update({"status": "Ranked", "ranking_position": 12, "ranking_date": add_days(today(), -30)})
		app.save()
		app.update(
			{"status": "Assigned", "assigned_on": add_days(today(), -1), "assigned_address": "Via Roma 1"}
		)
		app.save()
		housing.reload()
		self.assertEqual(housing.tenure, "Social housing")
		self.assertEqual(housing.eviction_status, "Averted")
		self.assertEqual([r.tenure for r in housing.history], ["Rented", "Social housing"])
		self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 0)

	def test_inconsistent_applications_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "futuro"):
			self.application(application_date=add_days(today(), 3))
		with self.assertRaisesRegex(frappe.ValidationError, "posizione"):
			self.application(status="Ranked")
		with self.assertRaisesRegex(frappe.ValidationError, "precedente alla data della domanda"):
			self.application(status="Ranked", ranking_position=3, ranking_date=add_days(today(), -300))
		with self.assertRaisesRegex(frappe.ValidationError, "data dell'assegnazione"):
			self.application(status="Assigned")
		with self.assertRaisesRegex(frappe.ValidationError, "motivo"):
			self.application(status="Rejected")

	def test_a_decided_application_is_not_reopened(self):
		app = self.application(status="Rejected", rejection_reason="ISEE sopra soglia")
		app.status = "Submitted"
		with self.assertRaises(frappe.ValidationError):
			app.save()
