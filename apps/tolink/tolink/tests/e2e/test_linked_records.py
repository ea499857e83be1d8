"""What a legitimate record must not open onto, over HTTP.

Organisation A refers its citizen to B's service (with consent). B's staff see that referral:
not the citizen's record through the referral's links (fields of linked records in lists), not
A's rows of child tables (vulnerability flags, household members, intake needs), and B cannot make
records of its own that point at A's people to read them back (tolink.permissions.links)."""

import json

import frappe
from frappe.utils import today

from tolink.devtools.distribution import make_hub
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.case import CommittingTestCase


class TestLinkedRecords(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.secret = f"Riservato{s}"
		cls.org_a, cls.org_b = make_provider(f"Linked A {s}"), make_provider(f"Linked B {s}")
		cls.case_manager_a = make_user(f"cm-a-{s}@linked.test", ["Case Manager"], cls.org_a)
		cls.staff_b = make_user(f"staff-b-{s}@linked.test", ["Provider Staff"], cls.org_b)
		cls.reception_b = make_user(f"rec-b-{s}@linked.test", ["Reception Operator"], cls.org_b)
		cls.case_manager_b = make_user(f"cm-b-{s}@linked.test", ["Case Manager"], cls.org_b)
		cls.hub_manager_b = make_user(f"hub-b-{s}@linked.test", ["Hub Manager"], cls.org_b)
		cls.citizen = make_citizen(
			cls.org_a,
			last_name=cls.secret,
			notes=f"note {cls.secret}",
			vulnerability_flags=[{"flag": "Domestic violence"}],
		)
		cls.unreferred = make_citizen(cls.org_a, last_name=f"{cls.secret}bis")
		cls.household = make_household(cls.org_a, [cls.citizen], household_name=f"Nucleo {cls.secret}")
		make_consent(cls.citizen.name, cls.org_a, partner=cls.org_b)
		frappe.set_user(cls.case_manager_a)
		cls.intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": cls.citizen.name,
				"channel": "Front office",
				"information_given": f"colloquio {cls.secret}",
				"needs": [{"need_category": "Food parcels", "description": f"bisogno {cls.secret}"}],
			}
		).insert()
		cls.referral = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": cls.citizen.name,
				"intake": cls.intake.name,
				"service": make_service(cls.org_b).name,
				"note_for_provider": "Per il servizio",
			}
		).insert()
		frappe.set_user("Administrator")
		cls.service_b = make_service(cls.org_b)
		cls.hub_b = make_hub(cls.org_b, staff=[{"user": cls.hub_manager_b, "hub_role": "Hub Manager"}]).name
		frappe.db.commit()

	def test_the_referral_itself_is_seen(self):
		rows = Client(self.staff_b).get_list("Referral", fields=["name", "citizen_name"])
		self.assertIn(self.referral.name, [r["name"] for r in rows])

	def test_fields_of_linked_records_stay_empty(self):
		fields = [
			"name",
			"citizen.codice_fiscale",
			"citizen.notes as citizen_notes",
			"citizen.full_name as citizen_full_name",
			"intake.information_given",
			"citizen.household",
		]
		c = Client(self.staff_b)
		rows = c.get_list("Referral", fields=fields, filters={"name": self.referral.name})
		self.assertEqual([r["name"] for r in rows], [self.referral.name])
		text = json.dumps(rows)
		self.assertNotIn(self.secret, text)
		self.assertNotIn(self.citizen.codice_fiscale, text)
		view = c.post(
			"frappe.desk.reportview.get",
			doctype="Referral",
			fields=["`tabReferral`.`name`", "citizen.codice_fiscale", "intake.information_given"],
			filters=[["Referral", "name", "=", self.referral.name]],
		)
		self.assertNotIn(self.secret, json.dumps(view))
		self.assertNotIn(self.citizen.codice_fiscale, json.dumps(view))
		# the organisation holding the person reads the same fields: the test can fail
		own = Client(self.case_manager_a).get_list(
			"Referral", fields=fields, filters={"name": self.referral.name}
		)
		self.assertEqual(own[0]["codice_fiscale"], self.citizen.codice_fiscale)

	def test_child_rows_follow_their_parent(self):
		c = Client(self.reception_b)
		for child, parent in (
			("Citizen Vulnerability", "Citizen"),
			("Household Member", "Household"),
			("Intake Need", "Intake"),
		):
			rows = c.get_list(child, fields=["*"], parent=parent)
			text = json.dumps(rows)
			self.assertNotIn(self.citizen.name, text, child)
			self.assertNotIn(self.secret, text, child)
		own = Client(self.case_manager_a).get_list(
			"Citizen Vulnerability", fields=["parent", "flag"], parent="Citizen"
		)
		self.assertIn(self.citizen.name, [r["parent"] for r in own])

	def refused(self, user: str, doc: dict) -> None:
		before = frappe.db.count(doc["doctype"])
		with self.assertRaises(RestError) as ctx:
			Client(user).insert(doc)
		self.assertEqual(ctx.exception.status_code, 417, ctx.exception)
		text = ctx.exception.response.text
		self.assertNotIn(self.secret, text)
		self.assertNotIn(self.citizen.codice_fiscale, text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count(doc["doctype"]), before, f"{doc['doctype']} was written")

	def test_no_record_of_ours_points_at_their_people(self):
		self.refused(
			self.reception_b,
			{"doctype": "Intake", "citizen": self.unreferred.name, "channel": "Front office", "needs": []},
		)
		# a referral to B's own service would copy the person's contacts onto it
		self.refused(
			self.case_manager_b,
			{"doctype": "Referral", "citizen": self.unreferred.name, "service": self.service_b.name},
		)
		self.refused(
			self.case_manager_b,
			{
				"doctype": "Case Note",
				"citizen": self.unreferred.name,
				"visibility": "Organisation",
				"subject": "x",
				"note": "x",
			},
		)
		# working the case is no licence to record consents or register the person elsewhere
		self.refused(
			self.case_manager_b,
			{
				"doctype": "Consent",
				"citizen": self.citizen.name,
				"purpose": "Sharing with partner",
				"partner": self.org_b,
				"given_on": today(),
				"channel": "In person",
			},
		)
		self.refused(
			self.reception_b,
			{
				"doctype": "Household",
				"household_name": "Copia",
				"head_of_household": self.citizen.name,
				"members": [{"citizen": self.citizen.name, "relation": "Head of household"}],
			},
		)
		self.refused(
			self.hub_manager_b,
			{
				"doctype": "Distribution Round",
				"hub": self.hub_b,
				"from_date": today(),
				"to_date": today(),
				"households": [{"household": self.household.name}],
			},
		)
		# refused as a record that does not exist: no oracle either
		with self.assertRaises(RestError) as ctx:
			Client(self.reception_b).insert(
				{"doctype": "Intake", "citizen": "CIT-1999-99999", "channel": "Front office", "needs": []}
			)
		self.assertEqual(ctx.exception.status_code, 417)

	def test_the_organisation_working_the_case_writes_its_notes(self):
		note = Client(self.staff_b).insert(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Network",
				"subject": "Primo incontro",
				"note": "Presa in carico",
			}
		)
		self.assertEqual(note["provider"], self.org_b)
