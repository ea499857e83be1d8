"""Requests that travel: an intake or a helpline call that asks for food becomes, in one click, a
referral to a food-parcel hub, with the reasons for the hub chosen shown first.

The hub proposed is the one a case worker would pick: among the services run at an open hub
(Service.distribution_hub) that answer the need for food parcels and take referrals, the person
must be eligible (tolink.network.eligibility, the same rules as every referral), and the best is a
hub in the household's district, then with places left, then the one with most places left. The
referral itself is an ordinary referral (consent, eligibility, capacity and deadlines apply), so
the hub's manager answers it and accepting puts the household on the hub's list
(tolink.distribution.enrolment).

A request for shopping vouchers becomes a voucher application instead (tolink.vouchers, put
together with this by tolink.api.desk).
"""

import frappe
from frappe import _

from tolink.care_path.matching import RANKING_FIELDS
from tolink.network import eligibility
from tolink.network.directory import need_subtrees
from tolink.network.eligibility import AREA, Person
from tolink.registry.consent import has_consent
from tolink.registry.profile import get_person_profile

FOOD = "Food parcels"
VOUCHERS = "Shopping vouchers"
PARCEL = "parcel"
VOUCHER = "voucher"
SOURCES = ("Intake", "Helpline Call")
# what a helpline call asks for, by its reason and its outcome
CALL_ASKS = {
	"reason": {"Food": PARCEL, "Shopping vouchers": VOUCHER},
	"outcome": {"Parcel requested": PARCEL, "Voucher requested": VOUCHER},
}


def source_doc(doctype: str, name: str):
	"""The intake or call the request comes from, which the caller must be allowed to read."""
	if doctype not in SOURCES:
		frappe.throw(_("A request comes from an intake or a helpline call."), frappe.ValidationError)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("read")
	return doc


def person_of(doc) -> tuple[str, str | None]:
	"""The citizen and household a request is for."""
	citizen = doc.get("citizen")
	if not citizen:
		frappe.throw(
			_("The caller is anonymous: open an intake for the person first."),
			RequestError,
			title=_("Who is it for?"),
		)
	household = doc.get("household") or frappe.db.get_value("Citizen", citizen, "household")
	return citizen, household


def asked_for(doc) -> list[str]:
	"""What the intake or call asks for: "parcel", "voucher" or both."""
	asks = set()
	if doc.doctype == "Helpline Call":
		for field, kinds in CALL_ASKS.items():
			if kind := kinds.get(doc.get(field)):
				asks.add(kind)
	else:
		needs = [row.need_category for row in doc.needs if row.need_category]
		trees = need_subtrees([FOOD, VOUCHERS])
		if set(needs) & set(trees.get(FOOD, [])):
			asks.add(PARCEL)
		if set(needs) & set(trees.get(VOUCHERS, [])):
			asks.add(VOUCHER)
	return sorted(asks)


def propose_hub(citizen: str, household: str | None) -> dict:
	"""The hub service to refer the household to, with the reasons, and the others considered."""
	if not household:
		return {
			"service": None,
			"reasons": [_("The person is not in a household: register the household first.")],
			"others": [],
		}
	person = Person.from_profile(get_person_profile(citizen))
	candidates = hub_services()
	rules = (
		eligibility.load_rules([c.name for c in candidates], extra_fields=RANKING_FIELDS)
		if candidates
		else {}
	)
	options = []
	for c in candidates:
		service = rules[c.name]
		result = eligibility.evaluate(service, person)
		places = (c.capacity - (c.capacity_used or 0)) if c.capacity else None
		reasons = []
		if AREA.lists(service, person) or c.hub_district == person.district:
			reasons.append(_("the hub serves the household's district"))
		if places is None:
			reasons.append(_("no limit of places"))
		elif places > 0:
			reasons.append(_("{0} places left of {1}").format(places, c.capacity))
		else:
			reasons.append(_("no places left"))
		reasons.extend(result.reasons)
		options.append(
			{
				"service": c.name,
				"service_name": c.service_name,
				"hub": c.distribution_hub,
				"provider": c.provider,
				"eligible": result.eligible and (places is None or places > 0),
				"same_district": c.hub_district == person.district,
				"places_left": places,
				"consent": c.provider == frappe.db.get_value("Citizen", citizen, "provider")
				or has_consent(citizen, "Sharing with partner", partner=c.provider),
				"reasons": reasons,
			}
		)
	options.sort(
		key=lambda o: (
			not o["eligible"],
			not o["same_district"],
			-(o["places_left"] if o["places_left"] is not None else 10**9),
			o["service_name"],
		)
	)
	best = next((o for o in options if o["eligible"]), None)
	if not best:
		return {
			"service": None,
			"reasons": [_("No hub can take this household now: the reasons are listed for each hub.")],
			"others": options,
		}
	return {**best, "others": [o for o in options if o is not best]}


def hub_services() -> list:
	"""Services taking referrals, run at an open hub, that answer the need for food parcels (the
	network has tens of hubs: one query)."""
	s = frappe.qb.DocType("Service")
	snc = frappe.qb.DocType("Service Need Category")
	hub = frappe.qb.DocType("Distribution Hub")
	foods = need_subtrees([FOOD]).get(FOOD) or [FOOD]
	return (
		frappe.qb.from_(s)
		.join(hub)
		.on(hub.name == s.distribution_hub)
		.select(
			s.name,
			s.service_name,
			s.provider,
			s.distribution_hub,
			s.capacity,
			s.capacity_used,
			hub.district.as_("hub_district"),
		)
		.where(
			(hub.is_active == 1)
			& s.status.isin(["Active"])
			& s.name.isin(
				frappe.qb.from_(snc)
				.select(snc.parent)
				.where((snc.parenttype == "Service") & snc.need_category.isin(foods))
			)
		)
		.orderby(s.service_name)
		.run(as_dict=True)
	)


def send_to_hub(doc, service: str | None = None) -> dict:
	"""Refer the person of the intake or call to the hub proposed (or the hub service named), with
	the caller's rights: the referral's own rules (consent, eligibility, capacity) apply."""
	citizen, household = person_of(doc)
	proposal = propose_hub(citizen, household)
	options = (
		[proposal, *proposal.get("others", [])] if proposal.get("service") else proposal.get("others", [])
	)
	chosen = next((o for o in options if o.get("service") == (service or proposal.get("service"))), None)
	if not chosen:
		frappe.throw(_("No open hub with places left can take this household."), RequestError)
	if not chosen["consent"]:
		frappe.throw(
			_(
				"{0} has not consented to sharing with {1}: record the consent before sending the request."
			).format(
				frappe.bold(frappe.db.get_value("Citizen", citizen, "full_name")),
				frappe.bold(chosen["provider"]),
			),
			RequestError,
		)
	intake = doc.name if doc.doctype == "Intake" else doc.get("intake")
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"citizen": citizen,
			"service": chosen["service"],
			"need_category": FOOD,
			"intake": intake,
			"note_for_provider": _("Food parcel request from {0} {1}.").format(_(doc.doctype), doc.name),
		}
	)
	referral.insert()
	return {"referral": referral.name, "service_name": chosen["service_name"], "hub": chosen["hub"]}


class RequestError(frappe.ValidationError):
	pass
