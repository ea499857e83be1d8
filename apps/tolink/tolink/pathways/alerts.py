"""Daily: an eviction's hearing or execution within 30 days alerts the household's case manager,
once per date (the Notification Log in Desk, and an e-mail when outgoing mail is set up); the next
eviction date every list and the workspace count by moves on as the days pass.

Daily too: a work measure in progress that ends within 14 days, or that has no attendance row for
the previous month by the 5th, reminds the person's case manager, once per date."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, formatdate, get_first_day, get_last_day, getdate, today

from tolink.network.notifications import notify_users
from tolink.pathways.doctype.housing_situation.housing_situation import (
	ALERT_DAYS,
	EVICTION_DATES,
	next_eviction_date,
	upcoming_eviction_dates,
)
from tolink.pathways.doctype.work_measure.work_measure import RUNNING

# the Welfare Plan's closed status (tolink.care_path: a plan not closed is followed)
PLAN_CLOSED = "Closed"
CASE_MANAGER = "Case Manager"
# a measure ending within these days reminds its case manager
MEASURE_END_DAYS = 14
# from this day of the month, a measure without the previous month's attendance reminds
ATTENDANCE_DUE_DAY = 5


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


def remind_work_measures(on_date=None) -> int:
	"""Reminders sent; the day is today unless a test names it."""
	day = getdate(on_date or today())
	wm = frappe.qb.DocType("Work Measure")
	columns = (wm.name, wm.citizen, wm.citizen_name, wm.provider, wm.end_date, wm.reminded_dates)
	due: dict[str, tuple[dict, list[tuple[str, str]]]] = {}
	ending = (
		frappe.qb.from_(wm)
		.select(*columns)
		.where(
			wm.status.isin(RUNNING) & (wm.end_date >= day) & (wm.end_date <= add_days(day, MEASURE_END_DAYS))
		)
		.run(as_dict=True)
	)
	for row in ending:
		end = getdate(row.end_date)
		subject = _("Work measure {0} of {1} ends on {2}").format(
			row.name, row.citizen_name or row.citizen, formatdate(end, "dd/MM/yyyy")
		)
		due.setdefault(row.name, (row, []))[1].append((f"end:{end}", subject))
	if day.day >= ATTENDANCE_DUE_DAY:
		month = get_first_day(add_months(day, -1))
		att = frappe.qb.DocType("Work Measure Attendance")
		recorded = (
			frappe.qb.from_(att)
			.select(att.parent)
			.where((att.parenttype == "Work Measure") & (att.month == month))
		)
		missing = (
			frappe.qb.from_(wm)
			.select(*columns)
			.where(
				wm.status.isin(RUNNING)
				& (wm.start_date <= get_last_day(month))
				& (wm.end_date >= month)
				& wm.name.notin(recorded)
			)
			.run(as_dict=True)
		)
		for row in missing:
			subject = _("Work measure {0} of {1}: no attendance recorded for {2}").format(
				row.name, row.citizen_name or row.citizen, formatdate(month, "MM/yyyy")
			)
			due.setdefault(row.name, (row, []))[1].append((f"attendance:{month}", subject))
	sent = 0
	for name, (row, reminders) in due.items():
		reminded = set(filter(None, (row.reminded_dates or "").split(",")))
		reminders = [(key, subject) for key, subject in reminders if key not in reminded]
		if not reminders:
			continue
		users = citizen_case_managers(row.citizen, row.provider)
		for key, subject in reminders:
			notify_users(users, subject, "Work Measure", name)
			reminded.add(key)
			sent += 1
		frappe.db.set_value(
			"Work Measure", name, "reminded_dates", ",".join(sorted(reminded)), update_modified=False
		)
	return sent


def case_managers(household: str, provider: str) -> list[str]:
	"""The case managers of the household's plans not closed (its own, or its members'), else the
	case managers of the organisation holding the housing situation."""
	plan, citizen = frappe.qb.DocType("Welfare Plan"), frappe.qb.DocType("Citizen")
	members = frappe.qb.from_(citizen).select(citizen.name).where(citizen.household == household)
	return plan_case_managers((plan.household == household) | plan.citizen.isin(members), provider)


def citizen_case_managers(citizen: str, provider: str) -> list[str]:
	"""The case managers of the person's plans not closed (their own, or their household's), else the
	case managers of the organisation holding the record."""
	plan = frappe.qb.DocType("Welfare Plan")
	household = frappe.db.get_value("Citizen", citizen, "household")
	whose = plan.citizen == citizen
	if household:
		whose = whose | (plan.household == household)
	return plan_case_managers(whose, provider)


def plan_case_managers(whose, provider: str) -> list[str]:
	"""The case managers of the organisation's plans not closed matching `whose`, else the
	organisation's case managers."""
	plan = frappe.qb.DocType("Welfare Plan")
	users = (
		frappe.qb.from_(plan)
		.select(plan.case_manager)
		.distinct()
		.where((plan.status != PLAN_CLOSED) & (plan.provider == provider) & whose)
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
