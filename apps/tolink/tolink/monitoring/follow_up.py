"""Daily: a participation whose follow-up six months after leaving has fallen due and is not
recorded reminds its case manager, once (the Notification Log in Desk, and an e-mail when outgoing
mail is set up). A new exit date makes a new due day and a new reminder."""

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, today

from tolink.network.notifications import notify_users
from tolink.pathways.alerts import citizen_case_managers


def remind_follow_ups(on_date=None) -> int:
	"""Reminders sent; the day is today unless a test names it."""
	day = getdate(on_date or today())
	p = frappe.qb.DocType("Participation")
	rows = (
		frappe.qb.from_(p)
		.select(
			p.name, p.citizen, p.citizen_name, p.provider, p.case_manager, p.funding_programme, p.exit_date
		)
		.where(
			p.follow_up_reminded_on.isnull()
			& (p.follow_up_due <= day)
			& p.follow_up_date.isnull()
			& p.exit_date.isnotnull()
		)
		.run(as_dict=True)
	)
	sent = 0
	for row in rows:
		notify_users(
			recipients(row),
			_("Follow-up due for {0} ({1}): six months since leaving on {2}").format(
				row.citizen_name or row.citizen,
				row.funding_programme,
				formatdate(row.exit_date, "dd/MM/yyyy"),
			),
			"Participation",
			row.name,
		)
		frappe.db.set_value("Participation", row.name, "follow_up_reminded_on", day, update_modified=False)
		sent += 1
	return sent


def recipients(row) -> list[str]:
	"""The participation's case manager while still an enabled user of its organisation, else the
	case managers of the person's plans or of the organisation."""
	if row.case_manager and frappe.db.exists(
		"User", {"name": row.case_manager, "enabled": 1, "tolink_provider": row.provider}
	):
		return [row.case_manager]
	return citizen_case_managers(row.citizen, row.provider)
