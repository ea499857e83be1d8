"""The helpline's number cards (the Helpline workspace), counted with the caller's row rules
(tolink.permissions.counts), of the user's organisation."""

from frappe.utils import today

from tolink.helpline.follow_up import EMERGENCY
from tolink.permissions import counts


def callbacks_due_today() -> dict:
	"""Callbacks promised for today and not made yet."""
	return counts.card(
		"Helpline Call", counts.own({"callback_due": today(), "callback_done_on": ("is", "not set")})
	)


def urgent_calls_not_taken() -> dict:
	"""Emergency calls told to whoever was on duty that nobody has taken in charge yet."""
	return counts.card(
		"Helpline Call",
		counts.own({"triage": EMERGENCY, "urgent_notified_on": ("is", "set"), "taken_by": ("is", "not set")}),
	)
