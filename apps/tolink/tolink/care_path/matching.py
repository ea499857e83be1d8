"""Orientation: which services could answer each need of an intake, and is the person eligible.

Eligibility itself is decided by tolink.network.eligibility (its rules, written once, are judged in
Python for referrals and vouchers and written as SQL for matching); this module gathers candidates
and ranks them, with a fixed number of queries whatever the number of services (no query per
service row). The score that orders them is written once too (`RANKING`): the database ranks with
its SQL, the list shown is ordered with its Python, and both read the same rules.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce

import frappe
from pypika.terms import Case, Criterion, ValueWrapper

from tolink.network import eligibility
from tolink.network.directory import need_subtrees
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS
from tolink.network.eligibility import AREA, PLACES_LEFT, Person
from tolink.registry.profile import get_person_profile


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


@dataclass(frozen=True)
class Term:
	"""A term of a suggestion's score: its weight, and whether a service earns it, in Python on the
	service's rules (`earned`) and in SQL on its row (`condition`)."""

	name: str
	weight: int
	earned: Callable[[dict, Person], bool]
	condition: Callable[..., Criterion]


def weekday(person: Person) -> str:
	return WEEKDAYS[person.on_date.weekday()]


def open_today(service: dict, person: Person) -> bool:
	return weekday(person) in (service.get("open_days") or "").split(",")


def open_today_condition(s, person: Person) -> Criterion:
	return eligibility.FindInSet(weekday(person), s.open_days) > 0


# best first: the eligible; then those serving the person's district, then the whole city; with
# places left; open today
RANKING = (
	Term("eligible", 1000, eligibility.is_eligible, eligibility.condition),
	Term("serves_district", 100, AREA.lists, AREA.lists_condition),
	Term("serves_every_district", 50, AREA.everywhere, AREA.everywhere_condition),
	Term("has_capacity", 20, PLACES_LEFT.passes, PLACES_LEFT.condition),
	Term("open_today", 10, open_today, open_today_condition),
)
# the Service columns the Python side of the ranking reads besides the rules
RANKING_FIELDS = ("open_days",)


def score(service: dict, person: Person) -> int:
	return sum(t.weight for t in RANKING if t.earned(service, person))


def score_sql(s, person: Person):
	return reduce(operator.add, (Case().when(t.condition(s, person), t.weight).else_(0) for t in RANKING))


def check_service_eligibility(citizen: str, service: str):
	"""Eligibility of one citizen for one service (referral creation uses it)."""
	rules = eligibility.load_rules([service])[service]
	return eligibility.evaluate(rules, get_person_profile(citizen))


def suggest_for_needs(citizen: str, need_categories: list[str], limit_per_need: int = 20) -> list[dict]:
	"""Best candidates per need, then judged by the eligibility rules.

	The database ranks the candidates of every need (rank_candidates, two queries), so the cost
	does not grow with the size of the directory; tolink.network.eligibility then decides, for
	the services shown, whether the person is eligible and why not, and `RANKING` orders them as
	the database did."""
	person = Person.from_profile(get_person_profile(citizen))
	ranked = rank_candidates(need_categories, person, limit_per_need)
	services = sorted({r.service for rows in ranked.values() for r in rows})
	rules = eligibility.load_rules(services, extra_fields=RANKING_FIELDS) if services else {}
	judged: dict[str, Suggestion] = {}
	for rows in ranked.values():
		for r in rows:
			if r.service in judged:
				continue
			service = rules[r.service]
			result = eligibility.evaluate(service, person)
			judged[r.service] = Suggestion(
				service=r.service,
				service_name=r.service_name,
				provider=r.provider,
				eligible=result.eligible,
				reasons=list(result.reasons),
				serves_district=AREA.lists(service, person),
				has_capacity=PLACES_LEFT.passes(service, person),
				open_today=open_today(service, person),
				score=score(service, person),
			)
	out = []
	for need in need_categories:
		rows = sorted(
			(judged[r.service] for r in ranked.get(need, [])), key=lambda s: (-s.score, s.service_name)
		)
		out.append({"need_category": need, "services": [s.as_dict() for s in rows]})
	return out


def rank_candidates(need_categories: list[str], person: Person, limit: int) -> dict[str, list]:
	"""Services taking referrals that answer each need (or a sub-need), best first (`RANKING`), at
	most `limit` per need: two queries, whatever the size of the directory (the sub-needs of each
	need, then one query with a part per need that ranks its services in the database). Each part
	finds the services answering the need in the covering index of Service Need Category, then reads
	their rows by primary key. Rows: need, service, service_name, provider, score."""
	if not need_categories:
		return {}
	subtrees = need_subtrees(need_categories)
	s = frappe.qb.DocType("Service").as_("s")
	snc = frappe.qb.DocType("Service Need Category").as_("snc")
	ranking = score_sql(s, person).as_("score")
	query = None
	for need in need_categories:
		if not subtrees.get(need):
			continue
		answering = (
			frappe.qb.from_(snc)
			.select(snc.parent)
			.distinct()
			.where(snc.need_category.isin(subtrees[need]) & (snc.parenttype == "Service"))
		).as_("answering")
		part = (
			frappe.qb.from_(s)
			.join(answering)
			.on(answering.parent == s.name)
			.select(
				ValueWrapper(need).as_("need"),
				s.name.as_("service"),
				s.service_name,
				s.provider,
				ranking,
			)
			.where(eligibility.TAKING_REFERRALS_RULE.condition(s, person))
			.orderby(ranking, order=frappe.qb.desc)
			.orderby(s.service_name)
			.limit(int(limit))
		)
		if query is None:
			# each part keeps its order and limit: (select ...) union all (select ...)
			part.wrap_set_operation_queries = True
			query = part
		else:
			query = query.union_all(part)
	result: dict[str, list] = {need: [] for need in need_categories}
	if query is None:
		return result
	for r in query.run(as_dict=True):
		result[r.need].append(r)
	return result
