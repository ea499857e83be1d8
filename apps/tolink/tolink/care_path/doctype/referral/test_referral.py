# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt


import frappe
from frappe.utils import add_days, now_datetime, today

from tolink.api.partner import respond_to_referral as respond
from tolink.care_path.doctype.referral.referral import (
	ConsentRequiredError,
	InvalidTransitionError,
	NoCapacityError,
	NotEligibleError,
	ReasonRequiredError,
)
from tolink.care_path.escalation import escalate_overdue_referrals
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class ReferralTestCase(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org_a = make_provider()
		self.org_b = make_provider(provider_type="Social Cooperative")
		self.org_c = make_provider()
		s = uid()
		self.case_manager = make_user(f"cm-{s}@ref.test", ["Case Manager"], self.org_a)
		self.staff_b = make_user(f"staffb-{s}@ref.test", ["Provider Staff"], self.org_b)
		self.staff_c = make_user(f"staffc-{s}@ref.test", ["Provider Staff"], self.org_c)
		self.coordinator_b = make_user(f"coordb-{s}@ref.test", ["Provider Staff"], self.org_b)
		frappe.db.set_value("Provider", self.org_b, "coordinator", self.coordinator_b)
		self.citizen = make_citizen(self.org_a)
		make_household(self.org_a, [self.citizen], isee=5000)
		self.service = make_service(self.org_b, max_isee=6000, capacity=1)
		make_consent(self.citizen.name, self.org_a, partner=self.org_b)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def send(self, service=None, **kw):
		frappe.set_user(self.case_manager)
		doc = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": kw.pop("citizen", self.citizen.name),
				"service": (service or self.service).name,
				"note_for_provider": "Needs help with food this week.",
				**kw,
			}
		).insert()
		return doc


class TestReferralCreation(ReferralTestCase):
	def test_sent_with_contacts_deadline_and_owner(self):
		ref = self.send()
		self.assertEqual(ref.status, "Sent")
		self.assertEqual(ref.provider, self.org_a)
		self.assertEqual(ref.target_provider, self.org_b)
		self.assertEqual(ref.citizen_name, self.citizen.full_name)
		self.assertEqual(str(ref.response_due), add_days(today(), 5))

	def test_requires_consent_to_share(self):
		other = make_citizen(self.org_a)
		make_household(self.org_a, [other], isee=1000)
		before = frappe.db.count("Referral")
		with self.assertRaises(ConsentRequiredError):
			self.send(citizen=other.name)
		self.assertEqual(frappe.db.count("Referral"), before)

	def test_withdrawn_consent_blocks_new_referrals(self):
		consent = frappe.get_last_doc("Consent", filters={"citizen": self.citizen.name})
		consent.withdraw("Changed her mind")
		with self.assertRaises(ConsentRequiredError):
			self.send()

	def test_eligibility_rules_apply_with_reasons(self):
		strict = make_service(self.org_b, max_isee=3000)
		with self.assertRaises(NotEligibleError) as ctx:
			self.send(service=strict)
		self.assertIn("ISEE", str(ctx.exception))
		ref = self.send(service=strict, eligibility_override=1, override_reason="Sudden job loss")
		self.assertIn("ISEE", ref.eligibility_notes)

	def test_suspended_service_receives_nothing(self):
		frappe.db.set_value("Service", self.service.name, "status", "Suspended")
		with self.assertRaises(frappe.ValidationError):
			self.send()


class TestReferralResponse(ReferralTestCase):
	def test_receiver_accepts_and_sender_is_notified(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		result = respond(ref.name, "accept")
		self.assertEqual(result["status"], "Accepted")
		frappe.set_user("Administrator")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.case_manager, "document_name": ref.name})
		)
		self.assertEqual(frappe.db.get_value("Service", self.service.name, "capacity_used"), 1)

	def test_new_referral_notifies_receiving_staff(self):
		ref = self.send()
		for user in (self.staff_b, self.coordinator_b):
			self.assertTrue(
				frappe.db.exists("Notification Log", {"for_user": user, "document_name": ref.name})
			)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": self.staff_c, "document_name": ref.name})
		)

	def test_decline_without_reason_fails_and_changes_nothing(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		with self.assertRaises(ReasonRequiredError):
			respond(ref.name, "decline")
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Referral", ref.name, ["status", "responded_on"]), ("Sent", None)
		)

	def test_decline_with_reason(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		self.assertEqual(respond(ref.name, "decline", "No capacity")["status"], "Declined")

	def test_other_organisation_cannot_see_or_answer(self):
		ref = self.send()
		frappe.set_user(self.staff_c)
		self.assertFalse(frappe.has_permission("Referral", "read", doc=ref.name))
		self.assertNotIn(ref.name, frappe.get_list("Referral", pluck="name"))
		with self.assertRaises(frappe.PermissionError):
			respond(ref.name, "accept")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Referral", ref.name, "status"), "Sent")

	def test_receiver_reads_the_referral_not_the_case(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		self.assertTrue(frappe.has_permission("Referral", "read", doc=ref.name))
		self.assertFalse(frappe.has_permission("Citizen", "read", doc=self.citizen.name))

	def test_sender_cannot_accept_its_own_referral(self):
		ref = self.send()
		frappe.set_user(self.case_manager)
		with self.assertRaises(frappe.PermissionError):
			respond(ref.name, "accept")

	def test_capacity_is_enforced_on_accept(self):
		first, second = self.send(), self.send()
		frappe.set_user(self.staff_b)
		respond(first.name, "accept")
		with self.assertRaises(NoCapacityError):
			respond(second.name, "accept")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Referral", second.name, "status"), "Sent")

	def test_completion_needs_outcome_and_frees_the_place(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		respond(ref.name, "accept")
		with self.assertRaises(ReasonRequiredError):
			respond(ref.name, "complete")
		respond(ref.name, "complete", outcome="Parcel delivered weekly")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Service", self.service.name, "capacity_used"), 0)

	def test_final_states_do_not_reopen(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		respond(ref.name, "decline", "Not eligible")
		with self.assertRaises(InvalidTransitionError):
			respond(ref.name, "accept")

	def test_unknown_decision(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		with self.assertRaises(frappe.ValidationError):
			respond(ref.name, "maybe")


class TestEscalation(ReferralTestCase):
	def test_overdue_referral_is_escalated_once(self):
		ref = self.send()
		frappe.set_user("Administrator")
		frappe.db.set_value("Referral", ref.name, "response_due", add_days(today(), -1))
		self.assertIn(ref.name, escalate_overdue_referrals())
		row = frappe.db.get_value("Referral", ref.name, ["is_overdue", "escalated_on"], as_dict=True)
		self.assertEqual(row.is_overdue, 1)
		self.assertIsNotNone(row.escalated_on)
		for user in (self.case_manager, self.coordinator_b):
			self.assertTrue(
				frappe.db.exists(
					"Notification Log",
					{"for_user": user, "document_name": ref.name, "subject": ("like", "%")},
				)
			)
		self.assertNotIn(ref.name, escalate_overdue_referrals())

	def test_the_scheduled_job_escalates_to_sender_plan_case_manager_and_coordinator(self):
		"""Run as the scheduler runs it (its Scheduled Job Type), for a referral of a welfare plan
		whose case manager did not send it: all three hear of it, and lists show it overdue."""
		reception = make_user(f"rec-{uid()}@ref.test", ["Reception Operator"], self.org_a)
		frappe.set_user(self.case_manager)
		plan = frappe.get_doc(
			{"doctype": "Welfare Plan", "citizen": self.citizen.name, "case_manager": self.case_manager}
		).insert()
		frappe.set_user(reception)
		ref = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": self.service.name,
				"welfare_plan": plan.name,
			}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.set_value("Referral", ref.name, "response_due", add_days(today(), -1))
		job = frappe.get_doc(
			"Scheduled Job Type", {"method": "tolink.care_path.escalation.escalate_overdue_referrals"}
		)
		self.assertEqual(job.frequency, "Hourly")
		job.execute()
		for user in (reception, self.case_manager, self.coordinator_b):
			self.assertTrue(
				frappe.db.exists("Notification Log", {"for_user": user, "document_name": ref.name}), user
			)
		frappe.set_user(self.staff_b)
		overdue = frappe.get_list("Referral", filters={"is_overdue": 1}, pluck="name")
		self.assertIn(ref.name, overdue)

	def test_answered_referral_is_not_escalated(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		respond(ref.name, "accept")
		frappe.set_user("Administrator")
		frappe.db.set_value("Referral", ref.name, "response_due", add_days(today(), -1))
		self.assertNotIn(ref.name, escalate_overdue_referrals())


class TestReferralWorkflow(ReferralTestCase):
	def test_workflow_exists_and_admin_edits_survive_migrate(self):
		from tolink.care_path.workflows import create_workflows

		wf = frappe.get_doc("Workflow", "Referral")
		wf.append(
			"transitions",
			{"state": "Sent", "action": "Decline", "next_state": "Declined", "allowed": "Case Manager"},
		)
		wf.save()
		count = len(wf.transitions)
		create_workflows()  # what every migrate runs
		self.assertEqual(len(frappe.get_doc("Workflow", "Referral").transitions), count)

	def test_app_rules_hold_whatever_the_workflow_allows(self):
		wf = frappe.get_doc("Workflow", "Referral")
		wf.append(
			"transitions",
			{"state": "Sent", "action": "Decline", "next_state": "Declined", "allowed": "Case Manager"},
		)
		wf.save()
		ref = self.send()
		frappe.set_user(self.staff_b)
		with self.assertRaises(ReasonRequiredError):
			respond(ref.name, "decline")

	def test_workflow_refuses_a_transition_it_does_not_list(self):
		wf = frappe.get_doc("Workflow", "Referral")
		wf.transitions = [t for t in wf.transitions if t.action != "Accept"]
		wf.save()
		ref = self.send()
		frappe.set_user(self.staff_b)
		with self.assertRaises(frappe.ValidationError):
			respond(ref.name, "accept")


class TestFieldsSetByTheApp(ReferralTestCase):
	def test_insert_takes_status_sender_and_escalation_from_the_app(self):
		ref = self.send(
			status="Completed",
			referred_by=self.staff_c,
			is_overdue=1,
			escalated_on=now_datetime(),
			responded_by=self.staff_b,
			responded_on=now_datetime(),
		)
		self.assertEqual((ref.status, ref.referred_by), ("Sent", self.case_manager))
		self.assertEqual((ref.is_overdue, ref.escalated_on), (0, None))
		self.assertEqual((ref.responded_by, ref.responded_on), (None, None))

	def test_receiver_cannot_move_the_deadline(self):
		ref = self.send()
		frappe.set_user(self.staff_b)
		doc = frappe.get_doc("Referral", ref.name)
		doc.response_due = add_days(today(), 30)
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_nobody_rewrites_sender_or_escalation(self):
		ref = self.send()
		for user, field, value in (
			(self.case_manager, "referred_by", self.staff_c),
			("Administrator", "referred_by", self.staff_c),
			("Administrator", "escalated_on", now_datetime()),
			("Administrator", "is_overdue", 1),
			(self.staff_b, "responded_by", self.staff_c),
		):
			frappe.set_user(user)
			doc = frappe.get_doc("Referral", ref.name)
			doc.set(field, value)
			with self.assertRaises(frappe.PermissionError, msg=f"{user} {field}"):
				doc.save()

	def test_escalated_referral_is_answered_from_the_form(self):
		"""The form sends every field back as text ("2026-12-01"): that is no change, and the app still
		clears the overdue mark when the answer comes."""
		ref = self.send()
		frappe.set_user("Administrator")
		frappe.db.set_value("Referral", ref.name, "response_due", add_days(today(), -1))
		escalate_overdue_referrals()
		frappe.set_user(self.staff_b)
		sent_by_desk = frappe.get_doc("Referral", ref.name).as_dict(convert_dates_to_str=True)
		self.assertIsInstance(sent_by_desk.escalated_on, str)
		doc = frappe.get_doc(sent_by_desk)
		doc.decline_reason = "No capacity"
		doc.save()
		respond(ref.name, "decline", "No capacity")
		row = frappe.db.get_value(
			"Referral", ref.name, ["status", "is_overdue", "escalated_on"], as_dict=True
		)
		self.assertEqual((row.status, row.is_overdue), ("Declined", 0))
		self.assertIsNotNone(row.escalated_on)

	def test_server_code_may_save_them_with_the_flag(self):
		ref = self.send()
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Referral", ref.name)
		doc.escalated_on = now_datetime()
		doc.flags.set_by_the_app = True
		doc.save()
		self.assertIsNotNone(frappe.db.get_value("Referral", ref.name, "escalated_on"))
