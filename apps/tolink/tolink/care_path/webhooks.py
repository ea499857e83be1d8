"""The care path's events for the partners' webhooks (tolink.network.webhooks): a referral received
by an organisation, its answer due soon, its cancellation. Told to the receiving organisation
(`target_provider`), with the fields of the referral it reads itself, never the person's data."""

import frappe
from frappe.utils import add_days, today

from tolink.network import webhooks

RECEIVED = "referral_received"
DEADLINE_NEAR = "referral_deadline_near"
CANCELLED = "referral_cancelled"
# what a payload says of a referral: fields the receiving organisation reads on the Referral
# (GET /api/resource/Referral/<name>), none about the person
REFERRAL_FIELDS = ("name", "service", "service_name", "status", "response_due")
# a referral whose answer is due within this many days (today or tomorrow) is near its deadline
DEADLINE_NEAR_DAYS = 1


def referral_data(referral) -> dict:
	return {"doctype": "Referral", **{field: referral.get(field) for field in REFERRAL_FIELDS}}


def on_referral_update(doc, method=None) -> None:
	"""Referral on_update (hooks.py): a new referral is received by its target organisation; a
	cancelled one is told to it too. Sent once the save commits."""
	if not doc.target_provider:
		return
	before = doc.get_doc_before_save()
	if before is None:
		event = RECEIVED
	elif doc.status == "Cancelled" and before.status != "Cancelled":
		event = CANCELLED
	else:
		return
	webhooks.emit(doc.target_provider, event, "Referral", doc.name, referral_data(doc))


def send_deadline_near() -> list[str]:
	"""Scheduled hourly: referrals still waiting for an answer due today or tomorrow, told once to
	the receiving organisations that want it."""
	providers = webhooks.providers_subscribed(DEADLINE_NEAR)
	if not providers:
		return []
	referral = frappe.qb.DocType("Referral")
	delivery = frappe.qb.DocType("Partner Webhook Delivery")
	told = (
		frappe.qb.from_(delivery)
		.select(delivery.reference_name)
		.where((delivery.event == DEADLINE_NEAR) & delivery.reference_name.isnotnull())
	)
	rows = (
		frappe.qb.from_(referral)
		.select(referral.target_provider, *(referral[f] for f in REFERRAL_FIELDS))
		.where(
			referral.target_provider.isin(providers)
			& (referral.status == "Sent")
			& (referral.response_due >= today())
			& (referral.response_due <= add_days(today(), DEADLINE_NEAR_DAYS))
			& referral.name.notin(told)
		)
		.run(as_dict=True)
	)
	sent = []
	for row in rows:
		sent += webhooks.emit(row.target_provider, DEADLINE_NEAR, "Referral", row.name, referral_data(row))
	frappe.db.commit()
	return sent
