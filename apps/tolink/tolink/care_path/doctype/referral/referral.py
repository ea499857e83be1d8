# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, get_datetime, getdate, now_datetime, today

from tolink.care_path.doctype.welfare_plan.welfare_plan import add_referral_action
from tolink.care_path.matching import check_service_eligibility
from tolink.care_path.notifications import notify_referral_change
from tolink.care_path.workflow_actions import update_workflow_actions
from tolink.network.doctype.service.service import TAKING_REFERRALS
from tolink.permissions import get_user_provider, is_network_admin
from tolink.registry.consent import has_consent

# The statuses of a referral, the options of its Select field, and every set of them the app reads:
# defined here only, imported everywhere else (tolink/tests/test_statuses.py holds them against
# referral.json and the shipped workflow).
STATUSES = ("Sent", "Accepted", "Declined", "In Progress", "Completed", "Not Completed", "Cancelled")
# waiting for an answer or being worked on: the person's referrals in progress
OPEN = ("Sent", "Accepted", "In Progress")
# answered once and for all: the status no longer changes
FINAL = ("Declined", "Completed", "Not Completed", "Cancelled")
# taking a place of the service (its capacity)
HOLDING_A_PLACE = ("Accepted", "In Progress")
# the receiving organisation works the person's case (sent to it, taken on or done): every status
# but declined and cancelled
WORKING = ("Sent", "Accepted", "In Progress", "Completed", "Not Completed")
# the answers only the receiving organisation gives
SET_BY_RECEIVER = ("Accepted", "Declined", "In Progress", "Completed", "Not Completed")
ALLOWED_TRANSITIONS = {
	"Sent": ("Accepted", "Declined", "Cancelled"),
	"Accepted": ("In Progress", "Completed", "Not Completed", "Cancelled"),
	"In Progress": ("Completed", "Not Completed", "Cancelled"),
}


class Referral(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		citizen: DF.Link
		citizen_email: DF.Data | None
		citizen_name: DF.Data | None
		citizen_phone: DF.Data | None
		decline_reason: DF.Literal[
			"", "Not eligible", "No capacity", "Could not contact", "Referred elsewhere", "Not interested"
		]
		eligibility_notes: DF.SmallText | None
		eligibility_override: DF.Check
		escalated_on: DF.Datetime | None
		first_collection_on: DF.Date | None
		intake: DF.Link | None
		is_overdue: DF.Check
		missed_collections: DF.Int
		need_category: DF.Link | None
		not_completed_reason: DF.Literal[
			"",
			"Could not contact",
			"Not eligible",
			"No capacity",
			"Referred elsewhere",
			"Not interested",
			"Other",
		]
		note_for_provider: DF.SmallText | None
		outcome: DF.SmallText | None
		override_reason: DF.SmallText | None
		provider: DF.Link
		referred_by: DF.Link | None
		responded_by: DF.Link | None
		responded_on: DF.Datetime | None
		response_due: DF.Date | None
		service: DF.Link
		service_name: DF.Data | None
		status: DF.Literal[
			"Sent", "Accepted", "Declined", "In Progress", "Completed", "Not Completed", "Cancelled"
		]
		target_provider: DF.Link | None
		welfare_plan: DF.Link | None
	# end: auto-generated types

	def before_insert(self):
		self.reset_fields_set_by_the_app()

	def validate(self):
		if self.is_new():
			self.check_service_is_open()
			self.copy_citizen_contacts()
			self.check_consent()
			self.check_eligibility()
			self.set_response_due()
		else:
			self.check_transition()
			self.check_receiving_side_changes()
			self.check_fields_set_by_the_app()
		self.check_reasons()

	def before_save(self):
		if not self.is_new() and self.has_value_changed("status"):
			if self.status == "Accepted":
				self.reserve_capacity()
			elif self.get_doc_before_save().status in HOLDING_A_PLACE and self.status not in HOLDING_A_PLACE:
				self.release_capacity()
			if self.get_doc_before_save().status == "Sent" and self.status != "Cancelled":
				self.responded_on = now_datetime()
				self.responded_by = frappe.session.user
				self.is_overdue = 0

	def after_insert(self):
		add_referral_action(self)

	def on_update(self):
		update_workflow_actions(self)
		notify_referral_change(self)

	def save_version(self):
		"""Frappe's version history of the referral (who changed the status, when), written as Frappe
		writes it, minus two lookups that cost a third of an answer's time: the Version's link to
		this doctype is not checked again, and no defaults are computed for it."""
		before = self.get_doc_before_save()
		if not before or self.flags.ignore_version or frappe.flags.in_install:
			return super().save_version()
		version = frappe.get_doc({"doctype": "Version"})
		if version.update_version_info(before, self):
			version.insert(ignore_permissions=True, ignore_links=True)
			if not frappe.flags.in_migrate and frappe.get_cached_value(
				"User", frappe.session.user, "follow_created_documents"
			):
				from frappe.desk.form.document_follow import follow_document

				follow_document(self.doctype, self.name, frappe.session.user)

	# --- creation
	def reset_fields_set_by_the_app(self):
		"""A referral starts as sent by whoever sends it; what the client sends for the fields the app
		keeps (status, who referred, deadline escalation, the answer) is not taken."""
		self.status = "Sent"
		self.referred_by = frappe.session.user
		self.is_overdue = 0
		self.escalated_on = None
		self.responded_by = None
		self.responded_on = None
		self.first_collection_on = None
		self.missed_collections = 0

	def check_service_is_open(self):
		status = frappe.db.get_value("Service", self.service, "status")
		if status not in TAKING_REFERRALS:
			frappe.throw(
				_("The service {0} is not active ({1}): it cannot receive referrals.").format(
					frappe.bold(self.service_name or self.service), _(status)
				),
				ServiceNotActiveError,
			)

	def copy_citizen_contacts(self):
		"""What the receiving organisation needs, copied here: it never reads the whole case."""
		c = frappe.db.get_value(
			"Citizen", self.citizen, ["full_name", "phone", "mobile", "email"], as_dict=True
		)
		self.citizen_name = c.full_name
		self.citizen_phone = c.mobile or c.phone
		self.citizen_email = c.email

	def check_consent(self):
		if self.target_provider == self.provider:
			return
		if not has_consent(self.citizen, "Sharing with partner", partner=self.target_provider):
			frappe.throw(
				_(
					"{0} has not consented to sharing with {1}: record the consent before sending the referral."
				).format(frappe.bold(self.citizen_name), frappe.bold(self.target_provider)),
				ConsentRequiredError,
			)

	def check_eligibility(self):
		result = check_service_eligibility(self.citizen, self.service)
		self.eligibility_notes = "\n".join(result.reasons) if result.reasons else _("Eligible")
		if not result.eligible and not self.eligibility_override:
			frappe.throw(
				_("Not eligible for {0}: {1}").format(
					frappe.bold(self.service_name or self.service), "; ".join(result.reasons)
				),
				NotEligibleError,
			)

	def set_response_due(self):
		days = frappe.db.get_value("Service", self.service, "response_deadline_days") or DEFAULT_RESPONSE_DAYS
		self.response_due = add_days(today(), days)

	# --- changes
	def check_transition(self):
		before = self.get_doc_before_save()
		if not before or before.status == self.status:
			return
		if before.status in FINAL:
			frappe.throw(
				_("A referral that is {0} cannot change status.").format(_(before.status)),
				InvalidTransitionError,
			)
		if self.status not in ALLOWED_TRANSITIONS.get(before.status, ()):
			frappe.throw(
				_("A referral cannot go from {0} to {1}.").format(_(before.status), _(self.status)),
				InvalidTransitionError,
			)
		receiving = self.status in SET_BY_RECEIVER
		if not is_network_admin():
			org = get_user_provider()
			if receiving and org != self.target_provider:
				frappe.throw(
					_("Only the receiving organisation can mark a referral as {0}.").format(_(self.status)),
					frappe.PermissionError,
				)
			if self.status == "Cancelled" and org != self.provider:
				frappe.throw(
					_("Only the referring organisation can cancel a referral."), frappe.PermissionError
				)

	def check_receiving_side_changes(self):
		"""Staff of the receiving organisation answer the referral; they do not rewrite it."""
		if is_network_admin() or get_user_provider() == self.provider:
			return
		for field in EDITABLE_BY_RECEIVER_EXCLUDED:
			if self.value_changed(field):
				frappe.throw(
					_("The receiving organisation cannot change {0}.").format(_(self.meta.get_label(field))),
					frappe.PermissionError,
				)

	def check_fields_set_by_the_app(self):
		"""Who referred, the escalation of a late answer and who answered when are written by the app
		(on insert, in before_save, by tolink.care_path.escalation), never by a user: not even an
		administrator. Server code that must save them through the document sets
		`flags.set_by_the_app`."""
		if self.flags.set_by_the_app:
			return
		for field in SET_BY_THE_APP:
			if self.value_changed(field):
				frappe.throw(
					_("{0} is set by To Link and cannot be changed.").format(_(self.meta.get_label(field))),
					frappe.PermissionError,
				)

	def value_changed(self, field: str) -> bool:
		"""Changed since the last save, whatever the form sent: "2026-12-01" is the date 2026-12-01,
		"0" is 0 and "" is None."""
		before = self.get_doc_before_save()
		if not before:
			return False
		old, new = before.get(field), self.get(field)
		fieldtype = self.meta.get_field(field).fieldtype
		if fieldtype == "Check":
			return cint(old) != cint(new)
		if fieldtype == "Date":
			return (getdate(old) if old else None) != (getdate(new) if new else None)
		if fieldtype == "Datetime":
			return (get_datetime(old) if old else None) != (get_datetime(new) if new else None)
		return (old or None) != (new or None)

	def check_reasons(self):
		if self.status == "Declined" and not self.decline_reason:
			frappe.throw(_("A declined referral needs a reason."), ReasonRequiredError)
		if self.status == "Not Completed" and not self.not_completed_reason:
			frappe.throw(_("A referral not completed needs a reason."), ReasonRequiredError)
		if self.status == "Completed" and not (self.outcome or "").strip():
			frappe.throw(_("A completed referral needs its outcome."), ReasonRequiredError)

	# --- capacity
	def reserve_capacity(self):
		"""Accepting takes a place of the service. The service row is locked, so two organisations'
		staff accepting at the same moment cannot both take the last place."""
		service = frappe.db.get_value(
			"Service", self.service, ["capacity", "available_from"], as_dict=True, for_update=True
		)
		if service.capacity:
			used = active_referrals(self.service, exclude=self.name)
			if used >= service.capacity:
				until = ""
				if service.available_from and getdate(service.available_from) > getdate(today()):
					until = " " + _("until {0}").format(frappe.format(service.available_from, "Date"))
				frappe.throw(
					_("No places left in {0}: {1} of {2} taken{3}.").format(
						frappe.bold(self.service_name), used, service.capacity, until
					),
					NoCapacityError,
				)
			used += 1
		else:
			used = active_referrals(self.service, exclude=self.name) + 1
		# a count kept for lists and matching: not an edit of the service (its modified stays)
		frappe.db.set_value("Service", self.service, "capacity_used", used, update_modified=False)

	def release_capacity(self):
		frappe.db.set_value(
			"Service",
			self.service,
			"capacity_used",
			active_referrals(self.service, exclude=self.name),
			update_modified=False,
		)


def active_referrals(service: str, exclude: str | None = None) -> int:
	referral = frappe.qb.DocType("Referral")
	query = (
		frappe.qb.from_(referral)
		.select(frappe.query_builder.functions.Count("*"))
		.where((referral.service == service) & referral.status.isin(HOLDING_A_PLACE))
	)
	if exclude:
		query = query.where(referral.name != exclude)
	return query.run()[0][0]


def on_doctype_update():
	frappe.db.add_index("Referral", ["target_provider", "status"])
	frappe.db.add_index("Referral", ["service", "status"])
	frappe.db.add_index("Referral", ["status", "response_due"])
	# the row rule (either side) and Desk's default sort; the person's referrals (overview, case notes)
	frappe.db.add_index("Referral", ["provider", "modified"])
	frappe.db.add_index("Referral", ["target_provider", "modified"])
	frappe.db.add_index("Referral", ["citizen", "status"])
	# the workspace's counts of an organisation's referrals by status (with target_provider_status)
	frappe.db.add_index("Referral", ["provider", "status"])
	# the chart of an organisation's referrals of the last 12 months (either side)
	frappe.db.add_index("Referral", ["provider", "creation"])
	frappe.db.add_index("Referral", ["target_provider", "creation"])


class ReferralError(frappe.ValidationError):
	pass


class ReasonRequiredError(ReferralError):
	pass


class InvalidTransitionError(ReferralError):
	pass


class NoCapacityError(ReferralError):
	pass


class NotEligibleError(ReferralError):
	pass


class ConsentRequiredError(ReferralError):
	pass


class ServiceNotActiveError(ReferralError):
	pass


DEFAULT_RESPONSE_DAYS = 5
EDITABLE_BY_RECEIVER_EXCLUDED = (
	"citizen",
	"service",
	"note_for_provider",
	"eligibility_override",
	"override_reason",
	"intake",
	"welfare_plan",
	"provider",
	"response_due",
	"is_overdue",
	"referred_by",
	"escalated_on",
)
# written by the app only (Referral.check_fields_set_by_the_app)
SET_BY_THE_APP = (
	"referred_by",
	"escalated_on",
	"is_overdue",
	"responded_by",
	"responded_on",
	# what happened at a food-parcel hub (tolink.distribution.enrolment)
	"first_collection_on",
	"missed_collections",
)
