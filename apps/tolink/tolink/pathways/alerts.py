"""Daily: an eviction's hearing or execution within 30 days alerts the household's case manager,
once per date (the Notification Log in Desk, and an e-mail when outgoing mail is set up); the next
eviction date every list and the workspace count by moves on as the days pass."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from tolink.network.notifications import notify_users
from tolink.pathways.doctype.housing_situation.housing_situation import (
	ALERT_DAYS,
	EVICTION_DATES,
	next_eviction_date,
	upcoming_eviction_dates,
)

# the Welfare Plan's closed status (tolink.care_path: a plan not closed is followed)
PLAN_CLOSED = "Closed"
CASE_MANAGER = "Case Manager"


def alert_evictions(on_date=None) -> int:
	"""Alerts sent; the day is today unless a test names it."""
	day = getdate(on_date or today())
	refresh_next_dates(day)
	hs = frappe.qb.DocType("Housing Situation")
	rows = (
		frappe.qb.from_(hs)
		.select(
			hs.name,
			hs.household,
			hs.household_name,
			hs.provider,
			hs.eviction_status,
			hs.eviction_alerted_dates,
			*(hs[f] for f in EVICTION_DATES),
		)
		.where(
			(hs.eviction_pending == 1)
			& (hs.next_eviction_date >= day)
			& (hs.next_eviction_date <= add_days(day, ALERT_DAYS))
		)
		.run(as_dict=True)
	)
	sent = 0
	for row in rows:
		alerted = set(filter(None, (row.eviction_alerted_dates or "").split(",")))
		due = [(f, d) for f, d in upcoming_eviction_dates(row, day) if f"{f}:{d}" not in alerted]
		if not due:
			continue
		users = case_managers(row.household, row.provider)
		for field, date in due:
			notify_users(
				users,
				_("Eviction of {0}: {1} on {2}").format(
					row.household_name or row.household,
					_(frappe.get_meta("Housing Situation").get_label(field)).lower(),
					frappe.format(date, "Date"),
				),
				"Housing Situation",
				row.name,
			)
			alerted.add(f"{field}:{date}")
			sent += 1
		frappe.db.set_value(
			"Housing Situation",
			row.name,
			"eviction_alerted_dates",
			",".join(sorted(alerted)),
			update_modified=False,
		)
	return sent


def refresh_next_dates(day) -> None:
	"""The eviction dates that have passed: the next one, or none."""
	hs = frappe.qb.DocType("Housing Situation")
	stale = (
		frappe.qb.from_(hs)
		.select(hs.name, hs.eviction_status, *(hs[f] for f in EVICTION_DATES))
		.where((hs.eviction_pending == 1) & (hs.next_eviction_date < day))
		.run(as_dict=True)
	)
	for row in stale:
		frappe.db.set_value(
			"Housing Situation",
			row.name,
			"next_eviction_date",
			next_eviction_date(row, day),
			update_modified=False,
		)


def case_managers(household: str, provider: str) -> list[str]:
	"""The case managers of the household's plans not closed (its own, or its members'), else the
	case managers of the organisation holding the housing situation."""
	plan, citizen = frappe.qb.DocType("Welfare Plan"), frappe.qb.DocType("Citizen")
	members = frappe.qb.from_(citizen).select(citizen.name).where(citizen.household == household)
	users = (
		frappe.qb.from_(plan)
		.select(plan.case_manager)
		.distinct()
		.where(
			(plan.status != PLAN_CLOSED)
			& (plan.provider == provider)
			& ((plan.household == household) | plan.citizen.isin(members))
		)
		.run(pluck=True)
	)
	if users:
		return users
	user, role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(role)
		.on(role.parent == user.name)
		.select(user.name)
		.distinct()
		.where(
			(user.enabled == 1)
			& (user.tolink_provider == provider)
			& (role.role == CASE_MANAGER)
			& (role.parenttype == "User")
		)
		.run(pluck=True)
	)
