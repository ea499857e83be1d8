# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, flt, getdate, today

from tolink.pathways.history import check_periods, record_change

TENURES = ("Owned", "Rented", "Social housing", "Hosted", "Temporary accommodation", "Precarious", "Homeless")
SOCIAL_HOUSING = "Social housing"
# The statuses of an eviction (the options of its Select): tolink/tests/test_statuses.py
EVICTION_STATUSES = (
	"Notice served",
	"Hearing scheduled",
	"Execution scheduled",
	"Executed",
	"Suspended",
	"Averted",
)
# still ahead of the household: alerts, eligibility (Household.eviction_pending), the workspace
EVICTION_PENDING = ("Notice served", "Hearing scheduled", "Execution scheduled")
EXECUTED = "Executed"
AVERTED = "Averted"
# the dates of an eviction the case manager is alerted of, in its order
EVICTION_DATES = ("eviction_notice_date", "eviction_hearing_date", "eviction_execution_date")
# how many days ahead a hearing or an execution is alerted and counted on the workspace
ALERT_DAYS = 30


class HousingSituation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.pathways.doctype.housing_situation_period.housing_situation_period import (
			HousingSituationPeriod,
		)

		arrears_amount: DF.Currency
		arrears_months: DF.Int
		eviction_alerted_dates: DF.SmallText | None
		eviction_execution_date: DF.Date | None
		eviction_hearing_date: DF.Date | None
		eviction_notice_date: DF.Date | None
		eviction_pending: DF.Check
		eviction_status: DF.Literal[
			"",
			"Notice served",
			"Hearing scheduled",
			"Execution scheduled",
			"Executed",
			"Suspended",
			"Averted",
		]
		history: DF.Table[HousingSituationPeriod]
		household: DF.Link
		household_name: DF.Data | None
		monthly_rent: DF.Currency
		morosita_fund_requested_on: DF.Date | None
		morosita_incolpevole: DF.Check
		next_eviction_date: DF.Date | None
		overcrowded: DF.Check
		provider: DF.Link | None
		rooms: DF.Int
		temporary_accommodation: DF.Data | None
		temporary_from: DF.Date | None
		temporary_to: DF.Date | None
		tenure: DF.Literal[
			"Owned", "Rented", "Social housing", "Hosted", "Temporary accommodation", "Precarious", "Homeless"
		]
		tenure_since: DF.Date
	# end: auto-generated types

	def validate(self):
		self.check_amounts()
		self.check_dates()
		self.check_eviction()
		record_change(self, "tenure", "tenure_since", _("tenure"))
		check_periods(self, "tenure", _("Housing history"))
		self.set_eviction_facts()

	def on_update(self):
		self.update_household()

	def on_trash(self):
		frappe.db.set_value("Household", self.household, "eviction_pending", 0, update_modified=False)

	def check_amounts(self):
		for field in ("rooms", "monthly_rent", "arrears_amount", "arrears_months"):
			if flt(self.get(field)) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))

	def check_dates(self):
		now = getdate(today())
		for field in ("tenure_since", "eviction_notice_date", "morosita_fund_requested_on"):
			if self.get(field) and getdate(self.get(field)) > now:
				frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label(field))))
		if (
			self.temporary_from
			and self.temporary_to
			and getdate(self.temporary_to) < getdate(self.temporary_from)
		):
			frappe.throw(_("The temporary accommodation ends before it starts."))
		if (self.temporary_from or self.temporary_to) and not self.temporary_accommodation:
			frappe.throw(_("Say where the temporary accommodation is."))

	def check_eviction(self):
		notice, hearing, execution = (getdate(self.get(f)) if self.get(f) else None for f in EVICTION_DATES)
		if not self.eviction_status:
			if notice or hearing or execution:
				frappe.throw(_("Choose the status of the eviction whose dates are given."))
			return
		if not notice:
			frappe.throw(_("An eviction needs the date of the notice."))
		if hearing and hearing < notice:
			frappe.throw(_("The hearing date is before the notice date."))
		if execution and execution < notice:
			frappe.throw(_("The execution date is before the notice date."))
		if execution and hearing and execution < hearing:
			frappe.throw(_("The execution date is before the hearing date."))
		if self.eviction_status == "Hearing scheduled" and not hearing:
			frappe.throw(_("A hearing scheduled needs its date."))
		if self.eviction_status == "Execution scheduled" and not execution:
			frappe.throw(_("An execution scheduled needs its date."))
		if self.eviction_status == EXECUTED and (not execution or execution > getdate(today())):
			frappe.throw(_("An executed eviction needs its execution date, not in the future."))
		if self.morosita_fund_requested_on and not self.morosita_incolpevole:
			frappe.throw(
				_("The fund for morosità incolpevole is for arrears through no fault: tick it first.")
			)

	def set_eviction_facts(self):
		self.eviction_pending = int(self.eviction_status in EVICTION_PENDING)
		self.next_eviction_date = next_eviction_date(self)

	def update_household(self):
		"""Eligibility reads whether an eviction is pending from the Household (tolink.registry.profile)."""
		frappe.db.set_value(
			"Household", self.household, "eviction_pending", self.eviction_pending, update_modified=False
		)


def next_eviction_date(doc, on_date=None):
	"""The next notice, hearing or execution date of a pending eviction, from the day on."""
	if doc.get("eviction_status") not in EVICTION_PENDING:
		return None
	day = getdate(on_date or today())
	ahead = [getdate(doc.get(f)) for f in EVICTION_DATES if doc.get(f) and getdate(doc.get(f)) >= day]
	return min(ahead) if ahead else None


def upcoming_eviction_dates(doc, on_date=None) -> list[tuple[str, object]]:
	"""(field, date) of the pending eviction's dates within ALERT_DAYS from the day."""
	if doc.get("eviction_status") not in EVICTION_PENDING:
		return []
	day = getdate(on_date or today())
	until = add_days(day, ALERT_DAYS)
	return [
		(f, getdate(doc.get(f)))
		for f in EVICTION_DATES
		if doc.get(f) and day <= getdate(doc.get(f)) <= getdate(until)
	]


def record_social_housing(household: str, assigned_on, provider: str) -> None:
	"""A social-housing assignment: the household's tenure is social housing from that day and a
	pending eviction is averted (the app's own write, after the application's checks)."""
	name = frappe.db.get_value("Housing Situation", {"household": household}, "name")
	if name:
		doc = frappe.get_doc("Housing Situation", name)
		if doc.tenure == SOCIAL_HOUSING:
			return
	else:
		doc = frappe.get_doc({"doctype": "Housing Situation", "household": household, "provider": provider})
	doc.tenure = SOCIAL_HOUSING
	doc.tenure_since = min(getdate(assigned_on), getdate(today()))
	if doc.get("history"):
		last = max(doc.history, key=lambda r: getdate(r.from_date))
		if not last.to_date and getdate(doc.tenure_since) <= getdate(last.from_date):
			doc.tenure_since = add_days(last.from_date, 1)
	if doc.eviction_status in EVICTION_PENDING:
		doc.eviction_status = AVERTED
	doc.flags.ignore_permissions = True
	doc.save()


def on_doctype_update():
	frappe.db.add_index("Housing Situation", ["eviction_pending", "next_eviction_date"])
	# the eviction alert finds the household's case managers by its plans (tolink.pathways.alerts)
	frappe.db.add_index("Welfare Plan", ["household"])
	frappe.db.add_index("Welfare Plan", ["citizen"])
