"""The person side of eligibility: what the rules of a service are checked against.

Built from the Citizen and their active Household in two queries, so matching, referrals and
vouchers all judge the same facts the same way (tolink.network.eligibility has the rules).
"""

import frappe
from frappe.utils import getdate, today


def get_person_profile(citizen: str) -> dict:
	"""Facts about a citizen the eligibility rules use. Server-side: callers check read permission
	on the citizen (or the document that names it) first."""
	c = frappe.db.get_value(
		"Citizen",
		citizen,
		["birth_date", "district", "resident_in_turin", "household"],
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
	}
	if c.household:
		h = frappe.db.get_value(
			"Household",
			c.household,
			["isee_value", "isee_valid_until", "household_size", "district"],
			as_dict=True,
		)
		if h:
			# an ISEE of 0 is a real value when it has a validity date
			profile["isee"] = h.isee_value if (h.isee_value or h.isee_valid_until) else None
			profile["isee_valid_until"] = h.isee_valid_until
			profile["household_size"] = h.household_size or 1
			profile["district"] = profile["district"] or h.district
	return profile


def age_on(birth_date, on_date=None) -> int | None:
	if not birth_date:
		return None
	born = getdate(birth_date)
	ref = getdate(on_date or today())
	return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
