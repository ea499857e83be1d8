# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, formatdate, getdate

# The funds a programme is paid from (the options of its Select)
FUNDS = (
	"ESF+",
	"ESF+ material deprivation",
	"ERDF",
	"NRRP",
	"National funds",
	"Regional funds",
	"Municipal funds",
	"Other",
)


class FundingProgramme(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		from_date: DF.Date
		fund: DF.Literal[
			"ESF+",
			"ESF+ material deprivation",
			"ERDF",
			"NRRP",
			"National funds",
			"Regional funds",
			"Municipal funds",
			"Other",
		]
		is_active: DF.Check
		managing_body: DF.Data
		priority_code: DF.Data | None
		programme_code: DF.Data
		programme_name: DF.Data
		to_date: DF.Date
	# end: auto-generated types

	def validate(self):
		self.clean_codes()
		self.check_period()

	def clean_codes(self):
		self.programme_code = cstr(self.programme_code).strip()
		self.priority_code = cstr(self.priority_code).strip() or None
		if not self.programme_code:
			frappe.throw(_("Give the programme a short code."))

	def check_period(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(
				_("The programme's period ends on {0}, before it starts ({1}).").format(
					formatdate(self.to_date, "dd/MM/yyyy"), formatdate(self.from_date, "dd/MM/yyyy")
				)
			)
		before = self.get_doc_before_save()
		if before and (before.from_date != self.from_date or before.to_date != self.to_date):
			self.check_participations_in_period()

	def check_participations_in_period(self):
		"""A shorter period must still hold the participations already recorded in it."""
		p = frappe.qb.DocType("Participation")
		outside = (
			frappe.qb.from_(p)
			.select(p.name)
			.where(
				(p.funding_programme == self.name)
				& ((p.entry_date < self.from_date) | (p.entry_date > self.to_date))
			)
			.limit(1)
			.run(pluck=True)
		)
		if outside:
			frappe.throw(
				_("Participation {0} starts outside the new period: the period cannot leave it out.").format(
					outside[0]
				)
			)


def active_programme(name: str):
	"""The programme's period and whether it is active (None: no such programme)."""
	return frappe.db.get_value(
		"Funding Programme", name, ["name", "from_date", "to_date", "is_active"], as_dict=True
	)
