"""A helpline that follows up, over REST: urgent calls are taken in charge by their own organisation,
anonymous callers' sessions stay with their psychologists, and the fields the server owns are
refused to clients."""

import json

import frappe
from frappe.utils import add_to_date, now_datetime, today

from tolink.devtools.factories import make_citizen, make_consent, make_provider
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase

TAKE = "tolink.api.desk.take_urgent_call"
LINK = "tolink.api.desk.link_sessions_to_citizen"


class TestHelplineFollowUpOverREST(LiveServerTestCase):
	roles = {
		"cm": ["Case Manager"],
		"op": ["Reception Operator"],
		"psy": ["Psychologist"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.other_org = make_provider(f"Altra helpline {s}")
		cls.other_cm = make_user(f"cm-b-{s}@fu-rest.test", ["Case Manager"], cls.other_org)
		cls.other_op = make_user(f"op-b-{s}@fu-rest.test", ["Reception Operator"], cls.other_org)
		cls.other_psy = make_user(f"psy-b-{s}@fu-rest.test", ["Psychologist"], cls.other_org)
		cls.monitor = make_user(f"mon-{s}@fu-rest.test", ["Monitoring Officer"])
		cls.citizen = make_citizen(cls.org)
		cls.other_citizen = make_citizen(cls.other_org)
		make_consent(cls.citizen.name, cls.org, purpose="Psychological support")
		make_consent(cls.other_citizen.name, cls.other_org, purpose="Psychological support")
		frappe.db.commit()
		cls.urgent = cls.client("op").insert(
			{
				"doctype": "Helpline Call",
				"caller_type": "Anonymous",
				"reason": "Health",
				"triage": "Emergency",
			}
		)
		cls.session = cls.client("psy").insert({"doctype": "Support Session", "notes": "anonimo"})
		cls.code = cls.session["caller_code"]

	def test_an_urgent_call_is_taken_by_its_own_organisation_only(self):
		call = self.client("op").insert(
			{"doctype": "Helpline Call", "caller_type": "Anonymous", "reason": "Food", "triage": "Emergency"}
		)
		for user in (self.other_cm, self.other_op):
			with self.assertRaises(RestError, msg=user):
				Client(user).post(TAKE, call=call["name"])
		self.assertFalse(frappe.db.get_value("Helpline Call", call["name"], "taken_by"))
		answer = self.client("cm").post(TAKE, call=call["name"])
		self.assertEqual(answer["taken_by"], self.users["cm"])
		with self.assertRaises(RestError):
			self.client("op").post(TAKE, call=call["name"])

	def test_a_psychologist_cannot_take_urgent_calls(self):
		with self.assertRaises(RestError) as refused:
			self.client("psy").post(TAKE, call=self.urgent["name"])
		self.assertEqual(refused.exception.status_code, 403)

	def test_the_urgencies_count_is_the_organisations(self):
		urgent = [
			["triage", "=", "Emergency"],
			["urgent_notified_on", "is", "set"],
			["taken_by", "is", "not set"],
		]
		self.assertGreaterEqual(self.client("cm").count("Helpline Call", urgent), 1)
		names = [r["name"] for r in Client(self.other_cm).get_list("Helpline Call", filters=urgent)]
		self.assertNotIn(self.urgent["name"], names)
		callbacks = [["callback_due", "is", "set"], ["callback_done_on", "is", "not set"]]
		self.assertIsInstance(self.client("op").count("Helpline Call", callbacks), int)

	def test_another_organisations_psychologist_cannot_link_the_sessions(self):
		with self.assertRaises(RestError):
			Client(self.other_psy).post(LINK, caller_code=self.code, citizen=self.other_citizen.name)
		with self.assertRaises(RestError):
			Client(self.other_psy).post(LINK, caller_code=self.code, citizen=self.citizen.name)
		with self.assertRaises(RestError) as refused:
			self.client("cm").post(LINK, caller_code=self.code, citizen=self.citizen.name)
		self.assertEqual(refused.exception.status_code, 403)
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Support Session", self.session["name"], "citizen"))

	def test_the_psychologist_links_the_sessions(self):
		session = self.client("psy").insert({"doctype": "Support Session", "notes": "anonimo"})
		answer = self.client("psy").post(LINK, caller_code=session["caller_code"], citizen=self.citizen.name)
		self.assertEqual(answer["linked"], [session["name"]])

	def test_another_psychologist_cannot_find_a_session_by_its_code(self):
		other = Client(self.other_psy)
		self.assertEqual(other.get_list("Support Session", filters=[["caller_code", "=", self.code]]), [])
		self.assertEqual(other.count("Support Session", [["caller_code", "=", self.code]]), 0)
		self.assertNotIn(self.session["name"], other.search_link("Support Session", self.code))
		with self.assertRaises(RestError):
			other.get_doc("Support Session", self.session["name"])
		with self.assertRaises(RestError):
			other.insert({"doctype": "Support Session", "previous_session": self.session["name"]})
		# the own organisation's psychologist finds it
		self.assertIn(self.session["name"], self.client("psy").search_link("Support Session", self.code))

	def test_server_owned_fields_are_refused(self):
		op = self.client("op")
		call = op.insert(
			{
				"doctype": "Helpline Call",
				"caller_type": "Anonymous",
				"reason": "Food",
				"outcome": "Callback scheduled",
				"callback_due": str(add_to_date(now_datetime(), hours=2)),
			}
		)
		for field, value in (
			("callback_done_on", str(now_datetime())),
			("is_overdue", 1),
			("escalated_on", str(now_datetime())),
			("taken_by", self.users["op"]),
			("taken_on", str(now_datetime())),
			("urgent_notified_on", str(now_datetime())),
		):
			with self.assertRaises(RestError, msg=field):
				op.update("Helpline Call", call["name"], {field: value})
		with self.assertRaises(RestError):
			self.client("cm").update("Helpline Call", self.urgent["name"], {"taken_by": self.users["cm"]})
		psy = self.client("psy")
		with self.assertRaises(RestError):
			psy.update("Support Session", self.session["name"], {"caller_code": "PS-AAAAAA"})
		with self.assertRaises(RestError):
			psy.insert({"doctype": "Support Session", "caller_code": "PS-AAAAAA"})
		schedule = op.insert(
			{
				"doctype": "Check-in Schedule",
				"citizen": self.citizen.name,
				"frequency": "Weekly",
				"next_due": today(),
			}
		)
		with self.assertRaises(RestError):
			op.update("Check-in Schedule", schedule["name"], {"status": "Scheduled"})
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Helpline Call", call["name"], "callback_done_on"))
		self.assertEqual(frappe.db.get_value("Check-in Schedule", schedule["name"], "status"), "Due")

	def test_check_in_programmes_stay_with_their_organisation(self):
		with self.assertRaises(RestError):
			Client(self.other_op).insert(
				{
					"doctype": "Check-in Schedule",
					"citizen": self.citizen.name,
					"frequency": "Weekly",
					"next_due": today(),
				}
			)
		schedule = self.client("op").insert(
			{
				"doctype": "Check-in Schedule",
				"citizen": self.citizen.name,
				"frequency": "Weekly",
				"next_due": today(),
			}
		)
		with self.assertRaises(RestError):
			Client(self.other_op).insert(
				{
					"doctype": "Helpline Call",
					"check_in_schedule": schedule["name"],
					"caller_type": "Known citizen",
					"citizen": self.other_citizen.name,
					"reason": "Loneliness",
				}
			)

	def test_statistics_count_the_callers_calls_only(self):
		self.client("op").insert(
			{"doctype": "Helpline Call", "caller_type": "Anonymous", "reason": "Bills", "duration_minutes": 7}
		)
		Client(self.other_op).insert(
			{"doctype": "Helpline Call", "caller_type": "Anonymous", "reason": "Bills", "duration_minutes": 9}
		)

		def bills(client, **filters):
			answer = client.get(
				"frappe.desk.query_report.run",
				report_name="Helpline Statistics",
				filters=json.dumps(
					{
						"from_date": today(),
						"to_date": today(),
						"group_by": "reason",
						"period": "Monthly",
						**filters,
					}
				),
			)
			self.assertNotIn(self.citizen.full_name, json.dumps(answer))
			return [
				(r["calls"], r["average_minutes"])
				for r in answer["result"]
				if r["value"] in ("Bills", "Bollette")
			]

		self.assertEqual(bills(self.client("cm")), [(1, 7.0)])
		# another organisation asked for: the caller's own calls all the same
		self.assertEqual(bills(self.client("cm"), provider=self.other_org), [(1, 7.0)])
		self.assertEqual(bills(Client(self.monitor), provider=self.org), [(1, 7.0)])
		with self.assertRaises(RestError):
			Client(self.monitor).get_list("Helpline Call", fields=["name", "citizen_name"])
