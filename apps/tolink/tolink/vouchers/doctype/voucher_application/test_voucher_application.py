# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.devtools.vouchers import make_eligible_household, make_programme, make_shop
from tolink.tests.case import CommittingTestCase
from tolink.vouchers.applications import eligible_programmes, propose
from tolink.vouchers.doctype.voucher.voucher import BudgetExceededError
from tolink.vouchers.doctype.voucher_application.voucher_application import (
	DuplicateApplicationError,
	InvalidTransitionError,
	NotEligibleError,
	ReasonRequiredError,
	SelfApprovalError,
)
from tolink.vouchers.escalation import escalate_waiting_applications


class TestVoucherApplication(CommittingTestCase):
	"""The City runs the programme and approves; a cooperative proposes for its households."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.city, cls.coop, cls.other = make_provider(), make_provider(), make_provider()
		cls.proposer = make_user(f"cm-{s}@vap.test", ["Case Manager"], cls.coop)
		cls.colleague = make_user(f"rec-{s}@vap.test", ["Reception Operator"], cls.coop)
		cls.approver = make_user(f"appr-{s}@vap.test", ["Voucher Approver"], cls.city)
		# proposes for the City's own households and approves the City's programme
		cls.both = make_user(f"both-{s}@vap.test", ["Case Manager", "Voucher Approver"], cls.city)
		cls.foreign_approver = make_user(f"appr-o-{s}@vap.test", ["Voucher Approver"], cls.other)
		cls.admin = make_user(f"na-{s}@vap.test", ["Network Administrator"], cls.city)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		self.programme = make_programme(self.city, [make_shop()], budget=400, max_isee=6000)
		self.household, self.head = make_eligible_household(self.coop, size=1, isee=3000)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def propose_as(self, user, household=None, **kw):
		frappe.set_user(user)
		return propose((household or self.household).name, programme=self.programme.name, **kw)

	def act(self, user, doc, action):
		frappe.set_user(user)
		return apply_workflow(frappe.get_doc("Voucher Application", doc.name), action)

	def stored(self, doc, field):
		return frappe.db.get_value("Voucher Application", doc.name, field)

	# --- eligibility
	def test_eligible_programmes_say_why_and_how_much(self):
		frappe.set_user(self.proposer)
		(row,) = [
			p for p in eligible_programmes(self.household.name) if p["programme"] == self.programme.name
		]
		self.assertTrue(row["eligible"])
		self.assertEqual(row["amount"], 100)
		self.assertTrue(any("ISEE" in r for r in row["reasons"]), row["reasons"])

	def test_ineligible_programmes_say_why_not(self):
		rich, _ = make_eligible_household(self.coop, isee=9200, consent=False)
		frappe.set_user(self.proposer)
		(row,) = [p for p in eligible_programmes(rich.name) if p["programme"] == self.programme.name]
		self.assertFalse(row["eligible"])
		text = " ".join(row["reasons"])
		self.assertIn("9.200", text)
		self.assertEqual(len(row["reasons"]), 2, row["reasons"])  # the ISEE, the missing consent
		before = frappe.db.count("Voucher Application")
		with self.assertRaises(NotEligibleError) as ctx:
			propose(rich.name)  # no programme named: none is open to it, every reason listed
		self.assertIn("9.200", str(ctx.exception))
		self.assertEqual(frappe.db.count("Voucher Application"), before)

	def test_closed_programmes_are_not_offered(self):
		frappe.db.set_value("Voucher Programme", self.programme.name, "status", "Closed")
		frappe.set_user(self.proposer)
		self.assertNotIn(
			self.programme.name, [p["programme"] for p in eligible_programmes(self.household.name)]
		)

	# --- proposal
	def test_proposal_is_recorded_for_the_approver(self):
		doc = self.propose_as(self.proposer)
		self.assertEqual(doc.status, "Proposed")
		self.assertEqual(doc.proposed_by, self.proposer)
		self.assertEqual(doc.provider, self.coop)
		self.assertEqual(doc.head_of_household, self.head.name)
		self.assertEqual(doc.proposed_amount, 100)
		self.assertIn("ISEE", doc.reasons)
		# the approvers of the programme's organisation are told in Desk
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.approver, "document_name": doc.name})
		)
		self.assertFalse(
			frappe.db.exists(
				"Notification Log", {"for_user": self.foreign_approver, "document_name": doc.name}
			)
		)

	def test_a_second_open_application_is_refused(self):
		self.propose_as(self.proposer)
		with self.assertRaises(DuplicateApplicationError):
			self.propose_as(self.colleague)
		# nor by a direct insert (the controller checks it, the unique key holds it)
		with self.assertRaises(DuplicateApplicationError):
			frappe.get_doc(
				{
					"doctype": "Voucher Application",
					"household": self.household.name,
					"programme": self.programme.name,
				}
			).insert()

	def test_values_the_client_sends_for_server_fields_are_not_taken(self):
		frappe.set_user(self.proposer)
		doc = frappe.get_doc(
			{
				"doctype": "Voucher Application",
				"household": self.household.name,
				"programme": self.programme.name,
				"status": "Approved",
				"proposed_amount": 9999,
				"proposed_by": self.approver,
			}
		).insert()
		self.assertEqual((doc.status, doc.proposed_amount, doc.proposed_by), ("Proposed", 100, self.proposer))
		doc.proposed_amount = 500
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	# --- decision
	def test_approval_issues_the_voucher_for_the_proposing_organisation(self):
		doc = self.propose_as(self.proposer)
		self.act(self.approver, doc, "Approve")
		self.assertEqual(self.stored(doc, "status"), "Approved")
		self.assertEqual(self.stored(doc, "decided_by"), self.approver)
		voucher = frappe.get_doc("Voucher", self.stored(doc, "voucher"))
		self.assertEqual(
			(voucher.household, voucher.value, voucher.status), (self.household.name, 100, "Issued")
		)
		self.assertEqual(voucher.provider, self.coop)
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 100)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.proposer, "document_name": doc.name})
		)
		# decided once and for all
		with self.assertRaises(frappe.ValidationError):
			self.act(self.approver, doc, "Refuse")

	def test_budget_exceeded_refuses_the_approval_and_changes_nothing(self):
		doc = self.propose_as(self.proposer)
		frappe.db.set_value("Voucher Programme", self.programme.name, "issued_amount", 350)
		vouchers = frappe.db.count("Voucher")
		with self.assertRaises(BudgetExceededError):
			self.act(self.approver, doc, "Approve")
		self.assertEqual(self.stored(doc, "status"), "Proposed")
		self.assertIsNone(self.stored(doc, "voucher"))
		self.assertIsNone(self.stored(doc, "decided_by"))
		self.assertEqual(frappe.db.count("Voucher"), vouchers)
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 350)
		# still waiting: it can be approved once the budget is raised
		frappe.set_user("Administrator")
		frappe.db.set_value("Voucher Programme", self.programme.name, "budget", 1000)
		self.act(self.approver, doc, "Approve")
		self.assertEqual(frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount"), 450)

	def test_refusal_needs_a_reason(self):
		doc = self.propose_as(self.proposer)
		with self.assertRaises(ReasonRequiredError):
			self.act(self.approver, doc, "Refuse")
		self.assertEqual(self.stored(doc, "status"), "Proposed")
		frappe.set_user(self.approver)
		app = frappe.get_doc("Voucher Application", doc.name)
		app.refusal_reason = "ISEE scaduto a breve, ripresentare"
		app.save()
		self.act(self.approver, doc, "Refuse")
		self.assertEqual(self.stored(doc, "status"), "Refused")
		self.assertFalse(frappe.db.exists("Voucher", {"household": self.household.name}))

	def test_only_an_approver_records_a_refusal_reason(self):
		doc = self.propose_as(self.proposer)
		doc.refusal_reason = "io stesso"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_a_proposer_never_approves_their_own(self):
		city_household, _ = make_eligible_household(self.city)
		doc = self.propose_as(self.both, city_household)
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.act(self.both, doc, "Approve")
		# even where the workflow would allow it: the application's own rule
		frappe.set_user(self.both)
		app = frappe.get_doc("Voucher Application", doc.name)
		app.status = "Approved"
		with self.assertRaises(SelfApprovalError):
			app.save()
		self.assertEqual(self.stored(doc, "status"), "Proposed")
		# nor an administrator their own
		frappe.set_user(self.admin)
		mine = propose(make_eligible_household(self.city)[0].name, programme=self.programme.name)
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.act(self.admin, mine, "Approve")
		# another approver of the City does
		self.act(self.approver, doc, "Approve")
		self.assertEqual(self.stored(doc, "status"), "Approved")

	def test_an_approver_of_another_organisation_sees_and_decides_nothing(self):
		doc = self.propose_as(self.proposer)
		frappe.set_user(self.foreign_approver)
		self.assertFalse(frappe.has_permission("Voucher Application", "read", doc=doc.name))
		self.assertEqual(frappe.get_list("Voucher Application", filters={"name": doc.name}), [])
		with self.assertRaises(frappe.PermissionError):
			self.act(self.foreign_approver, doc, "Approve")
		self.assertEqual(self.stored(doc, "status"), "Proposed")
		# the programme's approver does see it; a proposer of a third organisation does not
		frappe.set_user(self.approver)
		self.assertEqual(
			frappe.get_list("Voucher Application", filters={"name": doc.name}, pluck="name"), [doc.name]
		)
		frappe.set_user(self.both)
		self.assertTrue(frappe.has_permission("Voucher Application", "read", doc=doc.name))

	def test_the_proposing_organisation_cancels(self):
		doc = self.propose_as(self.proposer)
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.act(self.approver, doc, "Cancel")
		self.act(self.colleague, doc, "Cancel")
		self.assertEqual(self.stored(doc, "status"), "Cancelled")
		# no longer open: a new proposal may follow
		self.assertIsNone(self.stored(doc, "open_key"))
		self.propose_as(self.proposer)

	def test_source_must_be_readable_and_about_the_household(self):
		frappe.set_user(self.proposer)
		intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": self.head.name,
				"channel": "Front office",
				"needs": [{"need_category": "Food parcels"}],
			}
		).insert()
		doc = propose(self.household.name, source_doctype="Intake", source_name=intake.name)
		self.assertEqual((doc.source_doctype, doc.source_name), ("Intake", intake.name))
		doc.reload()
		frappe.set_user(self.proposer)
		stranger = make_citizen(self.coop)
		make_household(self.coop, [stranger])
		other_intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": stranger.name,
				"channel": "Front office",
				"needs": [{"need_category": "Food parcels"}],
			}
		).insert()
		other, _ = make_eligible_household(self.coop)
		with self.assertRaises(frappe.ValidationError):
			propose(other.name, source_doctype="Intake", source_name=other_intake.name)
		with self.assertRaises(frappe.ValidationError):
			propose(other.name, source_doctype="Citizen", source_name=stranger.name)

	# --- waiting too long
	def test_waiting_applications_are_escalated_once(self):
		doc = self.propose_as(self.proposer)
		fresh = self.propose_as(self.proposer, make_eligible_household(self.coop)[0])
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Voucher Application", doc.name, "creation", add_days(now_datetime(), -6), update_modified=False
		)
		told = {"for_user": self.approver, "document_name": doc.name}
		before = frappe.db.count("Notification Log", told)
		escalated = escalate_waiting_applications()
		self.assertIn(doc.name, escalated)
		self.assertNotIn(fresh.name, escalated)
		self.assertEqual(self.stored(doc, "is_overdue"), 1)
		self.assertTrue(self.stored(doc, "escalated_on"))
		self.assertEqual(frappe.db.count("Notification Log", told), before + 1)
		self.assertNotIn(doc.name, escalate_waiting_applications())
		# the programme says how long is too long
		frappe.db.set_value("Voucher Programme", self.programme.name, "escalation_days", 10)
		later = self.propose_as(self.proposer, make_eligible_household(self.coop)[0])
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Voucher Application", later.name, "creation", add_days(now_datetime(), -6), update_modified=False
		)
		self.assertNotIn(later.name, escalate_waiting_applications())

	def test_decided_applications_do_not_change(self):
		doc = self.propose_as(self.proposer)
		self.act(self.colleague, doc, "Cancel")
		frappe.set_user(self.proposer)
		app = frappe.get_doc("Voucher Application", doc.name)
		app.note = "ripensamento"
		with self.assertRaises(InvalidTransitionError):
			app.save()


class TestVoucherApplicationWorkflow(CommittingTestCase):
	"""Created on migrate when missing; an administrator's edits survive every migrate."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_cache(doctype="Voucher Application")

	def test_an_edited_workflow_is_kept_and_a_missing_one_made(self):
		from tolink.vouchers import workflows

		workflows.create_workflow()  # what every migrate runs
		name = frappe.db.get_value("Workflow", {"document_type": "Voucher Application"})
		self.assertTrue(name)
		wf = frappe.get_doc("Workflow", name)
		wf.transitions = [t for t in wf.transitions if t.allowed != "Network Administrator"]
		wf.save(ignore_permissions=True)
		kept = len(wf.transitions)
		workflows.create_workflow()
		self.assertEqual(frappe.db.count("Workflow", {"document_type": "Voucher Application"}), 1)
		self.assertEqual(len(frappe.get_doc("Workflow", name).transitions), kept)
		frappe.delete_doc("Workflow", name, ignore_permissions=True)
		workflows.create_workflow()
		wf = frappe.get_doc("Workflow", {"document_type": "Voucher Application"})
		self.assertEqual(len(wf.transitions), len(workflows.WORKFLOW["transitions"]))
		self.assertEqual(
			{(t.action, t.allowed) for t in wf.transitions if t.next_state in ("Approved", "Refused")},
			{(a, r) for a in ("Approve", "Refuse") for r in workflows.APPROVERS},
		)
		self.assertFalse(any(t.allow_self_approval for t in wf.transitions if t.action == "Approve"))
