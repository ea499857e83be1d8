"""Desk notifications and emails of the care path (recipients decided by the server)."""

import frappe
from frappe import _
from frappe.utils import get_url_to_form


def notify_users(
	users, subject: str, doctype: str, name: str, email: bool = True, from_user: str | None = None
) -> None:
	users = sorted({u for u in users if u and u not in ("Administrator", "Guest")})
	if not users:
		return
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": subject,
				"from_user": from_user or frappe.session.user,
			}
		).insert(ignore_permissions=True)
	if email and outgoing_email_configured():
		emails = [
			e
			for e in frappe.get_all("User", filters={"name": ("in", users), "enabled": 1}, pluck="email")
			if e
		]
		if emails:
			frappe.sendmail(
				recipients=emails,
				subject=subject,
				message=_("{0}<br><br>Open: {1}").format(subject, get_url_to_form(doctype, name)),
				reference_doctype=doctype,
				reference_name=name,
				now=False,
			)


def provider_staff(provider: str, roles=("Provider Staff",)) -> list[str]:
	"""Enabled users of an organisation with one of the roles (and its coordinator)."""
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where((user.tolink_provider == provider) & (user.enabled == 1) & has_role.role.isin(list(roles)))
		.run(pluck=True)
	)
	coordinator = frappe.db.get_value("Provider", provider, "coordinator")
	return [*rows, *([coordinator] if coordinator else [])]


def notify_referral_change(referral) -> None:
	"""Referral on_update: who must hear of this save. The notifications (Desk and email) are made
	by a background job once the answer is committed, so the person answering does not wait."""
	before = referral.get_doc_before_save()
	if before is None:
		change = "new"
	elif before.status == referral.status:
		return
	else:
		change = "cancelled" if referral.status == "Cancelled" else "decision"
	frappe.enqueue(
		"tolink.care_path.notifications.deliver_referral_notifications",
		queue="short",
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		referral=referral.name,
		change=change,
		actor=frappe.session.user,
	)


def deliver_referral_notifications(referral: str, change: str, actor: str) -> None:
	"""New referral: the receiving organisation's staff; decision: whoever sent it; cancelled: the
	receiving organisation's staff."""
	r = frappe.db.get_value(
		"Referral",
		referral,
		["name", "service_name", "citizen_name", "target_provider", "referred_by", "status"],
		as_dict=True,
	)
	if not r:
		return
	if change == "new":
		users = provider_staff(r.target_provider)
		subject = _("New referral for {0}: {1}").format(r.service_name, r.citizen_name)
	elif change == "decision":
		users = [r.referred_by]
		subject = _("Referral {0} ({1}): {2}").format(r.name, r.service_name, _(r.status))
	else:
		users = provider_staff(r.target_provider)
		subject = _("Referral {0} ({1}) was cancelled").format(r.name, r.service_name)
	notify_users(users, subject, "Referral", r.name, from_user=actor)


def outgoing_email_configured() -> bool:
	"""Desk notifications always; emails only once an administrator set up outgoing mail."""
	return bool(
		frappe.conf.get("mail_server")
		or frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	)
