"""A helpline that follows up: callbacks, urgent calls, check-in programmes, anonymous callers and
the call statistics."""

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, getdate, now_datetime, today

from tolink.devtools.factories import make_citizen, make_consent, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.helpline import follow_up
from tolink.helpline.doctype.check_in_schedule.check_in_schedule import (
	next_due_after,
	refresh_statuses,
	status_for,
)
from tolink.helpline.report.helpline_statistics.helpline_statistics import call_counts, execute
from tolink.patches.v0_1 import quiet_callbacks_due_before_follow_up
from tolink.tests.case import CommittingTestCase


def notifications(user: str, name: str) -> list[str]:
	return frappe.get_all(
		"Notification Log", filters={"for_user": user, "document_name": name}, pluck="subject"
	)


class FollowUpCase(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = cls.s = uid()
		cls.org = make_provider(f"Richiamate {s}")
		cls.other_org = make_provider(f"Altra {s}")
		cls.operator = make_user(f"op-{s}@fu.test", ["Reception Operator"], cls.org)
		cls.cm = make_user(f"cm-{s}@fu.test", ["Case Manager"], cls.org)
		cls.cm_on_duty = make_user(f"duty-{s}@fu.test", ["Case Manager"], cls.org)
		cls.other_cm = make_user(f"cm-b-{s}@fu.test", ["Case Manager"], cls.other_org)
		cls.psy = make_user(f"psy-{s}@fu.test", ["Psychologist"], cls.org)
		cls.other_psy = make_user(f"psy-b-{s}@fu.test", ["Psychologist"], cls.other_org)
		cls.other_operator = make_user(f"op-b-{s}@fu.test", ["Reception Operator"], cls.other_org)
		cls.monitor = make_user(f"mon-{s}@fu.test", ["Monitoring Officer"])
		cls.nobody = make_user(f"nobody-{s}@fu.test", ["Case Manager"])
		cls.citizen = make_citizen(cls.org)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, user=None, **kw):
		frappe.set_user(user or self.operator)
		values = {
			"doctype": "Helpline Call",
			"reason": "Food",
			"triage": "Medium",
			"caller_type": "Anonymous",
		}
		doc = frappe.get_doc({**values, **kw}).insert()
		frappe.set_user("Administrator")
		return doc


class TestCallbacks(FollowUpCase):
	def scheduled(self, hours_ago: float):
		call_time = add_to_date(now_datetime(), hours=-(hours_ago + 1))
		return self.call(
			call_datetime=call_time,
			outcome="Callback scheduled",
			callback_due=add_to_date(now_datetime(), hours=-hours_ago),
		)

	def test_callbacks_due_before_the_upgrade_are_not_announced_at_once(self):
		due, late = self.scheduled(0.1), self.scheduled(48)
		quiet_callbacks_due_before_follow_up.execute()
		self.assertNotIn(due.name, follow_up.remind_due_callbacks())
		self.assertFalse({due.name, late.name} & set(follow_up.escalate_overdue_callbacks()))
		self.assertEqual(frappe.db.get_value("Helpline Call", late.name, "is_overdue"), 1)
		self.assertEqual(frappe.db.get_value("Helpline Call", due.name, "is_overdue"), 0)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"document_name": ("in", [due.name, late.name])})
		)

	def test_the_operator_is_reminded_once(self):
		call = self.scheduled(0.1)
		later = self.call(outcome="Callback scheduled", callback_due=add_to_date(now_datetime(), hours=3))
		self.assertIn(call.name, follow_up.remind_due_callbacks())
		self.assertNotIn(later.name, follow_up.remind_due_callbacks())
		self.assertNotIn(call.name, follow_up.remind_due_callbacks())
		subjects = notifications(self.operator, call.name)
		self.assertEqual(len(subjects), 1)
		self.assertIn(call.name, subjects[0])
		self.assertEqual(notifications(self.operator, later.name), [])

	def test_a_follow_up_call_makes_the_callback(self):
		call = self.scheduled(0.1)
		self.call(follow_up_of=call.name, direction="Outbound")
		call.reload()
		self.assertTrue(call.callback_done_on)
		self.assertNotIn(call.name, follow_up.remind_due_callbacks())
		self.assertNotIn(call.name, follow_up.escalate_overdue_callbacks())

	def test_another_organisation_cannot_follow_up_a_call(self):
		call = self.scheduled(0.1)
		with self.assertRaises(frappe.ValidationError):
			self.call(user=self.other_operator, follow_up_of=call.name)
		call.reload()
		self.assertFalse(call.callback_done_on)

	def test_an_overdue_callback_is_escalated_once_to_the_case_managers(self):
		frappe.db.set_single_value("To Link Settings", "callback_overdue_hours", 24)
		overdue = self.scheduled(25)
		not_yet = self.scheduled(23)
		escalated = follow_up.escalate_overdue_callbacks()
		self.assertIn(overdue.name, escalated)
		self.assertNotIn(not_yet.name, escalated)
		self.assertNotIn(overdue.name, follow_up.escalate_overdue_callbacks())
		overdue.reload()
		self.assertTrue(overdue.is_overdue)
		self.assertTrue(overdue.escalated_on)
		self.assertEqual(len(notifications(self.cm, overdue.name)), 1)
		self.assertEqual(len(notifications(self.operator, overdue.name)), 1)
		self.assertEqual(notifications(self.other_cm, overdue.name), [])

	def test_the_hours_are_a_setting(self):
		frappe.db.set_single_value("To Link Settings", "callback_overdue_hours", 2)
		call = self.scheduled(3)
		self.assertIn(call.name, follow_up.escalate_overdue_callbacks())


class TestUrgentCalls(FollowUpCase):
	def test_an_emergency_goes_to_the_on_duty_case_manager_only(self):
		frappe.get_doc(
			{
				"doctype": "Duty Roster",
				"user": self.cm_on_duty,
				"provider": self.org,
				"from_datetime": add_to_date(now_datetime(), hours=-1),
				"to_datetime": add_to_date(now_datetime(), hours=8),
			}
		).insert()
		call = self.call(triage="Emergency", caller_type="Known citizen", citizen=self.citizen.name)
		subjects = notifications(self.cm_on_duty, call.name)
		self.assertEqual(len(subjects), 1)
		self.assertNotIn(self.citizen.full_name, subjects[0])
		self.assertEqual(notifications(self.cm, call.name), [])
		self.assertEqual(notifications(self.other_cm, call.name), [])
		call.reload()
		call.notes = "richiamato"
		call.save()
		self.assertEqual(len(notifications(self.cm_on_duty, call.name)), 1, "told once")

	def test_with_nobody_on_duty_every_case_manager_is_told(self):
		call = self.call(triage="Emergency")
		self.assertEqual(len(notifications(self.cm, call.name)), 1)
		self.assertEqual(len(notifications(self.cm_on_duty, call.name)), 1)
		self.assertEqual(notifications(self.other_cm, call.name), [])

	def test_a_call_raised_to_emergency_is_told(self):
		call = self.call(triage="High")
		self.assertEqual(notifications(self.cm, call.name), [])
		frappe.set_user(self.operator)
		call.triage = "Emergency"
		call.save()
		frappe.set_user("Administrator")
		self.assertEqual(len(notifications(self.cm, call.name)), 1)

	def test_taken_in_charge_once_by_the_same_organisation(self):
		call = self.call(triage="Emergency")
		frappe.set_user(self.other_cm)
		with self.assertRaises(frappe.DoesNotExistError):
			follow_up.take_urgent_call(call.name)
		frappe.set_user(self.cm)
		follow_up.take_urgent_call(call.name)
		with self.assertRaises(follow_up.UrgentCallError):
			follow_up.take_urgent_call(call.name)
		frappe.set_user("Administrator")
		call.reload()
		self.assertEqual(call.taken_by, self.cm)
		self.assertTrue(call.taken_on)

	def test_only_emergencies_are_taken(self):
		call = self.call(triage="High")
		frappe.set_user(self.cm)
		with self.assertRaises(follow_up.UrgentCallError):
			follow_up.take_urgent_call(call.name)

	def test_the_roster_names_the_organisations_case_managers(self):
		for user in (self.other_cm, self.operator):
			with self.assertRaises(frappe.ValidationError):
				frappe.get_doc(
					{
						"doctype": "Duty Roster",
						"user": user,
						"provider": self.org,
						"from_datetime": now_datetime(),
						"to_datetime": add_to_date(now_datetime(), hours=8),
					}
				).insert()

	def test_an_imminent_risk_session_is_told_at_once(self):
		frappe.set_user(self.psy)
		session = frappe.get_doc(
			{
				"doctype": "Support Session",
				"citizen": self.citizen.name,
				"risk_level": "Imminent",
				"notes": "x",
			}
		).insert()
		frappe.set_user("Administrator")
		self.assertTrue(session.urgent_notified_on)
		# no call: the message names the psychologist to contact, not the session they alone read
		self.assertEqual(len(notifications(self.cm, self.psy)), 1)
		self.assertEqual(notifications(self.other_cm, self.psy), [])


class TestCheckIns(FollowUpCase):
	def schedule(self, next_due, **kw):
		frappe.set_user(self.operator)
		doc = frappe.get_doc(
			{
				"doctype": "Check-in Schedule",
				"citizen": self.citizen.name,
				"frequency": "Weekly",
				"next_due": next_due,
				**kw,
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def test_next_due(self):
		# Wednesday 2 December 2026
		self.assertEqual(next_due_after("2026-12-02 10:00", "Weekly"), getdate("2026-12-09"))
		self.assertEqual(next_due_after("2026-12-02", "Every 2 weeks"), getdate("2026-12-16"))
		self.assertEqual(next_due_after("2026-12-02", "Monthly"), getdate("2027-01-02"))
		self.assertEqual(next_due_after("2026-12-02", "Weekly", "Friday"), getdate("2026-12-11"))
		self.assertEqual(next_due_after("2026-12-02", "Monthly", "Monday"), getdate("2027-01-04"))

	def test_status(self):
		on = getdate("2026-12-10")
		self.assertEqual(status_for("2026-12-11", 1, on), "Scheduled")
		self.assertEqual(status_for("2026-12-10", 1, on), "Due")
		self.assertEqual(status_for("2026-12-08", 1, on), "Due")
		self.assertEqual(status_for("2026-12-07", 1, on), "Overdue")
		self.assertEqual(status_for("2026-12-07", 0, on), "Inactive")

	def test_the_outbound_call_advances_the_programme(self):
		schedule = self.schedule(today())
		self.assertEqual(schedule.status, "Due")
		call = self.call(check_in_schedule=schedule.name, reason="Loneliness", triage="Low")
		self.assertEqual(call.direction, "Outbound")
		self.assertEqual(call.citizen, self.citizen.name)
		schedule.reload()
		self.assertEqual(getdate(schedule.next_due), getdate(add_days(today(), 7)))
		self.assertEqual(schedule.status, "Scheduled")
		self.assertEqual(schedule.last_call, call.name)

	def test_missed_check_ins_are_overdue(self):
		schedule = self.schedule(add_days(today(), 1))
		frappe.db.set_value("Check-in Schedule", schedule.name, "next_due", add_days(today(), -3))
		due = self.schedule(add_days(today(), 1))
		frappe.db.set_value("Check-in Schedule", due.name, "next_due", today())
		refresh_statuses()
		self.assertEqual(frappe.db.get_value("Check-in Schedule", schedule.name, "status"), "Overdue")
		self.assertEqual(frappe.db.get_value("Check-in Schedule", due.name, "status"), "Due")

	def test_a_check_in_call_is_to_the_programmes_citizen(self):
		schedule = self.schedule(today())
		someone_else = make_citizen(self.org)
		with self.assertRaises(frappe.ValidationError):
			self.call(check_in_schedule=schedule.name, caller_type="Known citizen", citizen=someone_else.name)


class TestAnonymousSessions(FollowUpCase):
	def session(self, user=None, **kw):
		frappe.set_user(user or self.psy)
		doc = frappe.get_doc({"doctype": "Support Session", "notes": "clinico", **kw}).insert()
		frappe.set_user("Administrator")
		return doc

	def test_an_anonymous_session_gets_a_code(self):
		session = self.session()
		self.assertRegex(session.caller_code, r"^PS-[A-Z2-9]{6}$")
		self.assertFalse(session.citizen)
		self.assertNotEqual(self.session().caller_code, session.caller_code)

	def test_the_code_is_the_servers(self):
		session = self.session(caller_code="PS-CHOSEN")
		self.assertNotEqual(session.caller_code, "PS-CHOSEN")
		frappe.set_user(self.psy)
		session.caller_code = "PS-OTHER1"
		session.save()
		frappe.set_user("Administrator")
		session.reload()
		self.assertNotEqual(session.caller_code, "PS-OTHER1")

	def test_a_returning_caller_keeps_the_code(self):
		first = self.session()
		second = self.session(previous_session=first.name)
		self.assertEqual(second.caller_code, first.caller_code)
		with self.assertRaises(frappe.ValidationError):
			self.session(user=self.other_psy, previous_session=first.name)

	def test_linking_needs_an_active_consent(self):
		first = self.session()
		second = self.session(previous_session=first.name)
		frappe.set_user(self.psy)
		with self.assertRaises(frappe.ValidationError):
			follow_up.link_sessions_to_citizen(first.caller_code, self.citizen.name)
		frappe.set_user("Administrator")
		make_consent(self.citizen.name, self.org, purpose="Psychological support")
		frappe.set_user(self.psy)
		result = follow_up.link_sessions_to_citizen(first.caller_code.lower(), self.citizen.name)
		frappe.set_user("Administrator")
		self.assertEqual(sorted(result["linked"]), sorted([first.name, second.name]))
		self.assertEqual(frappe.db.get_value("Support Session", second.name, "citizen"), self.citizen.name)

	def test_another_organisations_psychologist_links_nothing(self):
		first = self.session()
		other_citizen = make_citizen(self.other_org)
		make_consent(other_citizen.name, self.other_org, purpose="Psychological support")
		frappe.set_user(self.other_psy)
		with self.assertRaises(frappe.ValidationError):
			follow_up.link_sessions_to_citizen(first.caller_code, other_citizen.name)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Support Session", first.name, "citizen"))


class TestStatistics(FollowUpCase):
	def test_counts_on_a_fixture(self):
		# by hand: Food 3 calls (4, 6, 8 minutes: average 6), Housing 1 call (10 minutes)
		for reason, minutes in (("Food", 4), ("Food", 6), ("Food", 8), ("Housing", 10)):
			self.call(reason=reason, duration_minutes=minutes)
		self.call(user=self.other_operator, reason="Food", duration_minutes=100)
		frappe.set_user(self.cm)
		rows = call_counts(today(), today(), "reason", "Whole period")
		by_value = {r.value: (r.calls, r.average_minutes) for r in rows}
		self.assertEqual(by_value, {_("Food"): (3, 6.0), _("Housing"): (1, 10.0)})
		columns, data, _message, chart = execute(
			{"from_date": today(), "to_date": today(), "group_by": "direction"}
		)
		self.assertEqual(sum(r.calls for r in data), 4)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 4)
		self.assertNotIn("citizen", str(columns))
		frappe.set_user("Administrator")

	def test_a_monitoring_officer_counts_the_network(self):
		self.call(reason="Food")
		frappe.set_user(self.monitor)
		rows = call_counts(today(), today(), "triage", "Monthly", provider=self.org)
		self.assertEqual(sum(r.calls for r in rows), 1)
		self.assertTrue(frappe.has_permission("Helpline Call", "report"))
		self.assertFalse(frappe.has_permission("Helpline Call", "read"))
		frappe.set_user("Administrator")

	def test_staff_without_organisation_count_nothing(self):
		frappe.set_user(self.nobody)
		with self.assertRaises(frappe.PermissionError):
			call_counts(today(), today(), "reason", "Monthly")
		frappe.set_user("Administrator")
