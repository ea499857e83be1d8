# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, flt, getdate, today

from tolink.vouchers import codes, eligibility

# The statuses of a voucher (the options of its Select field) and the sets of them the app reads:
# defined here only (tolink/tests/test_statuses.py holds them against voucher.json).
STATUSES = ("Issued", "Partially Redeemed", "Redeemed", "Expired", "Cancelled")
# can still be spent (and so cancelled, or expire)
IN_USE = ("Issued", "Partially Redeemed")


class Voucher(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		balance: DF.Currency
		cancellation_reason: DF.SmallText | None
		code: DF.Data | None
		expiry_date: DF.Date | None
		head_of_household: DF.Link | None
		holder_first_name: DF.Data | None
		household: DF.Link
		issue_date: DF.Date | None
		programme: DF.Link
		provider: DF.Link | None
		status: DF.Literal["Issued", "Partially Redeemed", "Redeemed", "Expired", "Cancelled"]
		value: DF.Currency
	# end: auto-generated types

	def before_insert(self):
		self.issue()

	def validate(self):
		self.check_value_unchanged()
		self.check_balance()

	def check_value_unchanged(self):
		if not self.is_new() and self.has_value_changed("value"):
			frappe.throw(_("The value of an issued voucher cannot change: cancel it and issue another."))

	def check_balance(self):
		if flt(self.value) <= 0 or not (0 <= flt(self.balance) <= flt(self.value)):
			frappe.throw(_("A voucher's value is positive and its balance between zero and that value."))

	def issue(self):
		"""Amount by household size, eligibility with the services' rules, consent, one voucher in use
		per programme (tolink.vouchers.eligibility, the rules written once), then the budget."""
		programme = frappe.get_doc("Voucher Programme", self.programme)
		household = eligibility.HouseholdFacts.load(self.household, IN_USE)
		result = eligibility.assess(programme, household, check_budget=False)
		if not result.eligible:
			frappe.throw(
				_("Not eligible for {0}: {1}").format(frappe.bold(self.programme), "; ".join(result.reasons)),
				VoucherError,
			)
		self.value = result.amount
		self.reserve_budget(programme)
		self.head_of_household = household.head
		self.holder_first_name = frappe.db.get_value("Citizen", household.head, "first_name")
		self.balance = self.value
		self.status = "Issued"
		self.issue_date = today()
		self.expiry_date = add_days(today(), programme.validity_days)
		self.code = codes.new_code()

	def before_save(self):
		self.set_organisation_of_application()

	def set_organisation_of_application(self):
		"""A voucher issued on an approved application belongs to the organisation that proposed it
		(it holds the household and hands the voucher over), not to the approver's: set by the app
		alone (issue_for_application), after the policy's own organisation rule ran in validate."""
		if self.is_new() and self.flags.organisation_of_application:
			self.provider = self.flags.organisation_of_application

	def reserve_budget(self, programme):
		"""The programme row is locked, so two operators cannot both issue the last euros."""
		issued = flt(
			frappe.db.get_value("Voucher Programme", self.programme, "issued_amount", for_update=True)
		)
		if issued + flt(self.value) > flt(programme.budget):
			frappe.throw(
				_("Budget exhausted: {0} of {1} already issued, this voucher needs {2}.").format(
					frappe.format(issued, "Currency"),
					frappe.format(programme.budget, "Currency"),
					frappe.format(self.value, "Currency"),
				),
				BudgetExceededError,
			)
		frappe.db.set_value("Voucher Programme", self.programme, "issued_amount", issued + flt(self.value))

	@frappe.whitelist(methods=["POST"])
	def cancel_voucher(self, reason: str):
		self.check_permission("write")
		if self.status not in IN_USE:
			frappe.throw(_("Only a voucher in use can be cancelled."))
		if not (reason or "").strip():
			frappe.throw(_("Record why the voucher is cancelled."))
		issued = flt(
			frappe.db.get_value("Voucher Programme", self.programme, "issued_amount", for_update=True)
		)
		frappe.db.set_value("Voucher Programme", self.programme, "issued_amount", issued - flt(self.balance))
		self.status = "Cancelled"
		self.cancellation_reason = reason.strip()
		self.save()


class VoucherError(frappe.ValidationError):
	pass


class BudgetExceededError(VoucherError):
	pass


def issue_for_application(programme: str, household: str, provider: str) -> "Voucher":
	"""The voucher of an approved application (tolink.vouchers.doctype.voucher_application), issued
	through the same path as by hand: every rule and the budget on the locked programme row. The
	approver's rights were checked on the application; the voucher belongs to the organisation that
	proposed it."""
	doc = frappe.get_doc({"doctype": "Voucher", "programme": programme, "household": household})
	doc.flags.organisation_of_application = provider
	return doc.insert(ignore_permissions=True)


def expire_vouchers() -> int:
	"""Daily: vouchers past their expiry date expire; what was not spent returns to the budget."""
	voucher = frappe.qb.DocType("Voucher")
	rows = (
		frappe.qb.from_(voucher)
		.select(voucher.name)
		.where(voucher.status.isin(IN_USE) & (voucher.expiry_date < today()))
		.run(pluck=True)
	)
	for name in rows:
		doc = frappe.get_doc("Voucher", name, for_update=True)
		if doc.status in IN_USE and getdate(doc.expiry_date) < getdate(today()):
			issued = flt(
				frappe.db.get_value("Voucher Programme", doc.programme, "issued_amount", for_update=True)
			)
			frappe.db.set_value(
				"Voucher Programme", doc.programme, "issued_amount", issued - flt(doc.balance)
			)
			doc.db_set("status", "Expired")
	return len(rows)


def on_doctype_update():
	frappe.db.add_index("Voucher", ["household", "programme", "status"])
	frappe.db.add_index("Voucher", ["status", "expiry_date"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Voucher", ["provider", "modified"])
	# the workspace's count of an organisation's vouchers in use
	frappe.db.add_index("Voucher", ["provider", "status"])
	# the number card of the month's vouchers: an organisation's, or the network's
	frappe.db.add_index("Voucher", ["provider", "issue_date"])
	frappe.db.add_index("Voucher", ["issue_date"])
