# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt, getdate, today

from tolink.pathways.doctype.housing_situation.housing_situation import record_social_housing
from tolink.pathways.plan_link import check_plan_of, sync_plan_action

# The statuses of an application (the options of its Select): tolink/tests/test_statuses.py
STATUSES = ("Draft", "Submitted", "Ranked", "Assigned", "Rejected", "Withdrawn")
# waiting for a home: counted on the workspace
OPEN = ("Submitted", "Ranked")
# decided: never reopened
FINAL = ("Assigned", "Rejected", "Withdrawn")
RANKED = "Ranked"
ASSIGNED = "Assigned"
# a final status that needs its reason
WITH_REASON = tuple(s for s in FINAL if s != ASSIGNED)


class SocialHousingApplication(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		application_date: DF.Date
		assigned_address: DF.SmallText | None
		assigned_on: DF.Date | None
		call_name: DF.Data | None
		household: DF.Link
		household_name: DF.Data | None
		protocol_number: DF.Data | None
		provider: DF.Link | None
		ranking_date: DF.Date | None
		ranking_position: DF.Int
		ranking_score: DF.Float
		rejection_reason: DF.SmallText | None
		status: DF.Literal["Draft", "Submitted", "Ranked", "Assigned", "Rejected", "Withdrawn"]
		welfare_plan: DF.Link | None
	# end: auto-generated types

	def validate(self):
		self.check_dates()
		self.check_ranking()
		self.check_decision()
		check_plan_of(self)

	def on_update(self):
		if self.status == ASSIGNED and self.has_value_changed("status"):
			record_social_housing(self.household, self.assigned_on, self.provider)
		sync_plan_action(
			self.welfare_plan,
			self.name,
			_("Social housing application {0}").format(self.name),
			None,
			done=self.status in FINAL,
		)

	def check_dates(self):
		now = getdate(today())
		applied = getdate(self.application_date)
		if applied > now:
			frappe.throw(_("The application date cannot be in the future."))
		for field in ("ranking_date", "assigned_on"):
			if self.get(field):
				day = getdate(self.get(field))
				if day < applied:
					frappe.throw(
						_("{0} is before the application date.").format(_(self.meta.get_label(field)))
					)
				if day > now:
					frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label(field))))
		if self.ranking_date and self.assigned_on and getdate(self.assigned_on) < getdate(self.ranking_date):
			frappe.throw(_("The assignment is before the ranking."))
		before = self.get_doc_before_save()
		if before and before.status in FINAL and self.status != before.status:
			frappe.throw(_("A decided application cannot change status: submit a new one."))

	def check_ranking(self):
		if cint(self.ranking_position) < 0 or flt(self.ranking_score) < 0:
			frappe.throw(_("The ranking position and score cannot be negative."))
		if self.status == RANKED and not (cint(self.ranking_position) and self.ranking_date):
			frappe.throw(_("A ranked application needs its position and the ranking date."))

	def check_decision(self):
		if self.status == ASSIGNED and not self.assigned_on:
			frappe.throw(_("An assigned home needs the date of the assignment."))
		if self.status in WITH_REASON and not cstr(self.rejection_reason).strip():
			frappe.throw(_("Give the reason the application was {0}.").format(_(self.status).lower()))


def on_doctype_update():
	frappe.db.add_index("Social Housing Application", ["provider", "status"])
