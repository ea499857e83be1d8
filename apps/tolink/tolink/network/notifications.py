"""Who is told: Desk notifications (and emails, once outgoing mail is set up) to users, and the
staff of an organisation of the network. Recipients are decided by the server; every module of
the app tells people through here.

Notifications made in bulk (a burst of referral answers makes thousands) are background jobs on
their own queue, `bulk_queue()`, served by its own workers: the scheduler's jobs (heartbeat,
escalations, reminders) in `default` and the short jobs never wait behind them."""

import frappe
from frappe import _
from frappe.utils import get_url_to_form
from frappe.utils.background_jobs import get_queues_timeout

BULK_QUEUE = "bulk"
# where bulk jobs go on a bench that does not declare the bulk queue yet (`workers` in
# common_site_config.json, written by migrate: tolink.setup.install.ensure_bulk_queue)
BULK_FALLBACK_QUEUE = "long"


def bulk_queue() -> str:
	"""The queue of the app's bulk jobs: "bulk" once the bench declares it, "long" before (never
	the queues of the scheduler's and the short jobs)."""
	return BULK_QUEUE if BULK_QUEUE in get_queues_timeout() else BULK_FALLBACK_QUEUE


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


def outgoing_email_configured() -> bool:
	"""Desk notifications always; emails only once an administrator set up outgoing mail."""
	return bool(
		frappe.conf.get("mail_server")
		or frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1})
	)
