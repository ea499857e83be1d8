"""The distribution's events for the partners' webhooks (tolink.network.webhooks): the first parcel
collected by a household another organisation referred to a hub, told to the referring
organisation with what it reads on its Referral (the date of the first collection), never which
household member came or what the parcel held. The hub's own organisation records its deliveries
itself and is not told."""

import frappe

from tolink.network import webhooks

PARCEL_COLLECTED = "parcel_collected"


def first_parcel_collected(referral: str, day) -> None:
	"""Called by tolink.distribution.enrolment.record_collection when a referred household collects
	its first parcel."""
	r = frappe.db.get_value(
		"Referral", referral, ["name", "provider", "service", "service_name"], as_dict=True
	)
	if not r or not r.provider:
		return
	data = {
		"doctype": "Referral",
		"name": r.name,
		"service": r.service,
		"service_name": r.service_name,
		"first_collection_on": str(day),
	}
	webhooks.emit(r.provider, PARCEL_COLLECTED, "Referral", r.name, data)
