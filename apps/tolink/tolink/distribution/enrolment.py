"""A hub's list of households (Hub Enrolment): who its distribution rounds are for.

A household gets on a hub's list in two ways:
- the hub's own organisation registered it and put it in one of the hub's rounds;
- another organisation referred it to a service the hub runs (Service.distribution_hub) and the
  hub's manager accepted the referral: the household is put on the list, with the parcel template
  the service names, and into the hub's next round that has not ended.

While the referral is being worked on and the person's consent to share with the hub's
organisation stands, the hub's staff read the household (tolink.distribution.permissions) and
its rounds, deliveries and card work as for the hub's own. When the referral ends (cancelled,
completed, not completed) or consent is withdrawn, that stops.

Whoever referred the household sees the outcome on the referral: the date of the first parcel
collected and the collections missed. A household that misses two collections in a row is
escalated: the hub's managers and whoever referred it are told, and it shows on the Distribution
workspace until it collects again.
"""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, today

from tolink.distribution import webhooks
from tolink.network.notifications import notify_users

ACTIVE = "Active"
ENDED = "Ended"
HUB_OWN = "Hub's own"
REFERRAL = "Referral"
# the referral's statuses in which the household stays on the hub's list: those taking a place of
# the service (care_path sits beside distribution: named by its dotted path, as hooks name it)
REFERRAL_HOLDING = "tolink.care_path.doctype.referral.referral.HOLDING_A_PLACE"
# missed collections in a row that escalate a household
ESCALATE_AFTER = 2


def hub_of_service(service: str | None) -> str | None:
	return frappe.db.get_value("Service", service, "distribution_hub") if service else None


# --- referrals (doc_events of Referral, hooks.py)


def check_referral_to_hub(doc, method=None) -> None:
	"""before_insert: a referral to a hub's service is for a person in an active household: the hub
	takes households, not single people."""
	if not hub_of_service(doc.service):
		return
	household = frappe.db.get_value("Citizen", doc.citizen, "household")
	if not household or frappe.db.get_value("Household", household, "status") != "Active":
		frappe.throw(
			_(
				"{0} is not in an active household: register the household before referring it to a food-parcel hub."
			).format(frappe.bold(frappe.db.get_value("Citizen", doc.citizen, "full_name") or doc.citizen)),
			NoHouseholdError,
		)


def on_referral_update(doc, method=None) -> None:
	"""on_update: accepting a referral to a hub's service puts the household on the hub's list and
	in its next round; a referral that ends takes it off the list."""
	hub = hub_of_service(doc.service)
	if not hub or not doc.has_value_changed("status"):
		return
	if doc.status in frappe.get_attr(REFERRAL_HOLDING):
		enrol_referred(doc, hub)
	else:
		end_enrolments(referral=doc.name)


def enrol_referred(referral, hub: str) -> str:
	household = frappe.db.get_value("Citizen", referral.citizen, "household")
	name = frappe.db.get_value("Hub Enrolment", {"referral": referral.name})
	if name:
		frappe.db.set_value("Hub Enrolment", name, {"status": ACTIVE, "end_date": None})
	else:
		# written by the app from the referral the user answered, not from what a client sent
		name = (
			frappe.get_doc(
				{
					"doctype": "Hub Enrolment",
					"hub": hub,
					"household": household,
					"source": REFERRAL,
					"referral": referral.name,
					"parcel_template": frappe.db.get_value("Service", referral.service, "parcel_template"),
					"start_date": today(),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	add_to_next_round(hub, household, frappe.db.get_value("Hub Enrolment", name, "parcel_template"))
	return name


def end_enrolments(referral: str) -> None:
	e = frappe.qb.DocType("Hub Enrolment")
	frappe.qb.update(e).set(e.status, ENDED).set(e.end_date, today()).where(
		(e.referral == referral) & (e.status == ACTIVE)
	).run()


def add_to_next_round(hub: str, household: str, parcel_template: str | None = None) -> str | None:
	"""The hub's next round that has not ended and is not closed gets the household (once)."""
	r = frappe.qb.DocType("Distribution Round")
	next_round = (
		frappe.qb.from_(r)
		.select(r.name)
		.where((r.hub == hub) & (r.status != "Closed") & (r.to_date >= today()))
		.orderby(r.from_date)
		.limit(1)
		.run(pluck=True)
	)
	if not next_round:
		return None
	doc = frappe.get_doc("Distribution Round", next_round[0])
	if any(row.household == household for row in doc.households):
		return doc.name
	doc.append("households", {"household": household, "parcel_template": parcel_template})
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.name


# --- rounds


def households_for_round(hub: str) -> list[dict]:
	"""The hub's list: the households of its active enrolments."""
	return frappe.get_all(
		"Hub Enrolment",
		filters={"hub": hub, "status": ACTIVE},
		fields=["household", "parcel_template"],
		order_by="household_name asc",
	)


def enrol_round_households(round_doc) -> None:
	"""Every household of a hub's round is on the hub's list (its own households the first time)."""
	listed = set(
		frappe.get_all(
			"Hub Enrolment",
			filters={
				"hub": round_doc.hub,
				"household": ("in", [row.household for row in round_doc.households]),
				"status": ACTIVE,
			},
			pluck="household",
		)
	)
	for row in round_doc.households:
		if row.household in listed:
			continue
		frappe.get_doc(
			{
				"doctype": "Hub Enrolment",
				"hub": round_doc.hub,
				"household": row.household,
				"source": HUB_OWN,
				"parcel_template": row.get("parcel_template"),
				"start_date": today(),
			}
		).insert(ignore_permissions=True)
		listed.add(row.household)


# --- collections


def record_collection(delivery) -> None:
	"""A parcel handed out: the household's enrolment at the hub is up to date again, and whoever
	referred it learns of the first parcel collected."""
	enrolment = frappe.db.get_value(
		"Hub Enrolment",
		{"hub": delivery.hub, "household": delivery.household, "status": ACTIVE},
		["name", "first_collection_on", "referral"],
		as_dict=True,
	)
	if not enrolment:
		return
	day = getdate(delivery.delivery_date)
	values = {"last_collection_on": day, "missed_in_a_row": 0, "needs_attention": 0, "escalated_on": None}
	if not enrolment.first_collection_on:
		values["first_collection_on"] = day
	frappe.db.set_value("Hub Enrolment", enrolment.name, values)
	if enrolment.referral and not enrolment.first_collection_on:
		frappe.db.set_value("Referral", enrolment.referral, "first_collection_on", day, update_modified=False)
		# the referring organisation's system, when it registered a webhook (tolink.distribution.webhooks)
		webhooks.first_parcel_collected(enrolment.referral, day)
		sender = frappe.db.get_value("Referral", enrolment.referral, "referred_by")
		notify_users(
			[sender],
			_("Referral {0}: first parcel collected at {1} on {2}").format(
				enrolment.referral, delivery.hub, frappe.format(day, "Date")
			),
			"Referral",
			enrolment.referral,
		)


def record_missed_collections() -> list[str]:
	"""Scheduled daily: every round that has ended is looked at once. A household of the round that
	did not collect has missed a collection: counted on its enrolment and on the referral that
	brought it; the second miss in a row escalates it."""
	r = frappe.qb.DocType("Distribution Round")
	ended = (
		frappe.qb.from_(r)
		.select(r.name, r.hub)
		.where((r.to_date < today()) & (r.missed_checked == 0))
		.orderby(r.to_date)
		.run(as_dict=True)
	)
	escalated = []
	for rnd in ended:
		rh = frappe.qb.DocType("Round Household")
		missed = (
			frappe.qb.from_(rh)
			.select(rh.name, rh.household)
			.where((rh.parent == rnd.name) & (rh.parenttype == "Distribution Round") & (rh.collected == 0))
			.run(as_dict=True)
		)
		if missed:
			frappe.qb.update(rh).set(rh.missed, 1).where(rh.name.isin([m.name for m in missed])).run()
		for m in missed:
			if name := count_missed(rnd.hub, m.household, rnd.name):
				escalated.append(name)
		frappe.qb.update(r).set(r.missed_checked, 1).where(r.name == rnd.name).run()
	return escalated


def count_missed(hub: str, household: str, round_name: str) -> str | None:
	enrolment = frappe.db.get_value(
		"Hub Enrolment",
		{"hub": hub, "household": household, "status": ACTIVE},
		["name", "missed_in_a_row", "referral", "household_name", "escalated_on"],
		as_dict=True,
	)
	if not enrolment:
		return None
	missed = (enrolment.missed_in_a_row or 0) + 1
	frappe.db.set_value("Hub Enrolment", enrolment.name, "missed_in_a_row", missed)
	sender = None
	if enrolment.referral:
		referral = frappe.db.get_value(
			"Referral",
			enrolment.referral,
			["missed_collections", "referred_by", "welfare_plan"],
			as_dict=True,
		)
		frappe.db.set_value(
			"Referral",
			enrolment.referral,
			"missed_collections",
			(referral.missed_collections or 0) + 1,
			update_modified=False,
		)
		sender = referral.referred_by
	if missed < ESCALATE_AFTER or enrolment.escalated_on:
		return None
	frappe.db.set_value(
		"Hub Enrolment", enrolment.name, {"needs_attention": 1, "escalated_on": now_datetime()}
	)
	managers = frappe.get_all(
		"Hub Staff",
		filters={"parent": hub, "parenttype": "Distribution Hub", "hub_role": "Hub Manager"},
		pluck="user",
	)
	case_manager = None
	if enrolment.referral and referral.welfare_plan:
		case_manager = frappe.db.get_value("Welfare Plan", referral.welfare_plan, "case_manager")
	notify_users(
		[*managers, sender, case_manager],
		_("{0} missed {1} collections in a row at {2} (last: round {3})").format(
			enrolment.household_name, missed, hub, round_name
		),
		"Hub Enrolment",
		enrolment.name,
		from_user="Administrator",
	)
	return enrolment.name


# --- who reaches a household through a hub (tolink.permissions.links, tolink.distribution.permissions)


def enrolled_with_consent(provider: str, household: str) -> bool:
	"""The household is on the list of a hub of the organisation, referred to it, and the head of
	the household's consent to share with it stands."""
	e = frappe.qb.DocType("Hub Enrolment")
	c = frappe.qb.DocType("Consent")
	h = frappe.qb.DocType("Household")
	return bool(
		frappe.qb.from_(e)
		.join(h)
		.on(h.name == e.household)
		.join(c)
		.on(c.citizen == h.head_of_household)
		.select(e.name)
		.where(
			(e.household == household)
			& (e.provider == provider)
			& (e.status == ACTIVE)
			& (c.partner == provider)
			& (c.purpose == "Sharing with partner")
			& (c.status == "Active")
		)
		.limit(1)
		.run()
	)


def enrolled_households_condition(provider: str) -> str:
	"""SQL: `tabHousehold`.name of the households enrolled at the organisation's hubs with consent
	(the same rule as enrolled_with_consent, for lists)."""
	p = frappe.db.escape(provider)
	return (
		f"`tabHousehold`.`name` in (select e.household from `tabHub Enrolment` e"
		f" where e.provider = {p} and e.status = 'Active' and exists (select 1 from `tabConsent` c"
		f" where c.citizen = `tabHousehold`.`head_of_household` and c.partner = {p}"
		f" and c.purpose = 'Sharing with partner' and c.status = 'Active'))"
	)


class NoHouseholdError(frappe.ValidationError):
	pass
