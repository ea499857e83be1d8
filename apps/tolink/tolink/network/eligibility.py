"""Eligibility of a person for a service, written once: `RULES`, one object per rule, each of which
knows its reason in plain words, how to judge a person against a service in Python, and how to say
the same as an SQL condition on the service's row. Everything else is made from that list:

- `evaluate(rules, person)` judges a service's (or a voucher programme's) rules against a person's
  facts (tolink.registry.profile.get_person_profile) and explains every "no", translated for the
  user ("ISEE 9.200 € sopra la soglia di 6.000 €"): referral creation, vouchers, matching's flags;
- `condition(s, person)` is the same judgement as a frappe.qb condition on the Service table, true
  exactly when `evaluate` says eligible: matching ranks thousands of services with it in the
  database (tolink.care_path.matching). tolink/care_path/test_matching_rules.py holds the two
  against each other on random people and services.

Unknown facts never make a person eligible: a service with an ISEE ceiling needs a declared, valid
ISEE. The person's facts are known before any query, so a rule writes its condition for this person
(values, never a column of the person) and reads the service's criteria from its row: the
districts from `district_list`, the column Service keeps for this (Service.set_search_columns).
A rule that does not exclude (no places left) only explains: a service without places is still
suggested, with the reason, after those with places.
"""

from dataclasses import dataclass, field
from datetime import date

import frappe
from frappe import _
from frappe.query_builder import CustomFunction
from frappe.query_builder.functions import Coalesce
from frappe.utils import formatdate, getdate, today
from pypika.terms import Criterion, ValueWrapper

from tolink.network.doctype.service.service import TAKING_REFERRALS

FindInSet = CustomFunction("FIND_IN_SET", ["needle", "haystack"])
# the labour status months of unemployment are counted in (Citizen.labour_status, kept by
# tolink.pathways from the employment profile)
UNEMPLOYED = "Unemployed"


@dataclass
class EligibilityResult:
	eligible: bool = True
	reasons: list[str] = field(default_factory=list)
	notes: list[str] = field(default_factory=list)

	def refuse(self, reason: str) -> None:
		self.eligible = False
		self.reasons.append(reason)

	def note(self, note: str) -> None:
		self.reasons.append(note)
		self.notes.append(note)


@dataclass(frozen=True)
class Person:
	"""The facts the rules read about a person, and the day they are judged on."""

	age: int | None = None
	district: str | None = None
	isee: float | None = None
	isee_valid_until: date | None = None
	household_size: int = 1
	resident: bool = False
	# work, housing, family (tolink.pathways keeps them on the Citizen and the Household)
	labour_status: str | None = None
	unemployed_since: date | None = None
	eviction_pending: bool = False
	minors: int = 0
	single_parent: bool = False
	cares_for_dependent: bool = False
	disability: bool = False
	on_date: date = field(default_factory=lambda: getdate(today()))

	@classmethod
	def from_profile(cls, profile: dict, on_date=None) -> "Person":
		"""From the facts of tolink.registry.profile.get_person_profile (or the same keys)."""
		isee, valid_until = profile.get("isee"), profile.get("isee_valid_until")
		return cls(
			age=profile.get("age"),
			district=profile.get("district") or None,
			isee=None if isee is None else float(isee),
			isee_valid_until=getdate(valid_until) if valid_until else None,
			household_size=profile.get("household_size") or 1,
			resident=bool(profile.get("resident_in_turin")),
			labour_status=profile.get("labour_status") or None,
			unemployed_since=getdate(profile["unemployed_since"])
			if profile.get("unemployed_since")
			else None,
			eviction_pending=bool(profile.get("eviction_pending")),
			minors=profile.get("minors") or 0,
			single_parent=bool(profile.get("single_parent")),
			cares_for_dependent=bool(profile.get("cares_for_dependent")),
			disability=bool(profile.get("disability")),
			on_date=getdate(on_date or today()),
		)

	@property
	def isee_expired(self) -> bool:
		return bool(self.isee_valid_until and self.isee_valid_until < self.on_date)

	@property
	def months_unemployed(self) -> int | None:
		"""Whole months unemployed on the day (None: not unemployed, or since when unknown)."""
		if self.labour_status != UNEMPLOYED or not self.unemployed_since:
			return None
		since, on = self.unemployed_since, self.on_date
		months = (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day)
		return max(months, 0)

	@property
	def valid_isee(self) -> float | None:
		"""The ISEE a ceiling is checked against: declared, and valid on the day."""
		return None if self.isee is None or self.isee_expired else self.isee


def fact(value: bool) -> Criterion:
	"""Something known about the person before the query, as an SQL condition (1=1 or 0=1)."""
	return ValueWrapper(int(bool(value))) == 1


def unset_or(column, met: Criterion | bool) -> Criterion:
	"""The service sets no such criterion (0 or empty), or the person meets it: `met` is a condition on
	the service's row, or a fact known before the query (whose age is unknown meets no age limit)."""
	if isinstance(met, bool):
		return fact(True) if met else Coalesce(column, 0) == 0
	return (Coalesce(column, 0) == 0) | met


class Rule:
	"""One eligibility rule of a service (a voucher programme has the same rules)."""

	# the Service columns it reads (tolink.network.eligibility.load_rules loads them)
	fields: tuple[str, ...] = ()
	# a person who does not pass is not eligible; otherwise the rule only explains (no places left)
	excludes: bool = True

	def passes(self, service: dict, person: Person) -> bool:
		"""In Python, on the service's rules (`load_rules`, or a voucher programme's)."""
		raise NotImplementedError

	def reason(self, service: dict, person: Person) -> str:
		"""Why it does not pass, in the user's language (asked only when it does not)."""
		raise NotImplementedError

	def condition(self, s, person: Person) -> Criterion:
		"""The same as `passes`, in SQL on the row of the Service table `s`."""
		raise NotImplementedError


class TakingReferrals(Rule):
	"""The service is active (a service suspended or closed is not suggested at all)."""

	fields = ("status",)

	def passes(self, service, person):
		return not service.get("status") or service["status"] in TAKING_REFERRALS

	def reason(self, service, person):
		status = service["status"]
		return _("the service is {0}").format(_(status).lower())

	def condition(self, s, person):
		return Coalesce(s.status, "").isin(("", *TAKING_REFERRALS))


class AgeLimits(Rule):
	fields = ("min_age", "max_age")

	def passes(self, service, person):
		min_age, max_age = service.get("min_age") or 0, service.get("max_age") or 0
		if not (min_age or max_age):
			return True
		if person.age is None:
			return False
		return not ((min_age and person.age < min_age) or (max_age and person.age > max_age))

	def reason(self, service, person):
		age, min_age, max_age = person.age, service.get("min_age") or 0, service.get("max_age") or 0
		if age is None:
			return _("age unknown: the service has an age limit")
		if min_age and max_age:
			return _("age {0}: the service is for ages {1}-{2}").format(age, min_age, max_age)
		if min_age:
			return _("age {0}: the service is from age {1}").format(age, min_age)
		return _("age {0}: the service is up to age {1}").format(age, max_age)

	def condition(self, s, person):
		known = person.age is not None
		return unset_or(s.min_age, known and s.min_age <= person.age) & unset_or(
			s.max_age, known and s.max_age >= person.age
		)


class Area(Rule):
	"""The districts the service serves (none: the whole city). In Python from the child table, in
	SQL from the service's `district_list`."""

	def passes(self, service, person):
		return self.everywhere(service, person) or self.lists(service, person)

	def reason(self, service, person):
		districts = service["districts"]
		if not person.district:
			return _("district unknown: the service serves districts {0}").format(join_words(districts))
		if len(districts) == 1:
			return _("outside the area: serves district {0}").format(districts[0])
		return _("outside the area: serves districts {0}").format(join_words(districts))

	def condition(self, s, person):
		return self.everywhere_condition(s, person) | self.lists_condition(s, person)

	# matching ranks the two ways of serving a person differently
	def everywhere(self, service, person=None) -> bool:
		"""The service serves the whole city."""
		return not service.get("districts")

	def everywhere_condition(self, s, person=None) -> Criterion:
		return Coalesce(s.district_list, "") == ""

	def lists(self, service, person) -> bool:
		"""The service names the person's district."""
		return bool(person.district) and person.district in (service.get("districts") or [])

	def lists_condition(self, s, person) -> Criterion:
		if not person.district:
			return fact(False)
		return FindInSet(person.district, s.district_list) > 0


class IseeCeiling(Rule):
	fields = ("max_isee",)

	def passes(self, service, person):
		max_isee = service.get("max_isee") or 0
		return not max_isee or (person.valid_isee is not None and person.valid_isee <= float(max_isee))

	def reason(self, service, person):
		max_isee = service.get("max_isee") or 0
		if person.isee is None:
			return _("ISEE not declared: the threshold is {0}").format(format_eur(max_isee))
		if person.isee_expired:
			return _("ISEE expired on {0}").format(formatdate(person.isee_valid_until, "dd/MM/yyyy"))
		return _("ISEE {0} above the threshold of {1}").format(format_eur(person.isee), format_eur(max_isee))

	def condition(self, s, person):
		valid = person.valid_isee
		return unset_or(s.max_isee, valid is not None and s.max_isee >= valid)


class MinHouseholdSize(Rule):
	fields = ("min_household_size",)

	def passes(self, service, person):
		minimum = service.get("min_household_size") or 0
		return not minimum or person.household_size >= minimum

	def reason(self, service, person):
		return _("household of {0}: the service is for households of at least {1}").format(
			person.household_size, service["min_household_size"]
		)

	def condition(self, s, person):
		return unset_or(s.min_household_size, s.min_household_size <= person.household_size)


class MaxHouseholdSize(Rule):
	fields = ("max_household_size",)

	def passes(self, service, person):
		maximum = service.get("max_household_size") or 0
		return not maximum or person.household_size <= maximum

	def reason(self, service, person):
		return _("household of {0}: the service is for households of up to {1}").format(
			person.household_size, service["max_household_size"]
		)

	def condition(self, s, person):
		return unset_or(s.max_household_size, s.max_household_size >= person.household_size)


class Residency(Rule):
	fields = ("residency_required",)

	def passes(self, service, person):
		return not service.get("residency_required") or person.resident

	def reason(self, service, person):
		return _("not resident in Turin")

	def condition(self, s, person):
		return unset_or(s.residency_required, person.resident)


class LabourStatus(Rule):
	"""The service is for people of one labour status (a text column: '' is unset, not 0)."""

	fields = ("labour_status_required",)

	def passes(self, service, person):
		required = service.get("labour_status_required")
		return not required or person.labour_status == required

	def reason(self, service, person):
		required = service["labour_status_required"]
		required = _(required).lower()
		if not person.labour_status:
			return _("labour status unknown: the service is for people who are {0}").format(required)
		return _("labour status {0}: the service is for people who are {1}").format(
			_(person.labour_status).lower(), required
		)

	def condition(self, s, person):
		unset = Coalesce(s.labour_status_required, "") == ""
		if not person.labour_status:
			return unset
		return unset | (s.labour_status_required == person.labour_status)


class MonthsUnemployed(Rule):
	fields = ("min_months_unemployed",)

	def passes(self, service, person):
		minimum = service.get("min_months_unemployed") or 0
		months = person.months_unemployed
		return not minimum or (months is not None and months >= minimum)

	def reason(self, service, person):
		minimum = service["min_months_unemployed"]
		if person.labour_status != UNEMPLOYED:
			return _("not unemployed: the service requires at least {0} months of unemployment").format(
				minimum
			)
		if person.months_unemployed is None:
			return _("unemployed since an unknown date: the service requires at least {0} months").format(
				minimum
			)
		return _("unemployed for {0} months: the service requires at least {1}").format(
			person.months_unemployed, minimum
		)

	def condition(self, s, person):
		months = person.months_unemployed
		return unset_or(s.min_months_unemployed, months is not None and s.min_months_unemployed <= months)


class EvictionPending(Rule):
	fields = ("eviction_required",)

	def passes(self, service, person):
		return not service.get("eviction_required") or person.eviction_pending

	def reason(self, service, person):
		return _("no eviction pending: the service is for households facing eviction")

	def condition(self, s, person):
		return unset_or(s.eviction_required, person.eviction_pending)


class MinorsInHousehold(Rule):
	fields = ("minors_required",)

	def passes(self, service, person):
		return not service.get("minors_required") or person.minors > 0

	def reason(self, service, person):
		return _("no minors in the household: the service is for households with minors")

	def condition(self, s, person):
		return unset_or(s.minors_required, person.minors > 0)


class SingleParent(Rule):
	fields = ("single_parent_required",)

	def passes(self, service, person):
		return not service.get("single_parent_required") or person.single_parent

	def reason(self, service, person):
		return _("not a single-parent household: the service is for single-parent households")

	def condition(self, s, person):
		return unset_or(s.single_parent_required, person.single_parent)


class DependentCare(Rule):
	fields = ("dependent_care_required",)

	def passes(self, service, person):
		return not service.get("dependent_care_required") or person.cares_for_dependent

	def reason(self, service, person):
		return _("no dependent cared for: the service is for households caring for a dependent")

	def condition(self, s, person):
		return unset_or(s.dependent_care_required, person.cares_for_dependent)


class Disability(Rule):
	fields = ("disability_required",)

	def passes(self, service, person):
		return not service.get("disability_required") or person.disability

	def reason(self, service, person):
		return _("no disability recorded: the service is for people with disability")

	def condition(self, s, person):
		return unset_or(s.disability_required, person.disability)


class PlacesLeft(Rule):
	"""Capacity: a full service is still eligible, with the reason (its places free up)."""

	fields = ("capacity", "capacity_used", "available_from")
	excludes = False

	def passes(self, service, person):
		capacity = service.get("capacity") or 0
		return not capacity or (service.get("capacity_used") or 0) < capacity

	def reason(self, service, person):
		available = service.get("available_from")
		if available and getdate(available) > person.on_date:
			return _("no places left until {0}").format(formatdate(available, "dd/MM"))
		return _("no places left")

	def condition(self, s, person):
		return unset_or(s.capacity, Coalesce(s.capacity_used, 0) < s.capacity)


TAKING_REFERRALS_RULE = TakingReferrals()
AREA = Area()
PLACES_LEFT = PlacesLeft()
# in the order their reasons are given
RULES: tuple[Rule, ...] = (
	TAKING_REFERRALS_RULE,
	AgeLimits(),
	AREA,
	IseeCeiling(),
	MinHouseholdSize(),
	MaxHouseholdSize(),
	Residency(),
	LabourStatus(),
	MonthsUnemployed(),
	EvictionPending(),
	MinorsInHousehold(),
	SingleParent(),
	DependentCare(),
	Disability(),
	PLACES_LEFT,
)
RULE_FIELDS = tuple(dict.fromkeys(f for rule in RULES for f in rule.fields))


def evaluate(rules: dict, person: dict | Person, on_date=None) -> EligibilityResult:
	"""A person (a profile, or Person) judged against a service's rules, with every reason."""
	if not isinstance(person, Person):
		person = Person.from_profile(person, on_date)
	result = EligibilityResult()
	for rule in RULES:
		if not rule.passes(rules, person):
			if rule.excludes:
				result.refuse(rule.reason(rules, person))
			else:
				result.note(rule.reason(rules, person))
	return result


def is_eligible(rules: dict, person: Person) -> bool:
	return all(rule.passes(rules, person) for rule in RULES if rule.excludes)


def condition(s, person: Person) -> Criterion:
	"""Eligible, in SQL on the row of the Service table `s`: true exactly when `evaluate` says so."""
	return Criterion.all([rule.condition(s, person) for rule in RULES if rule.excludes])


def format_eur(value) -> str:
	"""9200 -> "9.200 €", 6000.5 -> "6.000,50 €" (Italian style, whatever the user's settings)."""
	value = float(value or 0)
	whole = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
	return whole.replace(",", "\x00").replace(".", ",").replace("\x00", ".") + " €"


def join_words(items: list[str]) -> str:
	items = [str(i) for i in items]
	if len(items) <= 1:
		return "".join(items)
	return _("{0} and {1}").format(", ".join(items[:-1]), items[-1])


def load_rules(service_names: list[str], extra_fields: tuple[str, ...] = ()) -> dict[str, dict]:
	"""The rules of many services in two queries (services, their districts); `extra_fields`: other
	columns of the Service the caller reads with them."""
	if not service_names:
		return {}
	service = frappe.qb.DocType("Service")
	rows = (
		frappe.qb.from_(service)
		.select(service.name, *(service[f] for f in dict.fromkeys(RULE_FIELDS + tuple(extra_fields))))
		.where(service.name.isin(list(service_names)))
		.run(as_dict=True)
	)
	rules = {r.pop("name"): dict(r, districts=[]) for r in rows}
	sd = frappe.qb.DocType("Service District")
	for parent, district in (
		frappe.qb.from_(sd)
		.select(sd.parent, sd.district)
		.where((sd.parenttype == "Service") & sd.parent.isin(list(rules)))
		.orderby(sd.parent)
		.orderby(sd.idx)
		.run()
	):
		rules[parent]["districts"].append(district)
	missing = set(service_names) - set(rules)
	if missing:
		frappe.throw(_("Service {0} not found").format(", ".join(sorted(missing))), frappe.DoesNotExistError)
	return rules
