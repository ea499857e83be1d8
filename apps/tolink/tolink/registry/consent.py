"""Consent decides sharing: `has_consent` is the one place that answers "may this be shared?"."""

import frappe
from frappe.utils import getdate, today


def has_consent(citizen: str, purpose: str, partner: str | None = None, on_date=None) -> bool:
	"""An active consent of the citizen for the purpose (and partner), given on or before the date.

	Server-side lookup: the caller has already established its right to act on the citizen."""
	consent = frappe.qb.DocType("Consent")
	query = (
		frappe.qb.from_(consent)
		.select(consent.name)
		.where(
			(consent.citizen == citizen)
			& (consent.purpose == purpose)
			& (consent.status == "Active")
			& (consent.given_on <= getdate(on_date or today()))
		)
		.limit(1)
	)
	if partner:
		query = query.where(consent.partner == partner)
	return bool(query.run())
