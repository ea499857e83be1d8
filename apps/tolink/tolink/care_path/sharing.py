"""Sharing with a partner follows the person's consent (tolink.registry.consent): what the care
path does when that consent is withdrawn."""

import frappe
from frappe import _

from tolink.care_path.doctype.referral.referral import OPEN as OPEN_REFERRALS
from tolink.care_path.notifications import receivers
from tolink.network.notifications import notify_users


def tell_partner_of_withdrawal(consent, method=None) -> None:
	"""doc_events Consent on_update: a consent to share with a partner withdrawn. Sharing with the
	partner stops at once (its view of the person's network notes and of the network overview ends
	with the consent). Referrals it already received stay with it, sent lawfully: who sent them and
	the partner's staff are told, so that nothing more is shared."""
	before = consent.get_doc_before_save()
	if consent.status != "Withdrawn" or not before or before.status == "Withdrawn":
		return
	if consent.purpose != "Sharing with partner" or not consent.partner:
		return
	referrals = frappe.get_all(
		"Referral",
		filters={
			"citizen": consent.citizen,
			"target_provider": consent.partner,
			"status": ("in", OPEN_REFERRALS),
		},
		fields=["name", "service", "service_name", "referred_by"],
	)
	for referral in referrals:
		notify_users(
			[referral.referred_by, *receivers(referral.service, consent.partner)],
			_("Referral {0} ({1}): the person withdrew consent to sharing with {2}").format(
				referral.name, referral.service_name, consent.partner
			),
			"Referral",
			referral.name,
		)
