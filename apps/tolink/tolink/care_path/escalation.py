"""Referral deadlines: a referral not answered by its response date is escalated."""

import frappe
from frappe import _
from frappe.utils import now_datetime, today

from tolink.care_path.notifications import receivers
from tolink.network.notifications import notify_users


def escalate_overdue_referrals() -> list[str]:
	"""Scheduled hourly: mark overdue referrals and notify who sent them, the case manager of the
	plan they belong to, and the receiving organisation's coordinator (its staff when it has none).
	Each referral is escalated once."""
	referral = frappe.qb.DocType("Referral")
	overdue = (
		frappe.qb.from_(referral)
		.select(
			referral.name,
			referral.referred_by,
			referral.target_provider,
			referral.service_name,
			referral.citizen_name,
			referral.response_due,
			referral.welfare_plan,
			referral.service,
		)
		.where(
			(referral.status == "Sent") & (referral.response_due < today()) & referral.escalated_on.isnull()
		)
		.run(as_dict=True)
	)
	if not overdue:
		return []
	names = [r.name for r in overdue]
	frappe.qb.update(referral).set(referral.is_overdue, 1).set(referral.escalated_on, now_datetime()).where(
		referral.name.isin(names)
	).run()
	for r in overdue:
		coordinator = frappe.db.get_value("Provider", r.target_provider, "coordinator")
		subject = _("Overdue referral {0}: {1} for {2} was due on {3}").format(
			r.name, r.service_name, r.citizen_name, frappe.format(r.response_due, "Date")
		)
		case_manager = (
			frappe.db.get_value("Welfare Plan", r.welfare_plan, "case_manager") if r.welfare_plan else None
		)
		recipients = [r.referred_by, case_manager] + (
			[coordinator] if coordinator else receivers(r.service, r.target_provider)
		)
		notify_users(recipients, subject, "Referral", r.name)
	return names
