"""A helpline that follows up: callbacks reminded and escalated, urgent calls told at once to whoever
is on duty and taken in charge, check-in calls moving their programme forward, anonymous callers
known by a code. Desk notifications and emails go through tolink.network.notifications; the
messages carry the record's link and its triage, never the person's data."""

import secrets

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime

from tolink.helpline.doctype.check_in_schedule.check_in_schedule import next_due_after, status_for
from tolink.helpline.doctype.duty_roster.duty_roster import on_duty
from tolink.network.notifications import notify_users, provider_staff
from tolink.security.users import get_user_provider

EMERGENCY = "Emergency"
IMMINENT = "Imminent"
# hours past its time after which a callback not made is escalated (To Link Settings)
DEFAULT_CALLBACK_OVERDUE_HOURS = 24
# who may take an urgent call in charge (tolink.api.desk.take_urgent_call)
TAKE_IN_CHARGE_ROLES = ("Case Manager", "Reception Operator")
# anonymous callers' codes: PS- and 6 characters that cannot be misread over the phone
CALLER_CODE_PREFIX = "PS-"
CALLER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class UrgentCallError(frappe.ValidationError):
	pass


# --- callbacks


def check_follow_up(call) -> None:
	"""A follow-up call is made by the organisation that took the first call, after it."""
	if not call.follow_up_of:
		return
	if call.follow_up_of == call.name:
		frappe.throw(_("A call cannot follow up itself."))
	first = frappe.db.get_value(
		"Helpline Call", call.follow_up_of, ["provider", "call_datetime"], as_dict=True
	)
	if not first or first.provider != call.provider:
		frappe.throw(_("Could not find {0}").format(call.follow_up_of), frappe.LinkValidationError)
	if call.is_new() and get_datetime(call.call_datetime) < get_datetime(first.call_datetime):
		frappe.throw(_("A follow-up call cannot be made before the call it follows up."))


def mark_callback_made(call) -> None:
	"""after_insert: the follow-up call is the callback the first call was waiting for."""
	if not call.follow_up_of:
		return
	first = frappe.qb.DocType("Helpline Call")
	(
		frappe.qb.update(first)
		.set(first.callback_done_on, call.call_datetime)
		.where(
			(first.name == call.follow_up_of)
			& first.callback_due.isnotnull()
			& first.callback_done_on.isnull()
		)
		.run()
	)


def remind_due_callbacks() -> list[str]:
	"""Scheduled every 15 minutes: the operator who took a call is told, once, when its callback
	falls due."""
	call = frappe.qb.DocType("Helpline Call")
	due = (
		frappe.qb.from_(call)
		.select(call.name, call.operator, call.callback_due, call.triage)
		.where(
			(call.callback_due <= now_datetime())
			& call.callback_done_on.isnull()
			& call.callback_reminded_on.isnull()
		)
		.run(as_dict=True)
	)
	if not due:
		return []
	names = [c.name for c in due]
	frappe.qb.update(call).set(call.callback_reminded_on, now_datetime()).where(call.name.isin(names)).run()
	for c in due:
		subject = _("Callback due: call {0} (triage: {1}) was to be called back at {2}").format(
			c.name, _(c.triage), frappe.format(c.callback_due, "Datetime")
		)
		notify_users([c.operator], subject, "Helpline Call", c.name)
	return names


def callback_overdue_hours() -> int:
	hours = frappe.db.get_single_value("To Link Settings", "callback_overdue_hours")
	return hours if hours and hours > 0 else DEFAULT_CALLBACK_OVERDUE_HOURS


def escalate_overdue_callbacks() -> list[str]:
	"""Scheduled hourly: a callback not made within the hours set in To Link Settings (24 by
	default) past its time is marked overdue and told to the organisation's case managers and the
	operator, once."""
	call = frappe.qb.DocType("Helpline Call")
	limit = add_to_date(now_datetime(), hours=-callback_overdue_hours())
	overdue = (
		frappe.qb.from_(call)
		.select(call.name, call.operator, call.provider, call.callback_due, call.triage)
		.where((call.callback_due < limit) & call.callback_done_on.isnull() & call.escalated_on.isnull())
		.run(as_dict=True)
	)
	if not overdue:
		return []
	names = [c.name for c in overdue]
	frappe.qb.update(call).set(call.is_overdue, 1).set(call.escalated_on, now_datetime()).where(
		call.name.isin(names)
	).run()
	case_managers: dict[str, list[str]] = {}
	for c in overdue:
		if c.provider not in case_managers:
			case_managers[c.provider] = (
				provider_staff(c.provider, roles=("Case Manager",)) if c.provider else []
			)
		subject = _("Overdue callback: call {0} (triage: {1}) was to be called back by {2}").format(
			c.name, _(c.triage), frappe.format(c.callback_due, "Datetime")
		)
		notify_users([c.operator, *case_managers[c.provider]], subject, "Helpline Call", c.name)
	return names


# --- urgent calls and imminent risk


def urgent_recipients(provider: str) -> list[str]:
	"""Who is on duty for the organisation now; with nobody on duty, its case managers."""
	return on_duty(provider) or provider_staff(provider, roles=("Case Manager",))


def notify_urgent_call(call) -> None:
	"""on_update: an emergency call is told at once, once, to whoever is on duty."""
	if call.triage != EMERGENCY or call.urgent_notified_on or call.taken_by or not call.provider:
		return
	call.db_set("urgent_notified_on", now_datetime(), update_modified=False)
	subject = _("Urgent helpline call {0} (triage: {1}): take it in charge").format(call.name, _(call.triage))
	notify_users(urgent_recipients(call.provider), subject, "Helpline Call", call.name)


def take_urgent_call(name: str) -> dict:
	"""The user takes an urgent call in charge: a Case Manager or Reception Operator of the
	organisation holding it (tolink.api.desk.take_urgent_call checks the caller may read it)."""
	user = frappe.session.user
	provider = get_user_provider(user)
	call = frappe.db.get_value(
		"Helpline Call",
		name,
		["name", "provider", "triage", "taken_by", "taken_on"],
		as_dict=True,
		for_update=True,
	)
	if not call or not provider or call.provider != provider:
		frappe.throw(_("Could not find {0}").format(name), frappe.DoesNotExistError)
	if not set(TAKE_IN_CHARGE_ROLES) & set(frappe.get_roles(user)):
		frappe.throw(
			_("Only a Case Manager or a Reception Operator takes urgent calls in charge."),
			frappe.PermissionError,
		)
	if call.triage != EMERGENCY:
		frappe.throw(_("Only emergency calls are taken in charge."), UrgentCallError)
	if call.taken_by:
		frappe.throw(
			_("This call was already taken in charge by {0} on {1}.").format(
				call.taken_by, frappe.format(call.taken_on, "Datetime")
			),
			UrgentCallError,
		)
	taken_on = now_datetime()
	frappe.db.set_value("Helpline Call", name, {"taken_by": user, "taken_on": taken_on})
	return {"call": name, "taken_by": user, "taken_on": str(taken_on)}


def notify_imminent_session(session) -> None:
	"""on_update: a psychologist's session with imminent risk is told at once, once, to whoever is
	on duty. Sessions are read by psychologists only: the message names the psychologist to call,
	and links the helpline call when there is one, not the session."""
	if session.risk_level != IMMINENT or session.urgent_notified_on or not session.provider:
		return
	session.db_set("urgent_notified_on", now_datetime(), update_modified=False)
	psychologist = frappe.utils.get_fullname(session.psychologist or frappe.session.user)
	subject = _("Imminent risk reported by the psychologist {0}: contact them at once").format(psychologist)
	doctype, name = (
		("Helpline Call", session.helpline_call) if session.helpline_call else ("User", session.psychologist)
	)
	notify_users(urgent_recipients(session.provider), subject, doctype, name)


# --- check-in calls


def fill_from_check_in(call) -> None:
	"""A call recorded for a check-in programme is the outbound call to its citizen."""
	if not call.check_in_schedule or not call.is_new():
		return
	call.direction = "Outbound"
	if not call.citizen:
		call.caller_type = "Known citizen"
		call.citizen, call.citizen_name = frappe.db.get_value(
			"Check-in Schedule", call.check_in_schedule, ["citizen", "citizen_name"]
		) or (None, None)


def check_check_in(call) -> None:
	if not call.check_in_schedule or not call.is_new():
		return
	schedule = frappe.db.get_value(
		"Check-in Schedule", call.check_in_schedule, ["provider", "citizen", "active"], as_dict=True
	)
	if not schedule or schedule.provider != call.provider:
		frappe.throw(_("Could not find {0}").format(call.check_in_schedule), frappe.LinkValidationError)
	if not schedule.active:
		frappe.throw(_("The check-in programme {0} is not active.").format(call.check_in_schedule))
	if schedule.citizen != call.citizen:
		frappe.throw(_("A check-in call is made to the citizen of its programme."))


def advance_check_in(call) -> None:
	"""after_insert: the programme's next check-in is one period after this call."""
	if not call.check_in_schedule:
		return
	schedule = frappe.db.get_value(
		"Check-in Schedule",
		call.check_in_schedule,
		["name", "frequency", "weekday", "active"],
		as_dict=True,
		for_update=True,
	)
	next_due = next_due_after(call.call_datetime, schedule.frequency, schedule.weekday)
	frappe.db.set_value(
		"Check-in Schedule",
		schedule.name,
		{
			"next_due": next_due,
			"status": status_for(next_due, schedule.active),
			"last_call": call.name,
			"last_call_on": call.call_datetime,
		},
	)


# --- anonymous psychological support


def new_caller_code() -> str:
	"""A code no caller has yet."""
	for _attempt in range(10):
		code = CALLER_CODE_PREFIX + "".join(secrets.choice(CALLER_CODE_ALPHABET) for _i in range(6))
		if not frappe.db.exists("Support Session", {"caller_code": code}):
			return code
	frappe.throw(_("Could not make a caller code: try again."))


def link_sessions_to_citizen(caller_code: str, citizen: str) -> dict:
	"""Every session of the caller known by the code, of the psychologist's organisation, is linked
	to the citizen, if the citizen gave the organisation an active consent to psychological support
	(tolink.api.desk.link_sessions_to_citizen checks the caller may read the citizen)."""
	caller_code = (caller_code or "").strip().upper()
	# the caller's rights: only the sessions of the psychologist's own organisation
	sessions = frappe.get_list(
		"Support Session",
		filters={"caller_code": caller_code},
		fields=["name", "citizen"],
		limit_page_length=0,
	)
	if not caller_code or not sessions:
		frappe.throw(_("No session of your organisation has the caller code {0}.").format(caller_code))
	if any(s.citizen and s.citizen != citizen for s in sessions):
		frappe.throw(_("The sessions with this caller code are already linked to another citizen."))
	consent = frappe.get_list(
		"Consent",
		filters={"citizen": citizen, "purpose": "Psychological support", "status": "Active"},
		pluck="name",
		limit_page_length=1,
	)
	if not consent:
		frappe.throw(
			_(
				"The citizen has not given your organisation an active consent to psychological support: "
				"record the consent first."
			)
		)
	linked = []
	for s in sessions:
		if s.citizen:
			continue
		doc = frappe.get_doc("Support Session", s.name)
		doc.citizen = citizen
		doc.citizen_name = frappe.db.get_value("Citizen", citizen, "full_name")
		doc.save()
		linked.append(s.name)
	return {"caller_code": caller_code, "citizen": citizen, "linked": linked}
