"""Distribution rounds: which hub each household of a round collects from.

Called by tolink.api.desk.propose_hubs, which checks the caller may create rounds."""

import frappe
from frappe import _


def propose_hubs(households: list[str]) -> dict:
	"""For each eligible household (active, with an active head), the open hub to collect from:
	one in its own district first, else the hub serving the fewest assigned households.
	Households that are not eligible are listed apart, with the reason."""
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
