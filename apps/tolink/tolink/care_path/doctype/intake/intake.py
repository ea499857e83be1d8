# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from tolink.care_path.matching import suggest_for_needs
from tolink.care_path.overview import citizen_overview


class Intake(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.care_path.doctype.intake_need.intake_need import IntakeNeed

		channel: DF.Literal["Front office", "Helpline", "Social services referral", "Outreach"]
		citizen: DF.Link
		citizen_name: DF.Data | None
		helpline_call: DF.Link | None
		household: DF.Link | None
		information_given: DF.SmallText | None
		intake_date: DF.Date
		needs: DF.Table[IntakeNeed]
		next_step: DF.Literal["", "Orientation", "Referral", "Aid request", "Information only", "Closed"]
		notes: DF.SmallText | None
		operator: DF.Link | None
		provider: DF.Link
		status: DF.Literal["Open", "In orientation", "Closed"]
	# end: auto-generated types

	def before_insert(self):
		self.operator = frappe.session.user

	def validate(self):
		self.check_intake_date()
		self.check_needs()

	def check_intake_date(self):
		if self.intake_date and getdate(self.intake_date) > getdate(today()):
			frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label("intake_date"))))
		self.set_household()

	def check_needs(self):
		if not self.needs:
			frappe.throw(_("Record at least one need."))
		seen = set()
		for row in self.needs:
			if row.need_category in seen:
				frappe.throw(
					_("Row {0}: the need {1} is listed twice.").format(row.idx, _(row.need_category))
				)
			seen.add(row.need_category)

	def set_household(self):
		if not self.household:
			self.household = frappe.db.get_value("Citizen", self.citizen, "household")

	def onload(self):
		# what the network knows of the person: for those who may read the person's record
		frappe.has_permission("Citizen", "read", doc=self.citizen, throw=True)
		self.set_onload("overview", citizen_overview(self.citizen))

	def suggested_services(self) -> list[dict]:
		"""For every need, the services that could answer it, each marked eligible or not with the
		reasons in plain Italian, best fit first (tolink.api.desk.suggest_services)."""

		needs = [row.need_category for row in self.needs]
		suggestions = suggest_for_needs(self.citizen, list(dict.fromkeys(needs)))
		by_need = {s["need_category"]: s for s in suggestions}
		return [
			{
				"need_category": row.need_category,
				"urgency": row.urgency,
				"description": row.description,
				"services": by_need.get(row.need_category, {}).get("services", []),
			}
			for row in self.needs
		]


def on_doctype_update():
	frappe.db.add_index("Intake", ["citizen", "intake_date"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Intake", ["provider", "modified"])
	# the workspace's count of an organisation's open intakes
	frappe.db.add_index("Intake", ["provider", "status"])
	# the number card of the day's intakes: an organisation's, or the network's
	frappe.db.add_index("Intake", ["intake_date", "provider"])
