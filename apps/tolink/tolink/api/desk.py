"""What Desk's forms and pages call (staff, logged in): `/api/method/tolink.api.desk.<name>`.

Thin: who may call and what was sent are checked in the first lines; the work is done by the
domain modules. Not a contract for other systems (see tolink.api.partner for that).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from tolink.api import endpoint, names_argument
from tolink.care_path import overview, requests
from tolink.distribution import rounds, stock
from tolink.distribution.permissions import check_hub_access
from tolink.helpline import follow_up
from tolink.helpline import permissions as helpline
from tolink.helpline.doctype.helpline_call import helpline_call
from tolink.pathways import overview as pathways
from tolink.permissions.allowlist import CARE, HUB, RECEPTION
from tolink.privacy import anonymise, subject_access
from tolink.vouchers import applications as voucher_applications
from tolink.vouchers.doctype.voucher_application.voucher_application import SOURCE_DOCTYPES


@endpoint("desk", CARE, "the intake's suggested services")
def suggest_services(intake: str) -> list[dict]:
	"""For every need of the intake, the services that could answer it, each marked eligible or not
	with the reasons in plain Italian, best fit first."""
	doc = frappe.get_doc("Intake", intake)
	doc.check_permission("read")
	return doc.suggested_services()


@endpoint("desk", CARE, "the intake's overview of the person")
def citizen_overview(citizen: str) -> dict:
	"""What the network already knows about the person: open plans, referrals in progress, aid
	received lately (a summary, never notes), of the organisations the person consented to share
	with."""
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return overview.citizen_overview(citizen)


@endpoint(
	"desk",
	{"Psychologist", "Case Manager", "Reception Operator", "Network Administrator"},
	"how many support sessions a person had (no notes)",
)
def session_counts(citizen: str) -> dict:
	"""For the case manager: how many support sessions a person had, and when the last was."""
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return helpline.session_counts(citizen)


@endpoint(
	"desk",
	{"Reception Operator", "Case Manager", "Network Administrator"},
	"open an intake from a helpline call",
	methods=("POST",),
)
def make_intake(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""One click: an intake (unsaved, for the operator to complete) from a call of a known citizen
	(Desk's *Crea → Colloquio di accoglienza*, through make_mapped_doc)."""
	frappe.has_permission("Helpline Call", "read", doc=source_name, throw=True)
	frappe.has_permission("Intake", "create", throw=True)
	return helpline_call.make_intake(source_name, target_doc)


@endpoint("desk", RECEPTION, "a person's subject-access export", methods=("POST",))
def export_citizen(citizen: str) -> dict:
	"""The JSON of everything held on the person (GDPR art. 15), returned to the Network
	Administrator who asked, never stored; the export is logged."""
	if "Network Administrator" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("Only a Network Administrator answers access requests."), frappe.PermissionError)
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return subject_access.export_citizen(citizen)


@endpoint("desk", RECEPTION, "anonymise a person on request", methods=("POST",))
def anonymise_citizen(citizen: str) -> dict:
	"""Erasure on request: the person's identity leaves every record, the records stay (counts of
	records anonymised, by doctype)."""
	if "Network Administrator" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("Only a Network Administrator erases personal data."), frappe.PermissionError)
	frappe.has_permission("Citizen", "write", doc=citizen, throw=True)
	return anonymise.anonymise_citizen(citizen)


@endpoint("desk", HUB, "a hub's stock alerts")
def hub_alerts(hub: str) -> dict:
	"""Low stock and lots expiring within 7 days at a hub."""
	frappe.has_permission("Distribution Hub", "read", doc=hub, throw=True)
	check_hub_access(hub)
	return stock.alerts(hub)


@endpoint(
	"desk",
	{"Hub Manager", "Case Manager", "Network Administrator"},
	"a distribution round's hub proposal",
)
def propose_hubs(households: str | list) -> dict:
	"""For each eligible household (active, with an active head), the open hub to collect from:
	one in its own district first, else the hub serving the fewest assigned households.
	Households that are not eligible are listed apart, with the reason."""
	frappe.has_permission("Distribution Round", "create", throw=True)
	households = names_argument("households", households)
	return rounds.propose_hubs(households)


@endpoint(
	"desk",
	{"Reception Operator", "Case Manager", "Network Administrator"},
	"what an intake or a helpline call asks for, and where to send it",
)
def aid_request_options(doctype: str, name: str) -> dict:
	"""For an intake or a call that asks for food or shopping vouchers: the food-parcel hub to refer
	the household to, with the reasons (district, places left, eligibility, consent) and the others
	considered; the voucher programmes the household may apply to, eligible or not with the
	reasons. Only what the caller may create is proposed."""
	doc = requests.source_doc(doctype, name)
	asks = requests.asked_for(doc)
	out = {"asks": asks, "citizen": doc.get("citizen")}
	if not asks or not doc.get("citizen"):
		return out
	citizen, household = requests.person_of(doc)
	out["household"] = household
	if requests.PARCEL in asks and frappe.has_permission("Referral", "create"):
		out["parcel"] = requests.propose_hub(citizen, household)
	if (
		requests.VOUCHER in asks
		and household
		and frappe.has_permission("Voucher Application", "create")
		and frappe.has_permission("Household", "read", doc=household)
	):
		out["vouchers"] = voucher_applications.eligible_programmes(household)
	return out


@endpoint(
	"desk",
	{"Reception Operator", "Case Manager", "Network Administrator"},
	"send an intake's or a call's request for food to a hub",
	methods=("POST",),
)
def send_to_hub(doctype: str, name: str, service: str | None = None) -> dict:
	"""One click: the referral of the person to the hub proposed (or the hub service named), with
	the referral's own rules (consent, eligibility, places)."""
	frappe.has_permission("Referral", "create", throw=True)
	doc = requests.source_doc(doctype, name)
	return requests.send_to_hub(doc, service)


@endpoint("desk", HUB, "add the households on the hub's list to a distribution round", methods=("POST",))
def add_listed_households(distribution_round: str) -> dict:
	"""The households on the hub's list (its own and those referred to it) not yet in the round."""
	doc = frappe.get_doc("Distribution Round", distribution_round)
	doc.check_permission("write")
	added = doc.add_listed_households()
	if added:
		doc.save()
	return {"added": added, "households": len(doc.households)}


# who proposes a voucher for a household (the programme's approver decides)
VOUCHER_PROPOSERS = frozenset({"Case Manager", "Reception Operator", "Network Administrator"})


@endpoint("desk", VOUCHER_PROPOSERS, "the voucher programmes a household may apply for")
def voucher_programmes_for(household: str) -> list[dict]:
	"""Every active voucher programme for the household: eligible or not, with the reasons in plain
	Italian, and the amount it would get; eligible ones first."""
	frappe.has_permission("Household", "read", doc=household, throw=True)
	frappe.has_permission("Voucher Application", "create", throw=True)
	return voucher_applications.eligible_programmes(household)


@endpoint(
	"desk",
	VOUCHER_PROPOSERS,
	"propose a voucher for a household, for the programme's approver",
	methods=("POST",),
)
def propose_voucher_application(
	household: str,
	programme: str | None = None,
	source_doctype: str | None = None,
	source_name: str | None = None,
) -> dict:
	"""Propose a voucher for the household (of `programme`, or the first programme it is eligible
	for), optionally from the intake or helpline call it came from: the application, waiting for the
	approver of the programme's organisation. Refused with the reasons when not eligible."""
	frappe.has_permission("Household", "read", doc=household, throw=True)
	frappe.has_permission("Voucher Application", "create", throw=True)
	if source_doctype or source_name:
		if source_doctype not in SOURCE_DOCTYPES or not source_name:
			frappe.throw(_("The source of an application is an intake or a helpline call."))
		frappe.has_permission(source_doctype, "read", doc=source_name, throw=True)
	doc = voucher_applications.propose(household, programme, source_doctype, source_name)
	return {"name": doc.name, "programme": doc.programme, "proposed_amount": doc.proposed_amount}


@endpoint(
	"desk",
	{"Case Manager", "Reception Operator"},
	"take an urgent helpline call in charge (Prendi in carico)",
	methods=("POST",),
)
def take_urgent_call(call: str) -> dict:
	"""The caller takes an emergency call of their own organisation in charge: it leaves the
	workspace's urgencies. Refused for another organisation's call, a call not of triage Emergency,
	or a call someone already took."""
	frappe.has_permission("Helpline Call", "read", doc=call, throw=True)
	return follow_up.take_urgent_call(call)


@endpoint(
	"desk",
	{"Psychologist"},
	"link an anonymous caller's sessions to a citizen (Collega a un cittadino)",
	methods=("POST",),
)
def link_sessions_to_citizen(caller_code: str, citizen: str) -> dict:
	"""Every support session of the psychologist's organisation with the caller code is linked to
	the citizen, who must have given the organisation an active consent to psychological support."""
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return follow_up.link_sessions_to_citizen(caller_code, citizen)


@endpoint("desk", CARE, "the work and housing steps shown on a welfare plan")
def plan_pathways(plan: str) -> dict:
	"""The person's employment profile, work measures, housing situation and social-housing
	applications, as the welfare plan shows them (only what the user may read)."""
	frappe.has_permission("Welfare Plan", "read", doc=plan, throw=True)
	return pathways.plan_pathways(plan)
