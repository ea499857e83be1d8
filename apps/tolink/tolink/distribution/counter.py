"""The hub counter: find the household from its card or a member's codice fiscale, see at once
whether it already collected in this period anywhere in the network.

Called by tolink.api.partner.counter_lookup, which checks first that the caller is hub staff of
the hub named."""

import frappe
from frappe import _
from frappe.utils import today

from tolink.distribution.collection import already_collected, describe
from tolink.privacy.access_log import log_read
from tolink.registry import codice_fiscale


def lookup(hub: str, code: str, distribution_round: str | None = None) -> dict:
	"""What the counter needs and nothing more: household id, size, the head's first name, and
	where and when it already collected in this period."""
	household = find_household(code)
	if not household:
		return {"found": False, "message": _("No household with this card or codice fiscale.")}
	info = frappe.db.get_value(
		"Household", household, ["name", "household_size", "head_of_household", "status"], as_dict=True
	)
	# any hub of the network serves the household (card or codice fiscale shown at the counter), so
	# every lookup is in the person's access log: who looked them up, at which hub

	log_read("Household", household, info.head_of_household, endpoint=f"hub counter {hub}")
	previous = already_collected(household, today(), distribution_round)
	assigned = (
		frappe.db.exists("Round Household", {"household": household, "parent": distribution_round})
		if distribution_round
		else None
	)
	return {
		"found": True,
		"household": info.name,
		"household_size": info.household_size,
		"head_first_name": frappe.db.get_value("Citizen", info.head_of_household, "first_name"),
		"active": info.status == "Active",
		"already_collected": [{"hub": p.hub, "date": str(p.delivery_date)} for p in previous],
		"warning": _("Already collected in this period: {0}").format(describe(previous))
		if previous
		else None,
		"assigned_to_round": bool(assigned) if distribution_round else None,
	}


def find_household(code: str) -> str | None:
	code = (code or "").strip()
	if not code:
		return None
	by_card = frappe.db.get_value("Household", {"card_code": code.upper()}, "name")
	if by_card:
		return by_card
	cf = codice_fiscale.normalise(code)
	if codice_fiscale.is_valid(cf):
		return frappe.db.get_value("Citizen", {"codice_fiscale": cf}, "household")
	return None
