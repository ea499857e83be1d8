"""Work and housing's number cards, counted with the caller's row rules
(tolink.permissions.counts)."""

from frappe.utils import add_days, today

from tolink.pathways.doctype.work_measure import work_measure
from tolink.permissions import counts

# how far ahead the cards look
DAYS_AHEAD = 30


def evictions_within_30_days() -> dict:
	"""Households of the user's organisation with an eviction step (notice, hearing, execution)
	pending within 30 days, or past and still pending."""
	return counts.card(
		"Housing Situation",
		counts.own({"eviction_pending": 1, "next_eviction_date": ("<=", add_days(today(), DAYS_AHEAD))}),
	)


def work_measures_ending_soon() -> dict:
	"""Work measures in progress ending within 30 days (the organisation's own, and those it
	hosts: the row rules)."""
	window = (today(), add_days(today(), DAYS_AHEAD))
	return counts.card(
		"Work Measure", {"status": ("in", work_measure.RUNNING), "end_date": ("between", window)}
	)
