# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, getdate, today

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.pathways import make_housing_situation
from tolink.devtools.rest import make_user
from tolink.pathways.alerts import alert_evictions
from tolink.tests.case import CommittingTestCase


class TestHousingSituation(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		s = uid()
		self.org = make_provider()
		self.cm = make_user(f"cm-{s}@housing.test", ["Case Manager"], self.org)
		self.other_cm = make_user(f"cm2-{s}@housing.test", ["Case Manager"], self.org)
		self.citizen = make_citizen(self.org)
		self.household = make_household(self.org, [self.citizen]).name
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def eviction(self, **kw):
		return make_housing_situation(
			self.household,
			eviction_status=kw.pop("eviction_status", "Hearing scheduled"),
			eviction_notice_date=kw.pop("eviction_notice_date", add_days(today(), -40)),
			eviction_hearing_date=kw.pop("eviction_hearing_date", add_days(today(), 12)),
			**kw,
		)

	def test_an_eviction_is_pending_on_the_household(self):
		housing = self.eviction(morosita_incolpevole=1, arrears_amount=2400, arrears_months=4)
		self.assertEqual(housing.eviction_pending, 1)
		self.assertEqual(getdate(housing.next_eviction_date), getdate(add_days(today(), 12)))
		self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 1)
		housing.update({"eviction_status": "Suspended"})
		housing.save()
		self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 0)
		self.assertIsNone(housing.next_eviction_date)

	def test_eviction_dates_in_the_wrong_order_are_refused(self):
		with self.assertRaisesRegex(
			frappe.ValidationError, "esecuzione è precedente alla data della notifica"
		):
			self.eviction(
				eviction_status="Execution scheduled", eviction_execution_date=add_days(today(), -50)
			)
		with self.assertRaisesRegex(frappe.ValidationError, "udienza è precedente"):
			self.eviction(eviction_hearing_date=add_days(today(), -50))
		with self.assertRaisesRegex(frappe.ValidationError, "esecuzione è precedente alla data dell'udienza"):
			self.eviction(eviction_status="Execution scheduled", eviction_execution_date=add_days(today(), 5))
		with self.assertRaisesRegex(frappe.ValidationError, "notifica"):
			self.eviction(eviction_notice_date=None)
		with self.assertRaisesRegex(frappe.ValidationError, "futuro"):
			self.eviction(
				eviction_notice_date=add_days(today(), 2), eviction_hearing_date=add_days(today(), 20)
			)

	def test_the_housing_history_is_kept_and_checked(self):
		housing = make_housing_situation(self.household, tenure_since=add_days(today(), -700))
		housing.update({"tenure": "Temporary accommodation", "tenure_since": add_days(today(), -5)})
		housing.update(
			{"temporary_accommodation": "Dormitorio via Ghedini", "temporary_from": add_days(today(), -5)}
		)
		housing.save()
		self.assertEqual([r.tenure for r in housing.history], ["Rented", "Temporary accommodation"])
		housing.append(
			"history",
			{"tenure": "Hosted", "from_date": add_days(today(), -300), "to_date": add_days(today(), -100)},
		)
		with self.assertRaisesRegex(frappe.ValidationError, "si sovrappone"):
			housing.save()

	def test_a_hearing_within_30_days_alerts_the_case_manager_once(self):
		plan = frappe.get_doc(
			{"doctype": "Welfare Plan", "citizen": self.citizen.name, "case_manager": self.other_cm}
		).insert()
		housing = self.eviction()
		far = self.make_far_eviction()
		frappe.set_user("Administrator")
		self.assertEqual(alert_evictions(), 1)
		logs = frappe.get_all(
			"Notification Log", filters={"document_name": housing.name}, fields=["for_user", "subject"]
		)
		self.assertEqual([log.for_user for log in logs], [self.other_cm])
		self.assertIn("udienza", logs[0].subject)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": far}))
		# once per date: the next day's run says nothing new
		self.assertEqual(alert_evictions(), 0)
		self.assertTrue(plan.name)
		# an execution date set later is alerted too
		frappe.set_user(self.cm)
		housing.reload()
		housing.update(
			{"eviction_status": "Execution scheduled", "eviction_execution_date": add_days(today(), 25)}
		)
		housing.save()
		frappe.set_user("Administrator")
		self.assertEqual(alert_evictions(), 1)

	def test_without_a_plan_the_organisations_case_managers_are_alerted(self):
		housing = self.eviction()
		frappe.set_user("Administrator")
		alert_evictions()
		users = set(
			frappe.get_all("Notification Log", filters={"document_name": housing.name}, pluck="for_user")
		)
		self.assertEqual(users, {self.cm, self.other_cm})

	def test_the_next_date_moves_on_as_days_pass(self):
		housing = self.eviction(
			eviction_status="Execution scheduled", eviction_execution_date=add_days(today(), 40)
		)
		frappe.set_user("Administrator")
		alert_evictions(on_date=add_days(today(), 13))
		self.assertEqual(
			getdate(frappe.db.get_value("Housing Situation", housing.name, "next_eviction_date")),
			getdate(add_days(today(), 40)),
		)

	def make_far_eviction(self) -> str:
		household = make_household(self.org, [make_citizen(self.org)]).name
		return make_housing_situation(
			household,
			eviction_status="Hearing scheduled",
			eviction_notice_date=add_days(today(), -10),
			eviction_hearing_date=add_days(today(), 90),
		).name
