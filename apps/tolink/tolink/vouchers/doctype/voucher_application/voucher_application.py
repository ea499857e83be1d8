# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime, now_datetime

from tolink.network.notifications import notify_users, provider_staff
from tolink.permissions import get_user_provider, is_network_admin
from tolink.vouchers import eligibility
from tolink.vouchers.doctype.voucher.voucher import IN_USE, issue_for_application
from tolink.vouchers.permissions import APPROVER_ROLE, may_decide

# The statuses of an application (the options of its Select field, the states of the shipped
# workflow, tolink.vouchers.workflows) and the sets of them the app reads: defined here only
# (tolink/tests/test_statuses.py holds them against the JSON and the workflow).
STATUSES = ("Proposed", "Approved", "Refused", "Cancelled")
# waiting for the programme's approver
OPEN = ("Proposed",)
# decided once and for all
FINAL = ("Approved", "Refused", "Cancelled")
# the decisions of the programme's approver (the proposer cancels)
DECIDED_BY_APPROVER = ("Approved", "Refused")
ALLOWED_TRANSITIONS = {"Proposed": ("Approved", "Refused", "Cancelled")}
# where a proposal comes from
SOURCE_DOCTYPES = ("Intake", "Helpline Call")
# written by the app only (check_fields_set_by_the_app); the request gate refuses them too
SET_BY_THE_APP = (
	"head_of_household",
	"head_of_household_name",
	"household_size",
	"proposed_amount",
	"reasons",
	"proposed_by",
	"decided_by",
	"decided_on",
	"voucher",
	"is_overdue",
	"escalated_on",
	"open_key",
)
# approving issues the voucher: the application's state, the voucher and the programme's issued
# amount are written together or not at all
APPROVAL_SAVEPOINT = "voucher_application_approval"


class VoucherApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		decided_by: DF.Link | None
		decided_on: DF.Datetime | None
		escalated_on: DF.Datetime | None
		head_of_household: DF.Link | None
		head_of_household_name: DF.Data | None
		household: DF.Link
		household_size: DF.Int
		is_overdue: DF.Check
		note: DF.SmallText | None
		open_key: DF.Data | None
		programme: DF.Link
		proposed_amount: DF.Currency
		proposed_by: DF.Link | None
		provider: DF.Link | None
		reasons: DF.SmallText | None
		refusal_reason: DF.SmallText | None
		source_doctype: DF.Link | None
		source_name: DF.DynamicLink | None
		status: DF.Literal["Proposed", "Approved", "Refused", "Cancelled"]
		voucher: DF.Link | None
	# end: auto-generated types

	def before_insert(self):
		self.reset_fields_set_by_the_app()

	def validate(self):
		if self.is_new():
			self.check_source()
			self.check_no_open_application()
			self.assess()
		else:
			self.check_transition()
			self.check_changes()
			self.check_fields_set_by_the_app()
		self.check_refusal_reason()

	def before_save(self):
		self.open_key = f"{self.household}:{self.programme}" if self.status in OPEN else None
		if self.is_new() or not self.has_value_changed("status"):
			return
		self.is_overdue = 0
		if self.status in DECIDED_BY_APPROVER:
			self.decided_by = frappe.session.user
			self.decided_on = now_datetime()
		if self.status == "Approved":
			frappe.db.savepoint(APPROVAL_SAVEPOINT)

	def on_update(self):
		before = self.get_doc_before_save()
		if before is None:
			self.notify_approvers()
			return
		if before.status == self.status:
			return
		if self.status == "Approved":
			self.issue_voucher()
		if self.status in DECIDED_BY_APPROVER:
			self.notify_proposer()

	# --- proposal
	def reset_fields_set_by_the_app(self):
		"""An application starts as proposed by whoever proposes it; what a client sends for the
		fields the app keeps is not taken."""
		self.status = "Proposed"
		self.proposed_by = frappe.session.user
		for field in ("decided_by", "decided_on", "voucher", "escalated_on", "refusal_reason"):
			self.set(field, None)
		self.is_overdue = 0

	def check_source(self):
		"""The intake or helpline call it came from: one the user may read, about this household."""
		if not (self.source_doctype or self.source_name):
			return
		if self.source_doctype not in SOURCE_DOCTYPES or not self.source_name:
			frappe.throw(
				_("The source of an application is an intake or a helpline call."), frappe.ValidationError
			)
		if not frappe.has_permission(self.source_doctype, "read", doc=self.source_name):
			frappe.throw(
				_("{0} {1} not found").format(_(self.source_doctype), self.source_name),
				frappe.DoesNotExistError,
			)
		citizen = frappe.db.get_value(self.source_doctype, self.source_name, "citizen")
		if citizen and frappe.db.get_value("Citizen", citizen, "household") != self.household:
			frappe.throw(
				_("{0} {1} is about a person of another household.").format(
					_(self.source_doctype), self.source_name
				),
				frappe.ValidationError,
			)

	def check_no_open_application(self):
		"""One application waiting per household and programme (the unique `open_key` holds it
		against two proposals at the same moment)."""
		if frappe.db.exists(
			"Voucher Application",
			{"household": self.household, "programme": self.programme, "status": ("in", OPEN)},
		):
			frappe.throw(
				_("This household already has an application for {0} waiting for approval.").format(
					frappe.bold(self.programme)
				),
				DuplicateApplicationError,
			)

	def assess(self):
		"""The programme's rules (tolink.vouchers.eligibility, as issuing reads them): refused with the
		reasons, or the amount and the reasons it is eligible, kept for the approver."""
		if not frappe.db.exists("Voucher Programme", self.programme):
			frappe.throw(
				_("Voucher Programme {0} not found").format(self.programme), frappe.DoesNotExistError
			)
		programme = frappe.get_doc("Voucher Programme", self.programme)
		household = eligibility.HouseholdFacts.load(self.household, IN_USE)
		result = eligibility.assess(programme, household)
		if not result.eligible:
			frappe.throw(
				_("Not eligible for {0}: {1}").format(frappe.bold(self.programme), "; ".join(result.reasons)),
				NotEligibleError,
			)
		self.head_of_household = household.head
		self.head_of_household_name = household.head_name
		self.household_size = household.size
		self.proposed_amount = result.amount
		self.reasons = "\n".join(result.reasons)

	# --- decision
	def check_transition(self):
		before = self.get_doc_before_save()
		if not before or before.status == self.status:
			return
		if before.status in FINAL:
			frappe.throw(
				_("An application that is {0} cannot change status.").format(_(before.status)),
				InvalidTransitionError,
			)
		if self.status not in ALLOWED_TRANSITIONS.get(before.status, ()):
			frappe.throw(
				_("An application cannot go from {0} to {1}.").format(_(before.status), _(self.status)),
				InvalidTransitionError,
			)
		if self.status in DECIDED_BY_APPROVER:
			if frappe.session.user == self.proposed_by:
				# separation of duties, whatever the workflow allows and whoever proposed
				frappe.throw(
					_("You proposed this application: another approver decides it."), SelfApprovalError
				)
			if not may_decide(self.programme):
				frappe.throw(
					_("Only an approver of the organisation managing {0} decides its applications.").format(
						frappe.bold(self.programme)
					),
					frappe.PermissionError,
				)
		elif self.status == "Cancelled" and not (is_network_admin() or get_user_provider() == self.provider):
			frappe.throw(
				_("Only the proposing organisation can cancel an application."), frappe.PermissionError
			)

	def check_changes(self):
		"""The proposing organisation writes its note while the application waits; the approver,
		the reason of a refusal; a decided application no longer changes."""
		before = self.get_doc_before_save()
		if not before:
			return
		changed = [f for f in ("note", "refusal_reason") if self.value_changed(f)]
		if not changed:
			return
		if before.status in FINAL:
			frappe.throw(_("A decided application cannot be changed."), InvalidTransitionError)
		if "refusal_reason" in changed and (
			frappe.session.user == self.proposed_by or not may_decide(self.programme)
		):
			frappe.throw(
				_("Only an approver of the programme records why an application is refused."),
				frappe.PermissionError,
			)
		if "note" in changed and not (is_network_admin() or get_user_provider() == self.provider):
			frappe.throw(_("Only the proposing organisation writes the note."), frappe.PermissionError)

	def check_fields_set_by_the_app(self):
		if self.flags.set_by_the_app:
			return
		for field in SET_BY_THE_APP:
			if self.value_changed(field):
				frappe.throw(
					_("{0} is set by To Link and cannot be changed.").format(_(self.meta.get_label(field))),
					frappe.PermissionError,
				)

	def check_refusal_reason(self):
		if self.status == "Refused" and not (self.refusal_reason or "").strip():
			frappe.throw(_("A refused application needs a reason."), ReasonRequiredError)

	def value_changed(self, field: str) -> bool:
		"""Changed since the last save, whatever the form sent ("0" is 0, "" is None)."""
		before = self.get_doc_before_save()
		if not before:
			return False
		old, new = before.get(field), self.get(field)
		fieldtype = self.meta.get_field(field).fieldtype
		if fieldtype in ("Check", "Int"):
			return cint(old) != cint(new)
		if fieldtype == "Currency":
			return float(old or 0) != float(new or 0)
		if fieldtype == "Datetime":
			return (get_datetime(old) if old else None) != (get_datetime(new) if new else None)
		return (old or None) != (new or None)

	def issue_voucher(self):
		"""Approval issues the voucher through the vouchers' own path (rules, consent, budget on the
		locked programme row). Refused there (the budget would be exceeded, the household no longer
		eligible): the approval is undone with it, nothing stays written."""
		try:
			voucher = issue_for_application(self.programme, self.household, self.provider)
		except Exception:
			frappe.db.rollback(save_point=APPROVAL_SAVEPOINT)
			raise
		self.db_set("voucher", voucher.name, update_modified=False)

	# --- who is told
	def notify_approvers(self):
		subject = _("Voucher application {0} to approve: {1} for {2}").format(
			self.name, self.programme, self.head_of_household_name
		)
		notify_users(programme_approvers(self.programme), subject, self.doctype, self.name)

	def notify_proposer(self):
		subject = _("Voucher application {0} ({1}): {2}").format(self.name, self.programme, _(self.status))
		notify_users([self.proposed_by], subject, self.doctype, self.name)


def programme_approvers(programme: str) -> list[str]:
	"""The enabled approvers of the organisation managing the programme."""
	provider = frappe.db.get_value("Voucher Programme", programme, "provider")
	if not provider:
		return []
	return [
		u for u in provider_staff(provider, roles=(APPROVER_ROLE,)) if APPROVER_ROLE in frappe.get_roles(u)
	]


def on_doctype_update():
	frappe.db.add_index("Voucher Application", ["programme", "status"])
	frappe.db.add_index("Voucher Application", ["household", "programme", "status"])
	frappe.db.add_index("Voucher Application", ["provider", "status"])


class VoucherApplicationError(frappe.ValidationError):
	pass


class NotEligibleError(VoucherApplicationError):
	pass


class DuplicateApplicationError(VoucherApplicationError):
	pass


class InvalidTransitionError(VoucherApplicationError):
	pass


class ReasonRequiredError(VoucherApplicationError):
	pass


class SelfApprovalError(frappe.PermissionError):
	pass
