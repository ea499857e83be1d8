"""The care path's number cards and chart (the Care Path and Reception workspaces): each counts
the records the user may read (tolink.permissions.counts), of the user's organisation, on indexed
columns."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, get_first_day, today

from tolink.care_path.doctype.referral import referral
from tolink.care_path.doctype.welfare_plan import welfare_plan
from tolink.permissions import counts, get_user_provider
from tolink.permissions.counts import own

# how far ahead a plan's review counts as due
REVIEW_DAYS_AHEAD = 7
# the months of the referrals chart
CHART_MONTHS = 12


def todays_intakes() -> dict:
	"""Intakes of the user's organisation dated today."""
	return counts.card("Intake", own({"intake_date": today()}))


def my_caseload() -> dict:
	"""Welfare plans in force whose case manager is the user."""
	return counts.card("Welfare Plan", my_plans({"status": ("in", welfare_plan.IN_FORCE)}))


def reviews_due() -> dict:
	"""The user's plans in force whose review is due within a week, or overdue."""
	due_by = add_days(today(), REVIEW_DAYS_AHEAD)
	return counts.card(
		"Welfare Plan",
		my_plans({"status": ("in", welfare_plan.IN_FORCE), "next_review_date": ("<=", due_by)}),
	)


def my_plans(filters: dict) -> dict:
	return {"case_manager": frappe.session.user, **filters}


def referrals_awaiting_answer() -> dict:
	"""Referrals sent to the user's organisation it has not answered yet."""
	return counts.card("Referral", own({"status": "Sent"}, "target_provider"))


def overdue_referrals() -> dict:
	"""Of those, the ones past their answer's deadline."""
	return counts.card("Referral", own({"status": "Sent", "is_overdue": 1}, "target_provider"))


def referrals_by_status() -> dict:
	"""The referrals the user's organisation sent or received in the last 12 months, by status
	(the row rules keep the two sides of each referral and nobody else)."""
	since = get_first_day(add_months(today(), 1 - CHART_MONTHS))
	recent = {"creation": (">=", since)}
	provider = get_user_provider()
	if provider:
		# one index range per side (provider, creation) and (target_provider, creation), not an OR
		received = counts.count_by("Referral", "status", {**recent, "target_provider": provider})
		sent = counts.count_by(
			"Referral", "status", {**recent, "provider": provider, "target_provider": ("!=", provider)}
		)
		by_status = {s: received.get(s, 0) + sent.get(s, 0) for s in referral.STATUSES}
	else:
		by_status = counts.count_by("Referral", "status", recent)
	return {
		"labels": [_(status) for status in referral.STATUSES],
		"datasets": [{"name": _("Referral"), "values": [by_status.get(s, 0) for s in referral.STATUSES]}],
		"type": "bar",
	}
