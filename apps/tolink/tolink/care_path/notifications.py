"""Desk notifications and emails of the care path (recipients decided by the server; delivered by
tolink.network.notifications)."""

import frappe
from frappe import _

from tolink.network.notifications import bulk_queue, notify_users, provider_staff


def notify_referral_change(referral) -> None:
	"""Referral on_update: who must hear of this save. The notifications (Desk and email) are made
	by a background job once the answer is committed, so the person answering does not wait; on the
	bulk queue, so a burst of answers never delays the scheduler's jobs."""
	before = referral.get_doc_before_save()
	if before is None:
		change = "new"
	elif before.status == referral.status:
		return
	else:
		change = "cancelled" if referral.status == "Cancelled" else "decision"
	frappe.enqueue(
		"tolink.care_path.notifications.deliver_referral_notifications",
		queue=bulk_queue(),
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		referral=referral.name,
		change=change,
		actor=frappe.session.user,
	)


# the staff who answer the referrals an organisation receives: its Provider Staff, and the managers
# of its food-parcel hubs
RECEIVING_ROLES = ("Provider Staff", "Hub Manager")


def receivers(service: str, target_provider: str) -> list[str]:
	"""Who answers a referral to the service: the managers of the hub that hands it out, when it is
	a hub's service with managers, else the receiving organisation's staff (and its coordinator)."""
	hub = frappe.db.get_value("Service", service, "distribution_hub") if service else None
	if hub:
		managers = frappe.get_all(
			"Hub Staff",
			filters={"parent": hub, "parenttype": "Distribution Hub", "hub_role": "Hub Manager"},
			pluck="user",
		)
		if managers:
			return managers
	return provider_staff(target_provider, roles=RECEIVING_ROLES)


def deliver_referral_notifications(referral: str, change: str, actor: str) -> None:
	"""New referral: the receiving organisation's staff; decision: whoever sent it; cancelled: the
	receiving organisation's staff."""
	r = frappe.db.get_value(
		"Referral",
		referral,
		["name", "service", "service_name", "citizen_name", "target_provider", "referred_by", "status"],
		as_dict=True,
	)
	if not r:
		return
	if change == "new":
		users = receivers(r.service, r.target_provider)
		subject = _("New referral for {0}: {1}").format(r.service_name, r.citizen_name)
	elif change == "decision":
		users = [r.referred_by]
		subject = _("Referral {0} ({1}): {2}").format(r.name, r.service_name, _(r.status))
	else:
		users = receivers(r.service, r.target_provider)
		subject = _("Referral {0} ({1}) was cancelled").format(r.name, r.service_name)
	notify_users(users, subject, "Referral", r.name, from_user=actor)
