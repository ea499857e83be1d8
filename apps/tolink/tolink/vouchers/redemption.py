"""Shopping vouchers at the till: what a shop may know of a voucher, and redemption.

Called by the merchant API (tolink.api.merchant: check_voucher, redeem_voucher), whose first lines
find the caller's shop (current_merchant) and check what was sent.
Partial redemption is allowed. The same idempotency key returns the first result and never
redeems twice; concurrent redemptions of one voucher never exceed its balance (row lock).
"""

import random
import time

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from tolink.permissions import get_user_provider
from tolink.vouchers import codes

MAX_KEY_LENGTH = 140


def current_merchant() -> str:
	"""The shop the calling user works for; only Merchant users redeem."""
	if "Merchant" not in frappe.get_roles():
		frappe.throw(_("Only shops taking part in a voucher programme can do this."), frappe.PermissionError)
	merchant = get_user_provider()
	if not merchant:
		frappe.throw(
			_("Your user does not belong to any organisation: ask a Network Administrator."),
			frappe.PermissionError,
		)
	return merchant


def find_voucher(code: str, for_update: bool = False):
	"""The voucher of an authentic code, or None (forged, mistyped, unknown)."""
	if not codes.is_authentic(code):
		return None
	name = frappe.db.get_value("Voucher", {"code": codes.canonical(code)}, "name")
	if not name:
		return None
	return frappe.db.get_value(
		"Voucher",
		name,
		["name", "programme", "status", "balance", "value", "expiry_date", "holder_first_name"],
		as_dict=True,
		for_update=for_update,
	)


def refusal(voucher, merchant: str) -> str | None:
	"""Why this shop cannot take this voucher now, or None."""
	if voucher is None:
		return _("Unknown or invalid voucher code.")
	if voucher.status == "Cancelled":
		return _("This voucher was cancelled.")
	if voucher.status == "Expired" or getdate(voucher.expiry_date) < getdate(today()):
		return _("This voucher expired on {0}.").format(frappe.format(voucher.expiry_date, "Date"))
	if voucher.status == "Redeemed" or flt(voucher.balance) <= 0:
		return _("This voucher has been fully used.")
	if not frappe.db.exists(
		"Voucher Programme Merchant",
		{"parent": voucher.programme, "parenttype": "Voucher Programme", "merchant": merchant},
	):
		return _("This voucher belongs to a programme your shop does not take part in.")
	return None


def check(merchant: str, code: str) -> dict:
	"""Is the voucher good at this shop, and what is left: only the holder's first name is told."""
	voucher = find_voucher(code)
	reason = refusal(voucher, merchant)
	if reason:
		# nothing about a voucher this shop may not take: not even that it exists
		return {"valid": False, "reason": reason}
	return {
		"valid": True,
		"balance": flt(voucher.balance, 2),
		"currency": "EUR",
		"expiry_date": str(voucher.expiry_date),
		"first_name": voucher.holder_first_name,
	}


DEADLOCK_RETRIES = 3


def redeem(merchant: str, code: str, amount: float, idempotency_key: str) -> dict:
	"""The shop's redemption of a positive amount (rounded to cents), under a key of at most
	MAX_KEY_LENGTH characters (the endpoint checks both).

	Retried whole when the database picks this transaction as a deadlock victim (the locking
	reads of concurrent redemptions can cross): nothing is written before the checks pass."""
	for attempt in range(DEADLOCK_RETRIES):
		try:
			return _redeem(merchant, code, amount, idempotency_key)
		except frappe.QueryDeadlockError:
			if attempt == DEADLOCK_RETRIES - 1:
				raise
			frappe.db.rollback()
			time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))


def _redeem(merchant: str, code: str, amount: float, idempotency_key: str) -> dict:
	previous = previous_result(merchant, idempotency_key)
	if previous:
		return previous

	voucher = find_voucher(code, for_update=True)  # locks the voucher row until commit
	reason = refusal(voucher, merchant)
	if reason:
		frappe.throw(reason, VoucherRefused)
	# another request with the same key may have committed while this one waited for the lock:
	# a locking read sees it (a plain read would see this transaction's older snapshot)
	previous = previous_result(merchant, idempotency_key, for_update=True)
	if previous:
		return previous
	if amount > flt(voucher.balance):
		frappe.throw(
			_("The amount {0} is above the voucher's balance of {1}.").format(
				frappe.format(amount, "Currency"), frappe.format(voucher.balance, "Currency")
			),
			VoucherRefused,
		)
	balance = flt(flt(voucher.balance) - amount, 2)
	redemption = frappe.get_doc(
		{
			"doctype": "Voucher Redemption",
			"voucher": voucher.name,
			"programme": voucher.programme,
			"merchant": merchant,
			"amount": amount,
			"balance_after": balance,
			"redeemed_at": now_datetime(),
			"redeemed_by": frappe.session.user,
			"idempotency_key": idempotency_key,
		}
	)
	# the caller's right was checked (the endpoint: a Merchant user of this shop; refusal(): a shop
	# of the voucher's programme); the record is written from server-side values only
	frappe.db.savepoint("tolink_redeem")
	try:
		redemption.insert(ignore_permissions=True)
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# the same key used at the same moment on another voucher: the unique index decides
		frappe.db.rollback(save_point="tolink_redeem")
		previous = previous_result(merchant, idempotency_key, for_update=True)
		if previous:
			return previous
		raise
	frappe.db.set_value(
		"Voucher",
		voucher.name,
		{"balance": balance, "status": "Redeemed" if balance <= 0 else "Partially Redeemed"},
		update_modified=True,
	)
	return result_of(redemption)


def previous_result(merchant: str, idempotency_key: str, for_update: bool = False) -> dict | None:
	row = frappe.db.get_value(
		"Voucher Redemption",
		{"merchant": merchant, "idempotency_key": idempotency_key},
		["name", "amount", "balance_after", "redeemed_at"],
		as_dict=True,
		for_update=for_update,
	)
	return result_of(row) if row else None


def result_of(redemption) -> dict:
	return {
		"redemption": redemption.name,
		"amount": flt(redemption.amount, 2),
		"balance": flt(redemption.balance_after, 2),
		"currency": "EUR",
		"redeemed_at": str(redemption.redeemed_at),
	}


class VoucherRefused(frappe.ValidationError):
	pass
