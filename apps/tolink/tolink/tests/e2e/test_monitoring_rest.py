"""Funding programmes and participations over HTTP, as an attacker: another organisation reads and
changes nothing of A's participations and makes none about A's people; the facts the app computes
(age at entry, long-term unemployment, status, follow-up due) are never set by a request; a
programme is the Network Administrators' to write; bad dates are refused in Italian and write
nothing."""

import frappe
from frappe.utils import add_days, add_months, today

from tolink.devtools.factories import make_citizen, make_provider
from tolink.devtools.monitoring import make_funding_programme, make_participation
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase

REFUSED = (403, 404, 417)


class TestMonitoringOverREST(LiveServerTestCase):
	roles = {"case_manager": ["Case Manager"], "admin": ["Network Administrator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.org_b = make_provider(f"Altro {s}")
		cls.cm_b = make_user(f"cm-b-{s}@monitoring.test", ["Case Manager", "Provider Staff"], cls.org_b)
		cls.citizen = make_citizen(cls.org, first_name="Segreta", last_name=f"Persona{s}")
		cls.citizen_b = make_citizen(cls.org_b)
		cls.programme = make_funding_programme(programme_code=f"FSE-REST-{s}").name
		cls.closed = make_funding_programme(programme_code=f"FSE-CHIUSO-{s}", is_active=0).name
		frappe.set_user(cls.users["case_manager"])
		cls.participation = make_participation(
			cls.citizen.name,
			cls.programme,
			labour_status="Unemployed",
			unemployed_since=add_months(today(), -5),
			disability="Yes",
			entry_date=add_days(today(), -10),
		).name
		frappe.set_user("Administrator")
		frappe.db.commit()

	def stored(self, *fields):
		frappe.db.rollback()
		return frappe.db.get_value("Participation", self.participation, list(fields), as_dict=True)

	def test_another_organisation_reads_nothing(self):
		c = Client(self.cm_b)
		self.assertEqual(listed(c, "Participation", fields=["name", "citizen_name", "disability"]), [])
		self.assertEqual(
			listed(c, "Participation", fields=["name"], filters=[["disability", "=", "Yes"]]), []
		)
		with self.assertRaises(RestError) as e:
			c.get_doc("Participation", self.participation)
		self.assertIn(e.exception.status_code, REFUSED)
		# the organisation itself reads it
		own = self.client("case_manager").get_doc("Participation", self.participation)
		self.assertEqual(own["disability"], "Yes")

	def test_another_organisation_writes_nothing(self):
		c = Client(self.cm_b)
		for values in (
			{"provider": self.org_b},
			{"disability": "No"},
			{"exit_date": today(), "no_result": 1},
		):
			with self.assertRaises(RestError, msg=str(values)) as e:
				c.update("Participation", self.participation, values)
			self.assertIn(e.exception.status_code, (*REFUSED, 400))
		with self.assertRaises(RestError) as e:
			c.delete("Participation", self.participation)
		self.assertIn(e.exception.status_code, REFUSED)
		stored = self.stored("provider", "disability", "exit_date")
		self.assertEqual((stored.provider, stored.disability, stored.exit_date), (self.org, "Yes", None))

	def test_foreign_citizen_case_manager_and_programme_are_refused(self):
		c = Client(self.cm_b)
		base = {
			"doctype": "Participation",
			"funding_programme": self.programme,
			"entry_date": today(),
			"labour_status": "Employed",
		}
		attempts = (
			# A's person: answered as not found
			{**base, "citizen": self.citizen.name},
			# B's own person, but A's case manager would be told of them
			{**base, "citizen": self.citizen_b.name, "case_manager": self.users["case_manager"]},
			# a programme that does not exist, or takes no one
			{**base, "citizen": self.citizen_b.name, "funding_programme": f"NO-{self.s}"},
			{**base, "citizen": self.citizen_b.name, "funding_programme": self.closed},
			# for another organisation
			{**base, "citizen": self.citizen_b.name, "provider": self.org},
		)
		for doc in attempts:
			with self.assertRaises(RestError, msg=str(doc)) as e:
				c.insert(doc)
			self.assertIn(e.exception.status_code, (*REFUSED, 400), str(doc))
			self.assertNotIn(f"Persona{self.s}", e.exception.response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Participation", {"provider": self.org_b}))
		self.assertEqual(frappe.db.count("Participation", {"citizen": self.citizen.name}), 1)

	def test_computed_facts_are_not_set_by_a_request(self):
		c = self.client("case_manager")
		for values in (
			{"age_at_entry": 99},
			{"long_term_unemployed": 1},
			{"months_unemployed": 40},
			{"status": "Ended"},
			{"follow_up_due": today()},
			{"follow_up_reminded_on": today()},
			{"open_key": "x"},
			{"measure_outcomes": "Assunto"},
		):
			with self.assertRaises(RestError, msg=str(values)) as e:
				c.update("Participation", self.participation, values)
			self.assertIn(e.exception.status_code, (400, 403, 417), str(values))
		stored = self.stored("long_term_unemployed", "status", "months_unemployed", "measure_outcomes")
		self.assertEqual(
			(stored.long_term_unemployed, stored.status, stored.months_unemployed), (0, "Open", 4)
		)
		self.assertFalse(stored.measure_outcomes)
		# nor on insert
		frappe.set_user("Administrator")
		other = make_citizen(self.org)
		frappe.db.commit()
		with self.assertRaises(RestError) as e:
			c.insert(
				{
					"doctype": "Participation",
					"citizen": other.name,
					"funding_programme": self.programme,
					"entry_date": today(),
					"labour_status": "Employed",
					"long_term_unemployed": 1,
				}
			)
		self.assertIn(e.exception.status_code, (400, 403, 417))
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Participation", {"citizen": other.name}))

	def test_bad_dates_are_refused_in_italian_and_write_nothing(self):
		c = self.client("case_manager")
		r = c.request(
			"PUT",
			f"/api/resource/Participation/{self.participation}",
			json={"exit_date": add_days(today(), -30), "result_employed": 1},
			headers={"Accept-Language": "it"},
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("precedente alla data di ingresso", r.text)
		stored = self.stored("exit_date", "result_employed", "status")
		self.assertEqual((stored.exit_date, stored.result_employed, stored.status), (None, 0, "Open"))

	def test_a_programme_is_the_network_administrators(self):
		c = self.client("case_manager")
		self.assertEqual(c.get_doc("Funding Programme", self.programme)["fund"], "ESF+")
		with self.assertRaises(RestError) as e:
			c.update("Funding Programme", self.programme, {"is_active": 0})
		self.assertIn(e.exception.status_code, REFUSED)
		with self.assertRaises(RestError) as e:
			c.insert(
				{
					"doctype": "Funding Programme",
					"programme_code": f"X-{self.s}",
					"programme_name": "x",
					"fund": "Other",
					"from_date": today(),
					"to_date": today(),
					"managing_body": "x",
				}
			)
		self.assertIn(e.exception.status_code, REFUSED)
		admin = self.client("admin")
		admin.update("Funding Programme", self.closed, {"description": "Chiuso"})
		r = admin.request(
			"PUT",
			f"/api/resource/Funding Programme/{self.closed}",
			json={"to_date": add_days(today(), -3000)},
			headers={"Accept-Language": "it"},
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("prima di iniziare", r.text)
		frappe.db.rollback()
		self.assertTrue(frappe.db.get_value("Funding Programme", self.programme, "is_active"))
		self.assertFalse(frappe.db.exists("Funding Programme", f"X-{self.s}"))


def listed(c: Client, doctype: str, **kw) -> list:
	"""A list, or nothing when the user's roles may not list the doctype at all."""
	try:
		return c.get_list(doctype, **kw)
	except RestError as e:
		if e.status_code not in REFUSED:
			raise
		return []
