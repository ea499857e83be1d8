"""The registry's number card (the Reception workspace), counted with the caller's row rules
(tolink.permissions.counts)."""

from tolink.permissions import counts


def possible_duplicates() -> dict:
	"""People of the user's organisation flagged as possibly registered twice, to check."""
	return counts.card("Citizen", counts.own({"possible_duplicate": 1}))
