# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.document import Document
from frappe.utils import cstr, flt, formatdate, get_first_day, get_last_day, getdate, today

from tolink.pathways.doctype.employment_profile.employment_profile import record_hiring
from tolink.pathways.plan_link import check_plan_of, sync_plan_action
from tolink.permissions import get_user_provider, is_network_admin

# The statuses of a measure (the options of its Select): tolink/tests/test_statuses.py
STATUSES = ("Planned", "In progress", "Completed", "Hired", "Dropped out")
# running: counted on the workspace, its attendance recorded
RUNNING = ("In progress",)
# ended: an outcome with its date; never reopened
ENDED = ("Completed", "Hired", "Dropped out")
HIRED = "Hired"
DROPPED_OUT = "Dropped out"
TRAINEESHIP = "Inclusion traineeship"
# the most hours a month has
MONTH_HOURS = 744
# what the host organisation's staff change on a measure of another organisation
HOST_FIELDS = frozenset({"attendance"})


class WorkMeasure(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.pathways.doctype.work_measure_attendance.work_measure_attendance import (
			WorkMeasureAttendance,
		)

		allowance_paid_by: DF.Literal[
			"", "Region", "City of Turin", "Host organisation", "ESF programme", "Other"
		]
		attendance: DF.Table[WorkMeasureAttendance]
		citizen: DF.Link
		citizen_name: DF.Data | None
		contract_type: DF.Literal[
			"", "Permanent", "Fixed-term", "Apprenticeship", "Temporary agency", "Self-employment", "Other"
		]
		dropout_reason: DF.SmallText | None
		employer: DF.Data | None
		end_date: DF.Date
		host_organisation: DF.Link
		host_tutor: DF.Data | None
		measure_type: DF.Literal[
			"Inclusion traineeship", "Work grant", "Training course", "Job placement", "Work site"
		]
		monthly_allowance: DF.Currency
		outcome_date: DF.Date | None
		outcome_notes: DF.SmallText | None
		provider: DF.Link | None
		referral: DF.Link | None
		reminded_dates: DF.SmallText | None
		service: DF.Link | None
		start_date: DF.Date
		status: DF.Literal["Planned", "In progress", "Completed", "Hired", "Dropped out"]
		tutor: DF.Data | None
		weekly_hours: DF.Float
		welfare_plan: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.check_host_edits()
		self.check_dates()
		self.check_terms()
		self.check_attendance()
		self.check_outcome()
		self.check_referral()
		check_plan_of(self)

	def on_update(self):
		if self.status == HIRED and self.has_value_changed("status"):
			record_hiring(self.citizen, self.outcome_date, self.provider)
		sync_plan_action(
			self.welfare_plan,
			self.name,
			_("{0} at {1} ({2})").format(_(self.measure_type), self.host_organisation, self.name),
			self.end_date,
			done=self.status in ENDED,
		)

	def check_host_edits(self):
		"""The host organisation's staff (not the organisation holding the measure) record the
		attendance and nothing else."""
		if self.is_new() or is_network_admin():
			return
		provider = get_user_provider()
		if not provider or provider == self.provider or provider != self.host_organisation:
			return
		before = self.get_doc_before_save()
		for df in self.meta.fields:
			if df.fieldname in HOST_FIELDS or df.fieldtype in no_value_fields:
				continue
			if normalise(df, self.get(df.fieldname)) != normalise(df, before.get(df.fieldname)):
				frappe.throw(
					_("The host organisation records the attendance only ({0} cannot be changed).").format(
						_(df.label)
					),
					frappe.PermissionError,
				)

	def check_dates(self):
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date is before the start date."))
		if self.status in RUNNING and getdate(self.start_date) > getdate(today()):
			frappe.throw(
				_("The measure starts on {0}: it cannot be in progress yet.").format(
					formatdate(self.start_date, "dd/MM/yyyy")
				)
			)
		before = self.get_doc_before_save()
		if before and before.status in ENDED and self.status not in ENDED:
			frappe.throw(_("A measure that has ended cannot be reopened: record a new one."))

	def check_terms(self):
		if not 0 <= flt(self.weekly_hours) <= 60:
			frappe.throw(_("Weekly hours must be between 0 and 60."))
		if flt(self.monthly_allowance) < 0:
			frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label("monthly_allowance"))))
		if flt(self.monthly_allowance) and not self.allowance_paid_by:
			frappe.throw(_("Say who pays the monthly allowance."))

	def check_attendance(self):
		first, last = get_first_day(self.start_date), get_last_day(self.end_date)
		now = getdate(today())
		seen = set()
		for row in self.attendance:
			month = get_first_day(row.month)
			row.month = month
			if month in seen:
				frappe.throw(_("Attendance row {0}: the month is listed twice.").format(row.idx))
			seen.add(month)
			if not first <= month <= last:
				frappe.throw(
					_("Attendance row {0}: the month is outside the measure's dates.").format(row.idx)
				)
			if month > now:
				frappe.throw(_("Attendance row {0}: the month is in the future.").format(row.idx))
			for field in ("hours_planned", "hours_attended"):
				if not 0 <= flt(row.get(field)) <= MONTH_HOURS:
					frappe.throw(
						_("Attendance row {0}: hours must be between 0 and {1}.").format(row.idx, MONTH_HOURS)
					)

	def check_outcome(self):
		if self.status not in ENDED:
			return
		if not self.outcome_date:
			frappe.throw(_("A measure that has ended needs its outcome date."))
		if getdate(self.outcome_date) < getdate(self.start_date):
			frappe.throw(_("The outcome date is before the start of the measure."))
		if getdate(self.outcome_date) > getdate(today()):
			frappe.throw(_("The outcome date cannot be in the future."))
		if self.status == HIRED and not self.contract_type:
			frappe.throw(_("A person hired needs the contract type."))
		if self.status == DROPPED_OUT and not cstr(self.dropout_reason).strip():
			frappe.throw(_("A measure dropped out needs the reason."))

	def check_referral(self):
		"""The referral that led to the measure is this person's."""
		if self.referral and frappe.db.get_value("Referral", self.referral, "citizen") != self.citizen:
			frappe.throw(_("Referral {0} is not one of this person's referrals.").format(self.referral))


def normalise(df, value):
	"""A field's value as saved, whatever the client sent (a date as text, a number as text...)."""
	if df.fieldtype in ("Int", "Check"):
		return int(flt(value))
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return flt(value)
	if df.fieldtype in ("Date",):
		return getdate(value) if value else None
	return cstr(value)


def on_doctype_update():
	frappe.db.add_index("Work Measure", ["provider", "status"])
	frappe.db.add_index("Work Measure", ["host_organisation", "status"])
	frappe.db.add_index("Work Measure", ["status", "end_date"])
