"""The person side of eligibility: what the rules of a service are checked against.

Built from the Citizen and their active Household in a few queries, so matching, referrals and
vouchers all judge the same facts the same way (tolink.network.eligibility has the rules). The
facts of work and housing (labour status, unemployed since, eviction pending) are kept on the
Citizen and the Household by tolink.pathways; minors and disability are read from the household's
members and the person's vulnerability flags; single parent and caring for a dependent are kept on
the Household (Household.validate, from its active members).
"""

import frappe
from frappe.utils import add_years, getdate, today

# the vulnerability flag (tolink.registry.setup) eligibility reads as a disability
DISABILITY_FLAG = "Disability"


def get_person_profile(citizen: str) -> dict:
	"""Facts about a citizen the eligibility rules use. Server-side: callers check read permission
	on the citizen (or the document that names it) first."""
	c = frappe.db.get_value(
		"Citizen",
		citizen,
		["birth_date", "district", "resident_in_turin", "household", "labour_status", "unemployed_since"],
		as_dict=True,
	)
	if not c:
		frappe.throw(frappe._("Citizen {0} not found").format(citizen), frappe.DoesNotExistError)
	profile = {
		"age": age_on(c.birth_date),
		"district": c.district,
		"resident_in_turin": bool(c.resident_in_turin),
		"isee": None,
		"isee_valid_until": None,
		"household_size": 1,
		"labour_status": c.labour_status or None,
		"unemployed_since": c.unemployed_since,
		"eviction_pending": False,
		"minors": 0,
		"single_parent": False,
		"cares_for_dependent": False,
		"disability": has_flag(citizen, DISABILITY_FLAG),
	}
	if c.household:
		h = frappe.db.get_value(
			"Household",
			c.household,
			[
				"isee_value",
				"isee_valid_until",
				"household_size",
				"district",
				"eviction_pending",
				"single_parent",
				"cares_for_dependent",
			],
			as_dict=True,
		)
		if h:
			# an ISEE of 0 is a real value when it has a validity date
			profile["isee"] = h.isee_value if (h.isee_value or h.isee_valid_until) else None
			profile["isee_valid_until"] = h.isee_valid_until
			profile["household_size"] = h.household_size or 1
			profile["district"] = profile["district"] or h.district
			profile["eviction_pending"] = bool(h.eviction_pending)
			profile["minors"] = count_minors(c.household)
			profile["single_parent"] = bool(h.single_parent)
			profile["cares_for_dependent"] = bool(h.cares_for_dependent)
	return profile


def has_flag(citizen: str, flag: str) -> bool:
	return bool(
		frappe.db.exists("Citizen Vulnerability", {"parenttype": "Citizen", "parent": citizen, "flag": flag})
	)


def count_minors(household: str, on_date=None) -> int:
	"""The household's active members under 18 on the day (birth date known)."""
	member, citizen = frappe.qb.DocType("Household Member"), frappe.qb.DocType("Citizen")
	adult_from = add_years(getdate(on_date or today()), -18)
	rows = (
		frappe.qb.from_(member)
		.join(citizen)
		.on(citizen.name == member.citizen)
		.select(member.citizen)
		.where(
			(member.parenttype == "Household")
			& (member.parent == household)
			& (member.is_active == 1)
			& (citizen.birth_date > adult_from)
		)
		.run(pluck=True)
	)
	return len(rows)


def age_on(birth_date, on_date=None) -> int | None:
	if not birth_date:
		return None
	born = getdate(birth_date)
	ref = getdate(on_date or today())
	return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
