# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class VoucherProgramme(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.network.doctype.service_district.service_district import ServiceDistrict
		from tolink.vouchers.doctype.voucher_amount_rule.voucher_amount_rule import VoucherAmountRule
		from tolink.vouchers.doctype.voucher_programme_merchant.voucher_programme_merchant import (
			VoucherProgrammeMerchant,
		)

		amount_rules: DF.Table[VoucherAmountRule]
		budget: DF.Currency
		districts: DF.TableMultiSelect[ServiceDistrict]
		escalation_days: DF.Int
		funding_programme: DF.Link | None
		funding_source: DF.Data | None
		issued_amount: DF.Currency
		max_household_size: DF.Int
		max_isee: DF.Currency
		merchants: DF.TableMultiSelect[VoucherProgrammeMerchant]
		min_household_size: DF.Int
		programme_name: DF.Data
		provider: DF.Link
		residency_required: DF.Check
		status: DF.Literal["Active", "Closed"]
		valid_from: DF.Date
		valid_to: DF.Date
		validity_days: DF.Int
	# end: auto-generated types

	def validate(self):
		self.check_rules()
		self.check_amounts()

	def check_rules(self):
		for field in ("max_isee", "min_household_size", "max_household_size"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if (
			self.min_household_size
			and self.max_household_size
			and self.min_household_size > self.max_household_size
		):
			frappe.throw(_("The minimum household size is above the maximum."))

	def check_amounts(self):
		if getdate(self.valid_from) > getdate(self.valid_to):
			frappe.throw(_("The programme cannot end before it starts."))
		if self.budget <= 0:
			frappe.throw(_("The budget must be positive."))
		if self.validity_days < 1:
			frappe.throw(_("Vouchers must be valid for at least one day."))
		if (self.escalation_days or 0) < 1:
			frappe.throw(_("Applications are escalated after one day at least."))
		sizes = [r.household_size for r in self.amount_rules]
		if len(sizes) != len(set(sizes)) or any(s < 1 for s in sizes):
			frappe.throw(_("Each household size appears once, from 1 up."))
		if any(r.amount <= 0 for r in self.amount_rules):
			frappe.throw(_("Voucher amounts must be positive."))
		if not self.is_new() and self.budget < (self.issued_amount or 0):
			frappe.throw(
				_("The budget cannot go below what is already issued ({0}).").format(
					frappe.format(self.issued_amount, "Currency")
				)
			)

	def amount_for(self, household_size: int) -> float:
		"""The amount of the largest size row not above the household's size."""
		amount = self.amount_or_none(household_size)
		if amount is None:
			frappe.throw(_("The programme gives no amount for a household of {0}.").format(household_size))
		return amount

	def amount_or_none(self, household_size: int) -> float | None:
		"""The same, None when no row applies (a smaller household than the programme's first row)."""
		amount = None
		for r in sorted(self.amount_rules, key=lambda r: r.household_size):
			if r.household_size <= household_size:
				amount = r.amount
		return amount

	def eligibility_rules(self) -> dict:
		"""The programme's rules in the shape tolink.network.eligibility evaluates (as services)."""
		return {
			"status": "Active" if self.status == "Active" else "Closed",
			"max_isee": self.max_isee,
			"min_household_size": self.min_household_size,
			"max_household_size": self.max_household_size,
			"residency_required": self.residency_required,
			"districts": [d.district for d in self.districts],
		}

	def accepts(self, merchant: str) -> bool:
		return merchant in {m.merchant for m in self.merchants}
