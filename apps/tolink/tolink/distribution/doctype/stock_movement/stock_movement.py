# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

from tolink.distribution import stock
from tolink.distribution.permissions import check_hub_access


class StockMovement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.stock_movement_item.stock_movement_item import StockMovementItem

		amended_from: DF.Link | None
		hub: DF.Link
		items: DF.Table[StockMovementItem]
		movement_type: DF.Literal[
			"Receipt", "Transfer", "Distribution", "Adjustment In", "Adjustment Out", "Expiry Write-off"
		]
		posting_datetime: DF.Datetime
		provider: DF.Link | None
		reason: DF.SmallText | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		source: DF.Literal["", "Donation", "Food bank", "Purchase", "Other"]
		target_hub: DF.Link | None
	# end: auto-generated types

	def validate(self):
		check_hub_access(self.hub)
		self.provider = frappe.db.get_value("Distribution Hub", self.hub, "provider")
		self.check_posting_datetime()
		self.check_type_rules()
		self.check_rows()

	def check_posting_datetime(self):
		"""Stock moves when it moves: a posting ahead of time would count goods not yet there."""
		if self.posting_datetime and get_datetime(self.posting_datetime) > add_to_date(
			now_datetime(), minutes=CLOCK_TOLERANCE_MINUTES
		):
			frappe.throw(
				_("{0} cannot be in the future.").format(_(self.meta.get_label("posting_datetime"))),
				MovementError,
			)

	def check_type_rules(self):
		if (
			self.movement_type in ("Adjustment In", "Adjustment Out", "Expiry Write-off")
			and not (self.reason or "").strip()
		):
			frappe.throw(_("An adjustment or write-off needs a reason."), MovementError)
		if self.movement_type == "Transfer":
			if not self.target_hub or self.target_hub == self.hub:
				frappe.throw(_("A transfer goes to another hub."), MovementError)
		else:
			self.target_hub = None

	def check_rows(self):
		perishable = set(
			frappe.get_all(
				"Aid Item",
				filters={"name": ("in", [r.aid_item for r in self.items]), "is_perishable": 1},
				pluck="name",
			)
		)
		for row in self.items:
			if row.qty <= 0:
				frappe.throw(_("Row {0}: the quantity must be positive.").format(row.idx), MovementError)
			if self.movement_type == "Receipt" and row.aid_item in perishable and not row.expiry_date:
				frappe.throw(
					_("Row {0}: {1} is perishable: enter the lot's expiry date.").format(
						row.idx, _(row.aid_item)
					),
					MovementError,
				)

	def on_submit(self):
		rows = [
			{"aid_item": r.aid_item, "qty": r.qty, "lot": r.lot, "expiry_date": r.expiry_date}
			for r in self.items
		]
		posted = stock.post(
			self.movement_type,
			self.hub,
			rows,
			self.posting_datetime,
			self.name,
			self.provider,
			include_expired=self.movement_type == "Expiry Write-off",
		)
		if self.movement_type == "Transfer":
			stock.post(
				"Receipt",
				self.target_hub,
				posted,
				self.posting_datetime,
				self.name,
				frappe.db.get_value("Distribution Hub", self.target_hub, "provider"),
			)

	def on_cancel(self):
		frappe.throw(
			_("Stock movements cannot be cancelled: correct a mistake with a new adjustment."), MovementError
		)


# a form filled in a few minutes ago, on a clock slightly ahead, is not "in the future"
CLOCK_TOLERANCE_MINUTES = 15


class MovementError(frappe.ValidationError):
	pass
