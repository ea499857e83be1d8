"""Texts of the print format "Buono Spesa" (Jinja in JSON is not scanned for translations)."""

from frappe import _lt

PRINT_TEXTS = (
	_lt("Shopping voucher"),
	_lt(
		"Spendable only at the shops taking part in the programme, until the expiry date. Partial use is "
		"allowed: the shop tells you the remaining balance. Not convertible into cash."
	),
)
