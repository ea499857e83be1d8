"""Applications waiting too long: each programme says after how many days (Voucher Programme
escalation_days, 5 by default); a daily job marks them overdue and tells the programme's approvers
in Desk, once per application."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, now_datetime

from tolink.network.notifications import notify_users
from tolink.vouchers.doctype.voucher_application.voucher_application import OPEN, programme_approvers

DEFAULT_ESCALATION_DAYS = 5


def escalate_waiting_applications() -> list[str]:
	"""Scheduled daily. Returns the applications escalated."""
	app = frappe.qb.DocType("Voucher Application")
	programme = frappe.qb.DocType("Voucher Programme")
	# the programmes with applications waiting and not escalated yet: a few, whatever the city's size
	programmes = (
		frappe.qb.from_(app)
		.join(programme)
		.on(app.programme == programme.name)
		.select(programme.name, programme.escalation_days)
		.distinct()
		.where(app.status.isin(OPEN) & app.escalated_on.isnull())
		.run(as_dict=True)
	)
	now = now_datetime()
	escalated = []
	for p in programmes:
		cutoff = add_days(now, -(cint(p.escalation_days) or DEFAULT_ESCALATION_DAYS))
		rows = (
			frappe.qb.from_(app)
			.select(app.name, app.head_of_household_name, app.creation)
			.where(
				(app.programme == p.name)
				& app.status.isin(OPEN)
				& app.escalated_on.isnull()
				& (app.creation < cutoff)
			)
			.run(as_dict=True)
		)
		if not rows:
			continue
		names = [r.name for r in rows]
		frappe.qb.update(app).set(app.is_overdue, 1).set(app.escalated_on, now).where(
			app.name.isin(names)
		).run()
		approvers = programme_approvers(p.name)
		for r in rows:
			subject = _("Voucher application {0} for {1} has been waiting since {2}: {3}").format(
				r.name, r.head_of_household_name, frappe.format(r.creation, "Date"), p.name
			)
			notify_users(approvers, subject, "Voucher Application", r.name, from_user="Administrator")
		escalated += names
	return escalated
