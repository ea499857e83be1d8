# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

# The statuses of a delivery (tolink.network.webhooks moves them): waiting for its first attempt,
# waiting to be tried again, received by the partner's system (a 2xx answer), given up.
PENDING = "Pending"
RETRYING = "Retrying"
DELIVERED = "Delivered"
FAILED = "Failed"
STATUSES = (PENDING, RETRYING, DELIVERED, FAILED)
# to be sent when its next attempt is due
DUE = (PENDING, RETRYING)


class PartnerWebhookDelivery(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attempts: DF.Int
		delivered_on: DF.Datetime | None
		event: DF.Literal[
			"referral_received",
			"referral_deadline_near",
			"referral_cancelled",
			"voucher_redeemed",
			"parcel_collected",
		]
		last_attempt_on: DF.Datetime | None
		last_error: DF.SmallText | None
		last_response_code: DF.Int
		next_attempt_on: DF.Datetime | None
		payload: DF.Code | None
		provider: DF.Link | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		status: DF.Literal["Pending", "Retrying", "Delivered", "Failed"]
		webhook: DF.Link | None
	# end: auto-generated types

	pass


def on_doctype_update():
	# the retry sweep (send_due), the partner's list, the deadline-near check (once per referral)
	frappe.db.add_index("Partner Webhook Delivery", ["status", "next_attempt_on"])
	frappe.db.add_index("Partner Webhook Delivery", ["provider", "creation"])
	frappe.db.add_index("Partner Webhook Delivery", ["reference_name", "event"])
	frappe.db.add_index("Partner Webhook Delivery", ["webhook"])
