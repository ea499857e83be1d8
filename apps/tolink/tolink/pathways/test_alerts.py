# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""The daily reminders of work measures (tolink.pathways.alerts.remind_work_measures)."""

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, today

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.pathways import make_work_measure
from tolink.devtools.rest import make_user
from tolink.pathways.alerts import remind_work_measures
from tolink.tests.case import CommittingTestCase


class TestWorkMeasureReminders(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		s = uid()
		self.org, self.host, self.other = make_provider(), make_provider(), make_provider()
		self.cm = make_user(f"cm-{s}@remind.test", ["Case Manager"], self.org)
		self.other_cm = make_user(f"cm2-{s}@remind.test", ["Case Manager"], self.org)
		self.host_cm = make_user(f"host-{s}@remind.test", ["Case Manager", "Provider Staff"], self.host)
		self.outsider = make_user(f"out-{s}@remind.test", ["Case Manager", "Provider Staff"], self.other)
		self.citizen = make_citizen(self.org)
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def reminded(self, measure: str) -> list[tuple[str, str]]:
		return [
			(log.for_user, log.subject)
			for log in frappe.get_all(
				"Notification Log",
				filters={"document_type": "Work Measure", "document_name": measure},
				fields=["for_user", "subject"],
				order_by="for_user",
			)
		]

	def ended(self, **kw) -> str:
		return make_work_measure(
			self.citizen.name,
			self.host,
			status="Completed",
			outcome_date=today(),
			**kw,
		).name

	def test_a_measure_ending_within_14_days_reminds_the_plan_case_manager_once(self):
		frappe.get_doc(
			{"doctype": "Welfare Plan", "citizen": self.citizen.name, "case_manager": self.other_cm}
		).insert()
		# the 3rd of this month: no attendance is due yet
		day = getdate(add_days(get_first_day(today()), 2))
		start = add_months(day, -2)
		ending = make_work_measure(self.citizen.name, self.host, start_date=start, end_date=add_days(day, 10))
		far = make_work_measure(self.citizen.name, self.host, start_date=start, end_date=add_days(day, 40))
		done = self.ended(start_date=start, end_date=add_days(day, 5))
		frappe.set_user("Administrator")
		remind_work_measures(on_date=day)
		logs = self.reminded(ending.name)
		self.assertEqual([user for user, _ in logs], [self.other_cm])
		self.assertIn("termina il", logs[0][1])
		self.assertEqual(self.reminded(far.name), [])
		self.assertEqual(self.reminded(done), [])
		# once per end date: the next day's run says nothing new
		self.assertEqual(remind_work_measures(on_date=add_days(day, 1)), 0)
		self.assertEqual(len(self.reminded(ending.name)), 1)
		# the end date moved: reminded again
		frappe.set_user(self.cm)
		ending.reload()
		ending.end_date = add_days(day, 12)
		ending.save()
		frappe.set_user("Administrator")
		remind_work_measures(on_date=add_days(day, 1))
		self.assertEqual(len(self.reminded(ending.name)), 2)

	def test_missing_attendance_reminds_the_organisations_case_managers_from_the_5th(self):
		this_month = get_first_day(today())
		missing = make_work_measure(self.citizen.name, self.host)
		recorded = make_work_measure(self.citizen.name, self.host)
		recorded.append("attendance", {"month": this_month, "hours_planned": 80, "hours_attended": 70})
		recorded.save()
		done = self.ended()
		next_month = get_first_day(add_months(today(), 1))
		frappe.set_user("Administrator")
		remind_work_measures(on_date=add_days(next_month, 3))
		self.assertEqual(self.reminded(missing.name), [])
		remind_work_measures(on_date=add_days(next_month, 4))
		logs = self.reminded(missing.name)
		# no plan: the case managers of the organisation holding the measure, not the host's, nor
		# another organisation's
		self.assertEqual({user for user, _ in logs}, {self.cm, self.other_cm})
		self.assertIn(this_month.strftime("%m/%Y"), logs[0][1])
		self.assertEqual(self.reminded(recorded.name), [])
		self.assertEqual(self.reminded(done), [])
		# once for the month
		self.assertEqual(remind_work_measures(on_date=add_days(next_month, 5)), 0)
		self.assertEqual(len(self.reminded(missing.name)), 2)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": ("in", [self.host_cm, self.outsider])})
		)
