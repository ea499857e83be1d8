"""The hub counter: find the household from its card or a member's codice fiscale, see at once
whether it already collected in this period anywhere in the network; hub alerts."""

import json

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, today

from tolink.distribution.collection import already_collected, describe
from tolink.distribution.permissions import check_hub_access
from tolink.registry import codice_fiscale

HUB_ROLES = {"Hub Manager", "Hub Volunteer", "Network Administrator"}


def require_hub_role():
	if not HUB_ROLES.intersection(frappe.get_roles()):
		frappe.throw(_("Only hub staff use the counter."), frappe.PermissionError)


@frappe.whitelist(methods=["GET"])
def counter_lookup(hub: str, code: str, distribution_round: str | None = None) -> dict:
	"""What the counter needs and nothing more: household id, size, the head's first name, and
	where and when it already collected in this period."""
	require_hub_role()
	check_hub_access(hub)
	household = find_household(code)
	if not household:
		return {"found": False, "message": _("No household with this card or codice fiscale.")}
	info = frappe.db.get_value(
		"Household", household, ["name", "household_size", "head_of_household", "status"], as_dict=True
	)
	# any hub of the network serves the household (card or codice fiscale shown at the counter), so
	# every lookup is in the person's access log: who looked them up, at which hub
	from tolink.privacy.access_log import log_read

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


@frappe.whitelist(methods=["GET"])
def hub_alerts(hub: str) -> dict:
	"""Low stock and lots expiring within 7 days at a hub."""
	frappe.has_permission("Distribution Hub", "read", doc=hub, throw=True)
	check_hub_access(hub)
	from tolink.distribution.stock import get_balances

	balances = get_balances(hub)
	totals: dict[str, float] = {}
	for b in balances:
		totals[b.aid_item] = totals.get(b.aid_item, 0) + flt(b.qty)
	items = frappe.get_all(
		"Aid Item", fields=["name", "low_stock_threshold"], filters={"low_stock_threshold": (">", 0)}
	)
	low = [
		{"aid_item": i.name, "qty": totals.get(i.name, 0), "threshold": i.low_stock_threshold}
		for i in items
		if totals.get(i.name, 0) < flt(i.low_stock_threshold)
	]
	soon = add_days(today(), 7)
	expiring = [
		{"aid_item": b.aid_item, "lot": b.lot, "expiry_date": str(b.expiry_date), "qty": b.qty}
		for b in balances
		if b.expiry_date and getdate(b.expiry_date) <= getdate(soon) and flt(b.qty) > 0
	]
	return {"low_stock": low, "expiring": expiring}


def parse_names(argument: str, value) -> list[str]:
	"""A list of names sent as JSON (or as a list): anything else is a clear 417, not a 500."""
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			value = None
	if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
		frappe.throw(
			_("{0} must be a list of names.").format(argument),
			frappe.ValidationError,
			title=_("Invalid request"),
		)
	return value


@frappe.whitelist(methods=["GET"])
def propose_hubs(households: str | list) -> dict:
	"""For each eligible household (active, with an active head), the open hub to collect from:
	one in its own district first, else the hub serving the fewest assigned households.
	Households that are not eligible are listed apart, with the reason."""
	frappe.has_permission("Distribution Round", "create", throw=True)
	households = parse_names("households", households)
	hubs = frappe.get_all(
		"Distribution Hub", filters={"is_active": 1}, fields=["name", "district"], order_by="name"
	)
	# only what the proposal needs is read: status and district of the households named, and only
	# of those the caller may read (another organisation's household is answered as unknown)
	info = {
		h.name: h
		for h in frappe.get_list(
			"Household",
			filters={"name": ("in", households)},
			fields=["name", "district", "status", "head_of_household"],
			limit_page_length=0,
		)
	}
	load = {h.name: 0 for h in hubs}
	proposal, not_eligible = {}, {}
	for household in households:
		h = info.get(household)
		if not h or h.status != "Active" or not h.head_of_household:
			not_eligible[household] = _("not an active household")
			continue
		if not hubs:
			not_eligible[household] = _("no open hub")
			continue
		local = [hub.name for hub in hubs if hub.district and hub.district == h.district]
		pool = local or [hub.name for hub in hubs]
		choice = min(pool, key=lambda name: (load[name], name))
		load[choice] += 1
		proposal[household] = choice
	return {"proposal": proposal, "not_eligible": not_eligible}
