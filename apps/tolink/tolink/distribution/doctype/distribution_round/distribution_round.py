# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from tolink.distribution.enrolment import enrol_round_households, households_for_round
from tolink.distribution.permissions import check_hub_access


class DistributionRound(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.round_household.round_household import RoundHousehold

		from_date: DF.Date
		funding_programme: DF.Link | None
		households: DF.Table[RoundHousehold]
		hub: DF.Link
		missed_checked: DF.Check
		provider: DF.Link | None
		status: DF.Literal["Planned", "Open", "Closed"]
		to_date: DF.Date
	# end: auto-generated types

	def before_insert(self):
		self.missed_checked = 0
		if not self.households:
			self.add_listed_households()

	def add_listed_households(self) -> int:
		"""The households on the hub's list (tolink.distribution.enrolment) not yet in the round."""
		check_hub_access(self.hub)
		present = {row.household for row in self.households}
		added = 0
		for row in households_for_round(self.hub):
			if row.household not in present:
				self.append(
					"households", {"household": row.household, "parcel_template": row.parcel_template}
				)
				present.add(row.household)
				added += 1
		return added

	def on_update(self):
		enrol_round_households(self)

	def validate(self):
		if not self.flags.ignore_permissions:
			check_hub_access(self.hub)
		self.provider = frappe.db.get_value("Distribution Hub", self.hub, "provider")
		if getdate(self.from_date) > getdate(self.to_date):
			frappe.throw(_("The round cannot end before it starts."))
		households = [h.household for h in self.households]
		if len(households) != len(set(households)):
			frappe.throw(_("A household is listed twice."))
		info = {
			h.name: h
			for h in frappe.get_all(
				"Household",
				filters={"name": ("in", households)},
				fields=["name", "household_name", "household_size"],
			)
		}
		for row in self.households:
			row.household_name = info[row.household].household_name if row.household in info else None
			row.household_size = info[row.household].household_size if row.household in info else None
