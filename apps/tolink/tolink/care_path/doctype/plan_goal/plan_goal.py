# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PlanGoal(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		area: DF.Literal["", "Work", "Housing", "Family", "Income", "Health"]
		goal: DF.SmallText
		goal_status: DF.Literal["Open", "Achieved", "Partly achieved", "Not achieved", "Dropped"]
		outcome: DF.SmallText | None
		target_date: DF.Date | None
	# end: auto-generated types

	pass
