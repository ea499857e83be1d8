"""Calls recorded before the helpline followed up callbacks: those whose callback time has already
passed are not announced all at once on the first scheduler run after the upgrade. They count as
reminded, and those already past the overdue limit as overdue (they show on the helpline workspace
as "Richiamate scadute"), without a notification each."""

import frappe
from frappe.utils import add_to_date, now_datetime

from tolink.helpline.follow_up import callback_overdue_hours


def execute():
	call = frappe.qb.DocType("Helpline Call")
	now = now_datetime()
	frappe.qb.update(call).set(call.callback_reminded_on, now).where(
		(call.callback_due <= now) & call.callback_done_on.isnull() & call.callback_reminded_on.isnull()
	).run()
	limit = add_to_date(now, hours=-callback_overdue_hours())
	frappe.qb.update(call).set(call.is_overdue, 1).set(call.escalated_on, now).where(
		(call.callback_due < limit) & call.callback_done_on.isnull() & call.escalated_on.isnull()
	).run()
