"""The shops' API for shopping vouchers (buoni spesa): `/api/method/tolink.api.merchant.<name>`.

Shops authenticate with their merchant user's API key (`Authorization: token KEY:SECRET`).
- GET  check_voucher?code=...                     valid? balance? holder's first name only
- POST redeem_voucher {code, amount, idempotency_key}
Described in docs/openapi.yaml (generated from these declarations: `bench --site SITE
tolink-openapi`) and the README. The work is done by tolink.vouchers.redemption.
"""

import frappe
from frappe import _
from frappe.utils import flt

from tolink.api import endpoint
from tolink.permissions.allowlist import MERCHANT
from tolink.vouchers import redemption

CODE = {
	"description": "As printed or read from the QR; dashes, spaces and case do not matter.",
	"example": "ABCD-EFGH-JKLM-NPQRST",
}


@endpoint(
	"merchant",
	MERCHANT,
	"merchant API: is this voucher good at my shop",
	params={"code": CODE},
	response={
		"oneOf": [
			{
				"type": "object",
				"title": "Valid",
				"properties": {
					"valid": {"type": "boolean", "enum": [True]},
					"balance": {"type": "number", "example": 76.5},
					"currency": {"type": "string", "example": "EUR"},
					"expiry_date": {"type": "string", "format": "date"},
					"first_name": {
						"type": "string",
						"description": "The holder's first name, to check at the till; nothing else is disclosed",
					},
				},
			},
			{
				"type": "object",
				"title": "Not valid",
				"properties": {
					"valid": {"type": "boolean", "enum": [False]},
					"reason": {"type": "string", "example": "Questo buono è scaduto il 12/01/2027."},
				},
			},
		]
	},
)
def check_voucher(code: str) -> dict:
	"""Is this voucher valid at my shop, and what is its balance? A voucher your shop may not take
	is answered as not valid, with no details (not even that it exists)."""
	merchant = redemption.current_merchant()
	return redemption.check(merchant, code)


@endpoint(
	"merchant",
	MERCHANT,
	"merchant API: redeem an amount",
	methods=("POST",),
	params={
		"code": CODE,
		"amount": {"description": "In euros.", "minimum": 0.01, "example": 23.5},
		"idempotency_key": {
			"description": "New for every purchase, the same when the purchase is retried.",
			"maxLength": redemption.MAX_KEY_LENGTH,
			"example": "till-3-receipt-000123",
		},
	},
	response={
		"type": "object",
		"properties": {
			"redemption": {"type": "string"},
			"amount": {"type": "number"},
			"balance": {"type": "number", "description": "Balance left on the voucher"},
			"currency": {"type": "string", "example": "EUR"},
			"redeemed_at": {"type": "string", "format": "date-time"},
		},
	},
	errors={
		417: "Refused: unknown or forged code, expired, cancelled, fully used, another programme's "
		"voucher, amount above the balance or not positive, missing idempotency key"
	},
)
def redeem_voucher(code: str, amount: float, idempotency_key: str) -> dict:
	"""Redeem an amount (partial redemption allowed). Send a new idempotency key for every purchase
	and the same key when you retry it: a repeated key returns the first result and never redeems
	twice. Concurrent redemptions of one voucher never exceed its balance."""
	merchant = redemption.current_merchant()
	idempotency_key = (idempotency_key or "").strip()
	if not idempotency_key or len(idempotency_key) > redemption.MAX_KEY_LENGTH:
		frappe.throw(
			_("Send an idempotency key (1 to {0} characters) with every redemption.").format(
				redemption.MAX_KEY_LENGTH
			)
		)
	amount = flt(amount, 2)
	if amount <= 0:
		frappe.throw(_("The amount must be positive."))
	return redemption.redeem(merchant, code, amount, idempotency_key)
