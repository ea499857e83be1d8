"""Whether a household may have a voucher of a programme, and why not: written once.

A voucher's issue refuses with these reasons (Voucher.issue), the application step lists every
programme with them (tolink.vouchers.applications). The person's side is the services' rules
(tolink.network.eligibility, on the head of household's profile); the voucher's side adds the
programme issuing today, the household active with a head, the head's consent to vouchers, one
voucher in use per programme, an amount for the household's size and, for a proposal, the budget
left (issuing checks the budget again on the locked programme row).
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import flt, getdate, today

from tolink.network.eligibility import evaluate, format_eur
from tolink.registry.consent import has_consent
from tolink.registry.profile import get_person_profile

# the purpose of the consent a voucher needs (Consent.purpose)
CONSENT_PURPOSE = "Vouchers"


@dataclass(frozen=True)
class HouseholdFacts:
	"""What the vouchers' rules read of a household, loaded once for every programme."""

	name: str
	active: bool
	head: str | None
	head_name: str | None
	size: int
	profile: dict | None
	consent: bool
	programmes_in_use: frozenset[str]

	@classmethod
	def load(cls, household: str, in_use: tuple[str, ...]) -> "HouseholdFacts":
		"""Server-side: the caller has checked it may read the household. `in_use`: the statuses of
		a voucher still in use (tolink.vouchers.doctype.voucher.voucher.IN_USE, which imports this
		module)."""
		h = frappe.db.get_value(
			"Household",
			household,
			["name", "status", "head_of_household", "head_of_household_name", "household_size"],
			as_dict=True,
		)
		if not h:
			frappe.throw(_("Household {0} not found").format(household), frappe.DoesNotExistError)
		head = h.head_of_household
		voucher = frappe.qb.DocType("Voucher")
		in_use = (
			frappe.qb.from_(voucher)
			.select(voucher.programme)
			.where((voucher.household == household) & voucher.status.isin(list(in_use)))
			.run(pluck=True)
		)
		return cls(
			name=h.name,
			active=h.status == "Active",
			head=head,
			head_name=h.head_of_household_name,
			size=h.household_size or 1,
			profile=get_person_profile(head) if head else None,
			consent=bool(head) and has_consent(head, CONSENT_PURPOSE),
			programmes_in_use=frozenset(in_use),
		)


@dataclass
class Assessment:
	programme: str
	eligible: bool = True
	reasons: list[str] = field(default_factory=list)
	amount: float | None = None

	def refuse(self, reason: str) -> None:
		self.eligible = False
		self.reasons.append(reason)


def assess(programme, household: HouseholdFacts, check_budget: bool = True, on_date=None) -> Assessment:
	"""The programme (a Voucher Programme document) judged for the household, with every reason."""
	on_date = getdate(on_date or today())
	result = Assessment(programme.name)
	if not issuing(programme, on_date):
		result.refuse(_("the programme is not issuing vouchers today"))
	if not household.active or not household.head:
		# nobody to judge the rules on
		result.refuse(_("vouchers go to an active household with a head of household"))
		return result
	if not household.consent:
		result.refuse(_("the head of household has not consented to vouchers"))
	rules = evaluate(programme.eligibility_rules(), household.profile, on_date)
	for reason in rules.reasons:
		if reason not in result.reasons:
			result.refuse(reason)
	if programme.name in household.programmes_in_use:
		result.refuse(_("the household already has a voucher of this programme in use"))
	result.amount = programme.amount_or_none(household.size)
	if result.amount is None:
		result.refuse(_("the programme gives no amount for a household of {0}").format(household.size))
	elif check_budget:
		left = flt(programme.budget) - flt(programme.issued_amount)
		if flt(result.amount) > left:
			result.refuse(
				_("budget exhausted: {0} left, this voucher needs {1}").format(
					format_eur(max(left, 0)), format_eur(result.amount)
				)
			)
	if result.eligible:
		result.reasons = explain(programme, household, result.amount)
	return result


def explain(programme, household: HouseholdFacts, amount) -> list[str]:
	"""Why an eligible household is eligible, rule by rule, for the approver."""
	profile = household.profile or {}
	lines = []
	if programme.max_isee:
		lines.append(
			_("ISEE {0} within the threshold of {1}").format(
				format_eur(profile.get("isee")), format_eur(programme.max_isee)
			)
		)
	if programme.districts and profile.get("district"):
		lines.append(_("district {0} served by the programme").format(profile["district"]))
	if programme.residency_required:
		lines.append(_("resident in Turin"))
	lines.append(_("consent to vouchers recorded"))
	lines.append(_("household of {0}: {1}").format(household.size, format_eur(amount)))
	return lines


def issuing(programme, on_date) -> bool:
	return programme.status == "Active" and (
		getdate(programme.valid_from) <= getdate(on_date) <= getdate(programme.valid_to)
	)
