# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from tolink.distribution import enrolment, stock
from tolink.distribution.collection import already_collected, describe
from tolink.distribution.permissions import check_hub_access


class ParcelDelivery(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.distribution.doctype.parcel_delivery_item.parcel_delivery_item import ParcelDeliveryItem

		amended_from: DF.Link | None
		delivery_date: DF.Date
		delivery_mode: DF.Literal["At the counter", "Home delivery"]
		distribution_round: DF.Link | None
		double_collection_warning: DF.SmallText | None
		household: DF.Link
		household_size: DF.Int
		hub: DF.Link
		items: DF.Table[ParcelDeliveryItem]
		override_double_collection: DF.Check
		override_reason: DF.SmallText | None
		parcel_template: DF.Link | None
		provider: DF.Link | None
		status: DF.Literal["Draft", "Delivered", "Cancelled"]
	# end: auto-generated types

	def validate(self):
		check_hub_access(self.hub)
		self.provider = frappe.db.get_value("Distribution Hub", self.hub, "provider")
		self.household_size = frappe.db.get_value("Household", self.household, "household_size") or 1
		self.check_delivery_date()
		self.fill_from_template()
		self.check_quantities()
		self.check_double_collection()
		self.check_override()

	def check_delivery_date(self):
		"""A delivery is recorded when the parcel is handed out, not ahead."""
		if self.delivery_date and getdate(self.delivery_date) > getdate(today()):
			frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label("delivery_date"))))

	def check_quantities(self):
		for row in self.items:
			if (row.qty or 0) <= 0:
				frappe.throw(_("Row {0}: the quantity must be positive.").format(row.idx))

	def fill_from_template(self):
		if self.items or not self.parcel_template:
			return
		for row in frappe.get_doc("Parcel Template", self.parcel_template).items:
			self.append("items", {"aid_item": row.aid_item, "qty": row.qty})
		if not self.items:
			frappe.throw(_("Record the items handed out."))

	def check_double_collection(self):
		previous = already_collected(
			self.household, self.delivery_date, self.distribution_round, exclude=self.name
		)
		self.double_collection_warning = describe(previous) if previous else None

	def check_override(self):
		if not self.override_double_collection:
			self.override_reason = None
			return
		if "Hub Manager" not in frappe.get_roles() and "Network Administrator" not in frappe.get_roles():
			frappe.throw(
				_("Only a Hub Manager can hand out a second parcel in the same period."),
				frappe.PermissionError,
			)
		if not (self.override_reason or "").strip():
			frappe.throw(_("Record why a second parcel is handed out."))

	def before_submit(self):
		if self.double_collection_warning and not self.override_double_collection:
			frappe.throw(
				_(
					"This household already collected in this period: {0}. A Hub Manager can hand out anyway, with a reason."
				).format(self.double_collection_warning),
				DoubleCollectionError,
				title=_("Already collected"),
			)
		self.status = "Delivered"

	def on_submit(self):
		rows = [{"aid_item": r.aid_item, "qty": r.qty} for r in self.items]
		# the ledger entries name this delivery, so the stock history shows who received what
		stock.post("Distribution", self.hub, rows, None, None, self.provider, reference=self.name)
		if self.distribution_round:
			rh = frappe.qb.DocType("Round Household")
			frappe.qb.update(rh).set(rh.collected, 1).where(
				(rh.parent == self.distribution_round) & (rh.household == self.household)
			).run()
		enrolment.record_collection(self)

	def on_cancel(self):
		frappe.throw(_("A delivery cannot be cancelled: correct the stock with an adjustment."))


class DoubleCollectionError(frappe.ValidationError):
	pass


def on_doctype_update():
	frappe.db.add_index("Parcel Delivery", ["household", "delivery_date"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Parcel Delivery", ["provider", "modified"])
	# the number card and chart of a week's deliveries: an organisation's hubs, or the network's
	frappe.db.add_index("Parcel Delivery", ["provider", "delivery_date"])
	frappe.db.add_index("Parcel Delivery", ["delivery_date"])
