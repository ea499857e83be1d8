"""The vouchers' events for the partners' webhooks (tolink.network.webhooks): a voucher redeemed at
a shop, told to the shop's organisation with what its merchant API answers of the redemption (no
voucher code, no holder)."""

from frappe.utils import flt

from tolink.network import webhooks

REDEEMED = "voucher_redeemed"


def redemption_data(redemption) -> dict:
	return {
		"doctype": "Voucher Redemption",
		"name": redemption.name,
		"programme": redemption.programme,
		"amount": flt(redemption.amount, 2),
		"balance_after": flt(redemption.balance_after, 2),
		"currency": "EUR",
		"redeemed_at": str(redemption.redeemed_at),
	}


def on_redemption(doc, method=None) -> None:
	"""Voucher Redemption after_insert (hooks.py): the shop is told once the redemption commits (a
	redemption rolled back, to its savepoint or whole, sends nothing)."""
	webhooks.emit(doc.merchant, REDEEMED, "Voucher Redemption", doc.name, redemption_data(doc))
