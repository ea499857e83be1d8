# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time


class DistributionHub(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.hub_opening_hours.hub_opening_hours import HubOpeningHours
		from tolink.distribution.doctype.hub_staff.hub_staff import HubStaff

		address: DF.SmallText | None
		books_slots: DF.Check
		district: DF.Link
		hub_name: DF.Data
		is_active: DF.Check
		opening_hours: DF.Table[HubOpeningHours]
		provider: DF.Link | None
		staff: DF.Table[HubStaff]
	# end: auto-generated types

	def validate(self):
		for row in self.opening_hours:
			if get_time(row.opens_at) >= get_time(row.closes_at):
				frappe.throw(_("Opening hours row {0}: opening must be before closing.").format(row.idx))
		users = [s.user for s in self.staff]
		if len(users) != len(set(users)):
			frappe.throw(_("A person is listed twice among the staff."))
