# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, today

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.pathways import make_employment_profile, make_work_measure
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class TestWorkMeasure(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		s = uid()
		self.org, self.host, self.other = make_provider(), make_provider(), make_provider()
		self.cm = make_user(f"cm-{s}@measure.test", ["Case Manager"], self.org)
		self.host_staff = make_user(f"host-{s}@measure.test", ["Provider Staff"], self.host)
		self.outsider = make_user(f"out-{s}@measure.test", ["Provider Staff", "Case Manager"], self.other)
		self.citizen = make_citizen(self.org)
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_from_unemployment_to_a_contract(self):
		make_employment_profile(self.citizen.name, since=add_months(today(), -20))
		measure = make_work_measure(self.citizen.name, self.host)
		self.assertEqual(measure.provider, self.org)
		measure.append(
			"attendance",
			{"month": add_days(get_first_day(today()), 5), "hours_planned": 80, "hours_attended": 76},
		)
		measure.save()
		self.assertEqual(getdate(measure.attendance[0].month), get_first_day(today()))
		measure.update(
			{"status": "Hired", "outcome_date": today(), "contract_type": "Fixed-term", "employer": "Coop"}
		)
		measure.save()
		self.assertEqual(frappe.db.get_value("Citizen", self.citizen.name, "labour_status"), "Employed")
		profile = frappe.get_doc("Employment Profile", {"citizen": self.citizen.name})
		self.assertEqual([p.labour_status for p in profile.history], ["Unemployed", "Employed"])

	def refused(self, name, change, pattern=None):
		"""A change of the saved measure is refused (each attempt on the record as saved)."""
		doc = frappe.get_doc("Work Measure", name)
		change(doc)
		with self.assertRaisesRegex(frappe.ValidationError, pattern or ""):
			doc.save()

	def test_outcomes_need_their_details(self):
		name = make_work_measure(self.citizen.name, self.host).name
		self.refused(
			name, lambda d: d.update({"status": "Hired", "outcome_date": today()}), "tipo di contratto"
		)
		self.refused(name, lambda d: d.update({"status": "Dropped out", "outcome_date": today()}), "motivo")
		self.refused(
			name,
			lambda d: d.update({"status": "Completed", "outcome_date": add_days(d.start_date, -1)}),
			"esito",
		)
		self.refused(name, lambda d: d.update({"status": "Completed"}), "data dell'esito")

	def test_bad_dates_and_attendance_are_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "data di fine"):
			make_work_measure(self.citizen.name, self.host, end_date=add_days(today(), -400))
		with self.assertRaisesRegex(frappe.ValidationError, "non può essere in corso"):
			make_work_measure(self.citizen.name, self.host, start_date=add_days(today(), 10))
		name = make_work_measure(self.citizen.name, self.host).name

		def rows(*months, hours=10):
			return lambda d: [d.append("attendance", {"month": m, "hours_attended": hours}) for m in months]

		start = getdate(frappe.db.get_value("Work Measure", name, "start_date"))
		self.refused(name, rows(add_months(start, -3)), "fuori dalle date")
		self.refused(name, rows(start, start), "due volte")
		self.refused(name, rows(start, hours=1000), "ore")
		self.refused(name, rows(add_months(today(), 1)), "futuro")

	def test_an_ended_measure_is_not_reopened(self):
		measure = make_work_measure(self.citizen.name, self.host)
		measure.update({"status": "Completed", "outcome_date": today()})
		measure.save()
		self.refused(measure.name, lambda d: d.update({"status": "In progress"}), "riaperta")

	def test_the_host_reads_and_records_attendance_only(self):
		measure = make_work_measure(self.citizen.name, self.host)
		frappe.set_user(self.host_staff)
		self.assertIn(measure.name, frappe.get_list("Work Measure", pluck="name"))
		doc = frappe.get_doc("Work Measure", measure.name)
		doc.append("attendance", {"month": today(), "hours_planned": 80, "hours_attended": 60})
		doc.save()
		rows = frappe.get_list(
			"Work Measure Attendance",
			filters={"parent": measure.name},
			fields=["hours_attended"],
			parent_doctype="Work Measure",
		)
		self.assertEqual([r.hours_attended for r in rows], [60])
		for change in (
			{"monthly_allowance": 5000},
			{"status": "Hired", "outcome_date": today(), "contract_type": "Permanent"},
		):
			doc = frappe.get_doc("Work Measure", measure.name)
			doc.update(change)
			with self.assertRaises(frappe.PermissionError):
				doc.save()
		# the citizen stays with the organisation holding it
		self.assertFalse(frappe.has_permission("Citizen", "read", doc=self.citizen.name))

	def test_another_organisation_sees_nothing(self):
		measure = make_work_measure(self.citizen.name, self.host)
		frappe.set_user(self.outsider)
		self.assertNotIn(measure.name, frappe.get_list("Work Measure", pluck="name"))
		self.assertFalse(frappe.has_permission("Work Measure", "read", doc=measure.name))
		self.assertFalse(
			frappe.get_list(
				"Work Measure Attendance", filters={"parent": measure.name}, parent_doctype="Work Measure"
			)
		)
		with self.assertRaises(frappe.LinkValidationError):
			make_work_measure(self.citizen.name, self.other)
