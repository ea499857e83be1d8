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
	profile = get_person_profile(citizen)
	candidates = services_by_need(need_categories)
	all_services = sorted({s for names in candidates.values() for s in names})
	rules = eligibility.load_rules(all_services) if all_services else {}
	info = service_info(all_services)
	weekday = WEEKDAYS[getdate(today()).weekday()]
	open_today = services_open_on(all_services, weekday)

	judged: dict[str, Suggestion] = {}
	for name in all_services:
		result = eligibility.evaluate(rules[name], profile)
		districts = rules[name].get("districts") or []
		row = info[name]
		has_capacity = not row.capacity or (row.capacity_used or 0) < row.capacity
		s = Suggestion(
			service=name,
			service_name=row.service_name,
			provider=row.provider,
			eligible=result.eligible,
			reasons=list(result.reasons),
			serves_district=bool(profile.get("district") and profile["district"] in districts),
			has_capacity=has_capacity,
			open_today=name in open_today,
		)
		s.score = (
			(1000 if s.eligible else 0)
			+ (100 if s.serves_district else (50 if not districts else 0))
			+ (20 if s.has_capacity else 0)
			+ (10 if s.open_today else 0)
		)
		judged[name] = s

	out = []
	for need in need_categories:
		ranked = sorted(
			(judged[s] for s in candidates.get(need, ())), key=lambda s: (-s.score, s.service_name)
		)
		out.append({"need_category": need, "services": [s.as_dict() for s in ranked[:limit_per_need]]})
	return out


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


def service_info(services: list[str]) -> dict:
	if not services:
		return {}
	s = frappe.qb.DocType("Service")
	rows = (
		frappe.qb.from_(s)
		.select(s.name, s.service_name, s.provider, s.capacity, s.capacity_used)
		.where(s.name.isin(services))
		.run(as_dict=True)
	)
	return {r.name: r for r in rows}


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
