"""Work and housing over HTTP, as an attacker: another organisation sees and changes nothing of A's
employment profiles, work measures, housing situations and social-housing applications; the host
organisation of a traineeship reads it and records the attendance, and nothing else; the facts the
app keeps (eviction pending, labour status) are never set by a request."""

import frappe
from frappe.utils import add_days, today

from tolink.devtools.factories import make_citizen, make_household, make_provider
from tolink.devtools.pathways import make_employment_profile, make_housing_situation, make_work_measure
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase

REFUSED = (403, 404, 417)


class TestPathwaysOverREST(LiveServerTestCase):
	roles = {"case_manager": ["Case Manager"], "reception": ["Reception Operator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.org_b, cls.host = make_provider(f"Altro {s}"), make_provider(f"Ospite {s}")
		cls.cm_b = make_user(f"cm-b-{s}@pathways.test", ["Case Manager", "Reception Operator"], cls.org_b)
		cls.staff_b = make_user(f"st-b-{s}@pathways.test", ["Provider Staff"], cls.org_b)
		cls.host_staff = make_user(f"host-{s}@pathways.test", ["Provider Staff"], cls.host)
		cls.citizen = make_citizen(cls.org, first_name="Segreta", last_name=f"Persona{s}")
		cls.household = make_household(cls.org, [cls.citizen]).name
		frappe.set_user(cls.users["case_manager"])
		cls.profile = make_employment_profile(cls.citizen.name, skills=f"Saldatura{s}").name
		cls.measure = make_work_measure(cls.citizen.name, cls.host).name
		cls.housing = make_housing_situation(
			cls.household,
			eviction_status="Hearing scheduled",
			eviction_notice_date=add_days(today(), -20),
			eviction_hearing_date=add_days(today(), 10),
		).name
		cls.erp = (
			frappe.get_doc(
				{
					"doctype": "Social Housing Application",
					"household": cls.household,
					"application_date": today(),
				}
			)
			.insert()
			.name
		)
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.records = {
			"Employment Profile": cls.profile,
			"Work Measure": cls.measure,
			"Housing Situation": cls.housing,
			"Social Housing Application": cls.erp,
		}

	def test_another_organisation_reads_nothing(self):
		for user in (self.cm_b, self.staff_b):
			c = Client(user)
			for doctype, name in self.records.items():
				self.assertEqual(
					listed(c, doctype, fields=["name"], filters=[["name", "=", name]]), [], doctype
				)
				with self.assertRaises(RestError) as e:
					c.get_doc(doctype, name)
				self.assertIn(e.exception.status_code, REFUSED)
			for child, parent in (
				("Work Measure Attendance", "Work Measure"),
				("Employment Status Period", "Employment Profile"),
				("Housing Situation Period", "Housing Situation"),
			):
				rows = listed(c, child, fields=["parent"], parent=parent)
				self.assertFalse([r for r in rows if r["parent"] in self.records.values()], child)
			with self.assertRaises(RestError):
				c.get("tolink.api.desk.plan_pathways", plan="PLAN-0000-00000")

	def test_another_organisation_writes_nothing(self):
		c = Client(self.cm_b)
		for doctype, name in self.records.items():
			with self.assertRaises(RestError) as e:
				c.update(doctype, name, {"provider": self.org_b})
			self.assertIn(e.exception.status_code, REFUSED)
		# records of B about A's people are refused as if they did not exist
		attempts = (
			{
				"doctype": "Employment Profile",
				"citizen": self.citizen.name,
				"labour_status": "Unemployed",
				"status_since": today(),
			},
			{
				"doctype": "Work Measure",
				"citizen": self.citizen.name,
				"measure_type": "Work grant",
				"host_organisation": self.org_b,
				"start_date": today(),
				"end_date": today(),
			},
			{
				"doctype": "Housing Situation",
				"household": self.household,
				"tenure": "Rented",
				"tenure_since": today(),
			},
			{
				"doctype": "Social Housing Application",
				"household": self.household,
				"application_date": today(),
			},
		)
		for doc in attempts:
			with self.assertRaises(RestError) as e:
				c.insert(doc)
			self.assertIn(e.exception.status_code, REFUSED, doc["doctype"])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Work Measure", self.measure, "provider"), self.org)
		self.assertFalse(frappe.db.exists("Employment Profile", {"provider": self.org_b}))

	def test_the_host_reads_the_measure_and_records_attendance_only(self):
		c = Client(self.host_staff)
		self.assertEqual([r["name"] for r in c.get_list("Work Measure", fields=["name"])], [self.measure])
		doc = c.get_doc("Work Measure", self.measure)
		doc["attendance"] = [{"month": today(), "hours_planned": 80, "hours_attended": 64}]
		c.update("Work Measure", self.measure, {"attendance": doc["attendance"]})
		frappe.db.rollback()
		self.assertEqual(
			frappe.get_all(
				"Work Measure Attendance", filters={"parent": self.measure}, pluck="hours_attended"
			),
			[64],
		)
		for values in (
			{"monthly_allowance": 9999},
			{"status": "Dropped out", "outcome_date": today(), "dropout_reason": "x"},
		):
			with self.assertRaises(RestError) as e:
				c.update("Work Measure", self.measure, values)
			self.assertIn(e.exception.status_code, REFUSED)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Work Measure", self.measure, "status"), "In progress")
		# the host reads neither the person nor the rest of the case
		for doctype, name in (("Citizen", self.citizen.name), ("Employment Profile", self.profile)):
			with self.assertRaises(RestError):
				c.get_doc(doctype, name)

	def test_facts_the_app_keeps_are_not_set_by_a_request(self):
		c = self.client("case_manager")
		for doctype, name, values in (
			("Housing Situation", self.housing, {"eviction_pending": 0}),
			("Housing Situation", self.housing, {"next_eviction_date": add_days(today(), 300)}),
			("Household", self.household, {"eviction_pending": 0}),
			("Citizen", self.citizen.name, {"labour_status": "Employed"}),
		):
			with self.assertRaises(RestError, msg=f"{doctype} {values}") as e:
				c.update(doctype, name, values)
			self.assertIn(e.exception.status_code, (400, 403, 417))
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 1)
		self.assertEqual(frappe.db.get_value("Citizen", self.citizen.name, "labour_status"), "Unemployed")

	def test_bad_dates_are_refused_in_italian(self):
		c = self.client("case_manager")
		r = c.request(
			"PUT",
			f"/api/resource/Housing Situation/{self.housing}",
			json={
				"eviction_execution_date": add_days(today(), -60),
				"eviction_status": "Execution scheduled",
			},
			headers={"Accept-Language": "it"},
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("precedente alla data della notifica", r.text)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Housing Situation", self.housing, "eviction_status"), "Hearing scheduled"
		)


def listed(c: Client, doctype: str, **kw) -> list:
	"""A list, or nothing when the user's roles may not list the doctype at all."""
	try:
		return c.get_list(doctype, **kw)
	except RestError as e:
		if e.status_code not in REFUSED:
			raise
		return []
