"""Orientation: which services could answer each need of an intake, and is the person eligible.

Eligibility itself is decided by tolink.network.eligibility (written once, used by matching,
referrals and vouchers); this module gathers candidates and ranks them, with a fixed number of
queries whatever the number of services (no query per service row).
"""

from dataclasses import dataclass, field

import frappe
from frappe.utils import getdate, today

from tolink.care_path.profile import get_person_profile
from tolink.network import eligibility

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Suggestion:
	service: str
	service_name: str
	provider: str
	eligible: bool
	reasons: list[str] = field(default_factory=list)
	serves_district: bool = False
	has_capacity: bool = True
	open_today: bool = False
	score: int = 0

	def as_dict(self) -> dict:
		return {k: getattr(self, k) for k in self.__dataclass_fields__}


def check_service_eligibility(citizen: str, service: str):
	"""Eligibility of one citizen for one service (referral creation uses it)."""
	rules = eligibility.load_rules([service])[service]
	return eligibility.evaluate(rules, get_person_profile(citizen))


def suggest_for_needs(citizen: str, need_categories: list[str], limit_per_need: int = 20) -> list[dict]:
	"""Best candidates per need, then judged by the eligibility rules.

	The database ranks the candidates of every need (rank_candidates, two queries), so the cost
	does not grow with the size of the directory; tolink.network.eligibility then decides, for
	the services shown, whether the person is eligible and why not. The ranking mirrors the rules
	to order the list; the flags and reasons always come from the rules themselves."""
	profile = get_person_profile(citizen)
	weekday = WEEKDAYS[getdate(today()).weekday()]
	ranked = rank_candidates(need_categories, profile, weekday, limit_per_need)
	services = sorted({r.service for rows in ranked.values() for r in rows})
	rules = eligibility.load_rules(services) if services else {}
	on_date = getdate(today())
	judged: dict[str, Suggestion] = {}
	for rows in ranked.values():
		for r in rows:
			if r.service in judged:
				continue
			result = eligibility.evaluate(rules[r.service], profile, on_date=on_date)
			districts = rules[r.service].get("districts") or []
			capacity = rules[r.service].get("capacity") or 0
			s = Suggestion(
				service=r.service,
				service_name=r.service_name,
				provider=r.provider,
				eligible=result.eligible,
				reasons=list(result.reasons),
				serves_district=bool(profile.get("district") and profile["district"] in districts),
				has_capacity=not capacity or (rules[r.service].get("capacity_used") or 0) < capacity,
				open_today=bool(r.open_today),
			)
			s.score = (
				(1000 if s.eligible else 0)
				+ (100 if s.serves_district else (50 if not districts else 0))
				+ (20 if s.has_capacity else 0)
				+ (10 if s.open_today else 0)
			)
			judged[r.service] = s
	out = []
	for need in need_categories:
		rows = sorted(
			(judged[r.service] for r in ranked.get(need, [])), key=lambda s: (-s.score, s.service_name)
		)
		out.append({"need_category": need, "services": [s.as_dict() for s in rows]})
	return out


SCORE_SQL = """
	1000 * (
		(coalesce(s.min_age, 0) = 0 or (%(age_known)s and %(age)s >= s.min_age))
		and (coalesce(s.max_age, 0) = 0 or (%(age_known)s and %(age)s <= s.max_age))
		and (coalesce(s.max_isee, 0) = 0 or (%(isee_ok)s and %(isee)s <= s.max_isee))
		and (coalesce(s.min_household_size, 0) = 0 or %(size)s >= s.min_household_size)
		and (coalesce(s.max_household_size, 0) = 0 or %(size)s <= s.max_household_size)
		and (coalesce(s.residency_required, 0) = 0 or %(resident)s)
		and (coalesce(s.district_list, '') = '' or find_in_set(%(district)s, s.district_list) > 0)
	)
	+ case
		when find_in_set(%(district)s, s.district_list) > 0 then 100
		when coalesce(s.district_list, '') = '' then 50
		else 0 end
	+ 20 * (coalesce(s.capacity, 0) = 0 or coalesce(s.capacity_used, 0) < s.capacity)
	+ 10 * (find_in_set(%(weekday)s, s.open_days) > 0)
"""


def rank_candidates(need_categories: list[str], profile: dict, weekday: str, limit: int) -> dict[str, list]:
	"""Active services answering each need (or a sub-need), best first, at most `limit` per need:
	two queries, whatever the size of the directory (the sub-needs of each need, then one query
	with a part per need that ranks its services in the database)."""
	if not need_categories:
		return {}
	subtrees = need_subtrees(need_categories)
	age = profile.get("age")
	isee = profile.get("isee")
	valid = profile.get("isee_valid_until")
	values = {
		"district": profile.get("district") or "",
		"age": age if age is not None else -1,
		"age_known": int(age is not None),
		"isee": isee if isee is not None else 0,
		"isee_ok": int(isee is not None and (not valid or getdate(valid) >= getdate(today()))),
		"size": profile.get("household_size") or 1,
		"resident": int(bool(profile.get("resident_in_turin"))),
		"weekday": weekday,
		"limit": int(limit),
	}
	parts = []
	for i, need in enumerate(need_categories):
		if not subtrees.get(need):
			continue
		values[f"need_{i}"], values[f"subs_{i}"] = need, tuple(subtrees[need])
		parts.append(
			f"""(
			select %(need_{i})s as need, s.name as service, s.service_name, s.provider,
				find_in_set(%(weekday)s, s.open_days) > 0 as open_today, {SCORE_SQL} as score
			from `tabService` s
			join (
				select distinct snc.parent from `tabService Need Category` snc
				where snc.need_category in %(subs_{i})s and snc.parenttype = 'Service'
			) answering on answering.parent = s.name
			where s.status = 'Active'
			order by score desc, s.service_name
			limit %(limit)s
		)"""
		)
	result: dict[str, list] = {need: [] for need in need_categories}
	if not parts:
		return result
	for r in frappe.db.sql(" union all ".join(parts), values, as_dict=True):
		result[r.need].append(r)
	return result


def need_subtrees(need_categories: list[str]) -> dict[str, list[str]]:
	"""Each need category with its sub-categories (the tree is small: one query)."""
	b = frappe.qb.DocType("Need Category").as_("b")
	sub = frappe.qb.DocType("Need Category").as_("sub")
	rows = (
		frappe.qb.from_(b)
		.join(sub)
		.on((sub.lft >= b.lft) & (sub.rgt <= b.rgt))
		.select(b.name, sub.name)
		.where(b.name.isin(list(need_categories)))
		.run()
	)
	subtrees: dict[str, list[str]] = {}
	for need, child in rows:
		subtrees.setdefault(need, []).append(child)
	return subtrees


def services_by_need(need_categories: list[str]) -> dict[str, list[str]]:
	"""Active services answering each need category or one of its sub-categories (two queries)."""
	if not need_categories:
		return {}
	nc = frappe.qb.DocType("Need Category")
	bounds = (
		frappe.qb.from_(nc)
		.select(nc.name, nc.lft, nc.rgt)
		.where(nc.name.isin(need_categories))
		.run(as_dict=True)
	)
	if not bounds:
		return {}
	sub = frappe.qb.DocType("Need Category").as_("sub")
	snc = frappe.qb.DocType("Service Need Category")
	service = frappe.qb.DocType("Service")
	condition = None
	for b in bounds:
		c = (sub.lft >= b.lft) & (sub.rgt <= b.rgt)
		condition = c if condition is None else condition | c
	rows = (
		frappe.qb.from_(snc)
		.join(sub)
		.on(sub.name == snc.need_category)
		.join(service)
		.on(service.name == snc.parent)
		.select(snc.parent.as_("service"), sub.lft, sub.rgt)
		.where((snc.parenttype == "Service") & (service.status == "Active") & condition)
		.run(as_dict=True)
	)
	result: dict[str, list[str]] = {b.name: [] for b in bounds}
	for b in bounds:
		seen = result[b.name]
		for r in rows:
			if b.lft <= r.lft and r.rgt <= b.rgt and r.service not in seen:
				seen.append(r.service)
	return result


def services_open_on(services: list[str], weekday: str) -> set[str]:
	if not services:
		return set()
	sch = frappe.qb.DocType("Service Schedule")
	rows = (
		frappe.qb.from_(sch)
		.select(sch.parent)
		.distinct()
		.where((sch.parenttype == "Service") & (sch.parent.isin(services)) & (sch.weekday == weekday))
		.run()
	)
	return {r[0] for r in rows}
