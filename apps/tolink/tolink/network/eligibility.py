"""Eligibility rules of a service, written once and used everywhere: matching, referral creation,
voucher programmes.

`evaluate(rules, person)` judges a person's facts (tolink.care_path.profile.get_person_profile)
against a service's machine-checkable rules and explains every "no" in plain words, translated
for the user ("ISEE 9.200 € sopra la soglia di 6.000 €"). Unknown facts never make a person
eligible: a service with an ISEE ceiling needs a declared, valid ISEE.
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, today

RULE_FIELDS = (
	"status",
	"min_age",
	"max_age",
	"max_isee",
	"min_household_size",
	"max_household_size",
	"residency_required",
	"capacity",
	"capacity_used",
	"available_from",
)


@dataclass
class EligibilityResult:
	eligible: bool = True
	reasons: list[str] = field(default_factory=list)
	notes: list[str] = field(default_factory=list)

	def refuse(self, reason: str) -> None:
		self.eligible = False
		self.reasons.append(reason)


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


def evaluate(rules: dict, person: dict, on_date=None) -> EligibilityResult:
	on_date = getdate(on_date or today())
	result = EligibilityResult()
	status = rules.get("status") or "Active"
	if status != "Active":
		result.refuse(_("the service is {0}").format(_(status).lower()))

	age = person.get("age")
	min_age, max_age = rules.get("min_age") or 0, rules.get("max_age") or 0
	if min_age or max_age:
		if age is None:
			result.refuse(_("age unknown: the service has an age limit"))
		elif (min_age and age < min_age) or (max_age and age > max_age):
			if min_age and max_age:
				result.refuse(_("age {0}: the service is for ages {1}-{2}").format(age, min_age, max_age))
			elif min_age:
				result.refuse(_("age {0}: the service is from age {1}").format(age, min_age))
			else:
				result.refuse(_("age {0}: the service is up to age {1}").format(age, max_age))

	districts = rules.get("districts") or []
	if districts:
		if not person.get("district"):
			result.refuse(
				_("district unknown: the service serves districts {0}").format(join_words(districts))
			)
		elif person["district"] not in districts:
			if len(districts) == 1:
				result.refuse(_("outside the area: serves district {0}").format(districts[0]))
			else:
				result.refuse(_("outside the area: serves districts {0}").format(join_words(districts)))

	max_isee = rules.get("max_isee") or 0
	if max_isee:
		isee, valid_until = person.get("isee"), person.get("isee_valid_until")
		if isee is None:
			result.refuse(_("ISEE not declared: the threshold is {0}").format(format_eur(max_isee)))
		elif valid_until and getdate(valid_until) < on_date:
			result.refuse(_("ISEE expired on {0}").format(formatdate(valid_until, "dd/MM/yyyy")))
		elif float(isee) > float(max_isee):
			result.refuse(
				_("ISEE {0} above the threshold of {1}").format(format_eur(isee), format_eur(max_isee))
			)

	size = person.get("household_size") or 1
	min_size, max_size = rules.get("min_household_size") or 0, rules.get("max_household_size") or 0
	if min_size and size < min_size:
		result.refuse(
			_("household of {0}: the service is for households of at least {1}").format(size, min_size)
		)
	if max_size and size > max_size:
		result.refuse(
			_("household of {0}: the service is for households of up to {1}").format(size, max_size)
		)

	if rules.get("residency_required") and not person.get("resident_in_turin"):
		result.refuse(_("not resident in Turin"))

	capacity = rules.get("capacity") or 0
	if capacity and (rules.get("capacity_used") or 0) >= capacity:
		available = rules.get("available_from")
		if available and getdate(available) > on_date:
			note = _("no places left until {0}").format(formatdate(available, "dd/MM"))
		else:
			note = _("no places left")
		result.reasons.append(note)
		result.notes.append(note)
	return result


def load_rules(service_names: list[str]) -> dict[str, dict]:
	"""The rules of many services in two queries (services, their districts)."""
	if not service_names:
		return {}
	service = frappe.qb.DocType("Service")
	rows = (
		frappe.qb.from_(service)
		.select(service.name, *(service[f] for f in RULE_FIELDS))
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
