"""What Desk's forms and pages call (staff, logged in): `/api/method/tolink.api.desk.<name>`.

Thin: who may call and what was sent are checked in the first lines; the work is done by the
domain modules. Not a contract for other systems (see tolink.api.partner for that).
"""

import frappe
from frappe import _
from frappe.desk.utils import provide_binary_file
from frappe.model.document import Document

from tolink.api import endpoint, names_argument
from tolink.care_path import dashboard as care_path_dashboard
from tolink.care_path import overview, requests
from tolink.distribution import dashboard as distribution_dashboard
from tolink.distribution import rounds, stock
from tolink.distribution.permissions import check_hub_access
from tolink.helpline import dashboard as helpline_dashboard
from tolink.helpline import follow_up
from tolink.helpline import permissions as helpline
from tolink.helpline.doctype.helpline_call import helpline_call
from tolink.network import data_import, onboarding
from tolink.pathways import dashboard as pathways_dashboard
from tolink.pathways import overview as pathways
from tolink.permissions.allowlist import ADMIN, CARE, HUB, RECEPTION
from tolink.privacy import anonymise, subject_access
from tolink.registry import dashboard as registry_dashboard
from tolink.vouchers import applications as voucher_applications
from tolink.vouchers import dashboard as vouchers_dashboard
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


@endpoint("desk", ADMIN, "the columns of a data import, as an Excel template")
def import_template(import_type: str) -> None:
	"""An empty Excel file whose first row holds the columns of the import type (Citizen,
	Household, Provider, Service, Opening Stock), in the user's language; required ones end in *."""
	frappe.has_permission("To Link Import", "create", throw=True)
	data_import.kind_of(import_type)
	provide_binary_file(
		_("Import template {0}").format(_(import_type)), "xlsx", data_import.template_xlsx(import_type)
	)


@endpoint("desk", ADMIN, "check a data import's rows without writing them", methods=("POST",))
def dry_run_import(to_link_import: str) -> dict:
	"""Every row of the import's file checked as the import would write it, then undone: the rows
	that would be refused (row, column, reason). Large files are checked in the background."""
	frappe.has_permission("To Link Import", "write", doc=to_link_import, throw=True)
	return data_import.start(to_link_import, dry_run=True)


@endpoint("desk", ADMIN, "write a data import's rows: all or none", methods=("POST",))
def run_import(to_link_import: str) -> dict:
	"""Write every row of the import's file, in one transaction: if any row is refused nothing is
	written and the refused rows are listed. Large files are imported in the background."""
	frappe.has_permission("To Link Import", "write", doc=to_link_import, throw=True)
	return data_import.start(to_link_import, dry_run=False)


# --- partner onboarding (tolink.network.onboarding): Network Administrators, without System Manager


@endpoint("desk", ADMIN, "a partner organisation's users, roles and API keys (never a secret)")
def partner_accounts(provider: str) -> dict:
	"""The organisation's users with their roles, whether each is an integration user and the state
	of its API key (key, allowed IP ranges, expiry; never the secret), the roles a Network
	Administrator may give, and the organisation's last account log entries."""
	return onboarding.accounts(provider)


@endpoint("desk", ADMIN, "invite a user of a partner organisation", methods=("POST",))
def invite_partner_user(
	provider: str,
	email: str,
	first_name: str,
	roles: str | list,
	last_name: str | None = None,
	integration: int | str | None = 0,
	coordinator: int | str | None = 0,
) -> dict:
	"""A new user of the organisation, with To Link roles of partners' staff only (never System
	Manager or Network Administrator). A person gets the welcome email to set a password; an
	integration user (API access only) gets none and never logs in. Refused for an email already in
	use, without saying by whom."""
	onboarding.check_network_admin()
	roles = names_argument("roles", roles)
	return onboarding.invite_user(provider, email, first_name, last_name, roles, integration, coordinator)


@endpoint("desk", ADMIN, "change the roles of a partner's user", methods=("POST",))
def set_partner_user_roles(account: str, roles: str | list) -> dict:
	"""The user's roles become those given (To Link roles of partners' staff only); logged."""
	onboarding.check_network_admin()
	roles = names_argument("roles", roles)
	return onboarding.set_roles(account, roles)


@endpoint("desk", ADMIN, "create or rotate the API key of a partner's integration user", methods=("POST",))
def issue_integration_key(
	account: str, allowed_ip_ranges: str | None = None, expires_on: str | None = None
) -> dict:
	"""A new API key and secret for the integration user, with the allowed IP ranges (CIDR, IPv4 or
	IPv6; empty: any address) and the expiry date (empty: none). An existing key is replaced: the old
	one stops working at once. The secret is in this answer only: it is never shown again."""
	return onboarding.issue_key(account, allowed_ip_ranges, expires_on)


@endpoint("desk", ADMIN, "change where from and until when an API key works", methods=("POST",))
def set_integration_key_limits(
	account: str, allowed_ip_ranges: str | None = None, expires_on: str | None = None
) -> dict:
	"""New allowed IP ranges and expiry date for the integration user's active key; logged."""
	return onboarding.set_key_limits(account, allowed_ip_ranges, expires_on)


@endpoint("desk", ADMIN, "revoke the API key of a partner's integration user", methods=("POST",))
def revoke_integration_key(account: str) -> dict:
	"""The integration user's key and secret are deleted: the next request with them is refused."""
	return onboarding.revoke_key(account)


# --- the workspaces' number cards and charts: counts of the caller's own records (row rules and
# organisation), never names. Desk calls a "Custom" number card's method with `filters` and a
# "Custom" chart's with `chart_name`, `filters`, dates...: they are ignored (Frappe passes only
# the arguments a method declares). Who may call each: the roles reading the doctype counted.

# Desk asks with POST (frappe.xcall); nothing is written
CARD_METHODS = ("GET", "POST")
CARD_READERS = {
	"Intake": {"Reception Operator", "Case Manager", "Provider Staff", "Network Administrator"},
	"Citizen": {"Reception Operator", "Case Manager", "Provider Staff", "Network Administrator"},
	"Welfare Plan": {"Reception Operator", "Case Manager", "Network Administrator"},
	"Referral": {
		"Reception Operator",
		"Case Manager",
		"Provider Staff",
		"Hub Manager",
		"Network Administrator",
	},
	"Helpline Call": {"Reception Operator", "Case Manager", "Psychologist", "Network Administrator"},
	"Voucher Application": {
		"Reception Operator",
		"Case Manager",
		"Voucher Approver",
		"Network Administrator",
	},
	"Voucher": {"Reception Operator", "Case Manager", "Network Administrator"},
	"Housing Situation": {"Reception Operator", "Case Manager", "Network Administrator"},
	"Work Measure": {"Reception Operator", "Case Manager", "Provider Staff", "Network Administrator"},
}


@endpoint("desk", CARD_READERS["Intake"], "number card: today's intakes (a count)", methods=CARD_METHODS)
def card_todays_intakes() -> dict:
	"""How many intakes the user's organisation holds dated today (a number card's answer)."""
	return care_path_dashboard.todays_intakes()


@endpoint(
	"desk",
	CARD_READERS["Citizen"],
	"number card: possible duplicates to check (a count)",
	methods=CARD_METHODS,
)
def card_possible_duplicates() -> dict:
	"""How many people of the user's organisation are flagged as possibly registered twice."""
	return registry_dashboard.possible_duplicates()


@endpoint("desk", CARD_READERS["Welfare Plan"], "number card: my caseload (a count)", methods=CARD_METHODS)
def card_my_caseload() -> dict:
	"""How many welfare plans in force the user manages."""
	return care_path_dashboard.my_caseload()


@endpoint(
	"desk", CARD_READERS["Welfare Plan"], "number card: plan reviews due (a count)", methods=CARD_METHODS
)
def card_reviews_due() -> dict:
	"""How many of the user's plans in force are to be reviewed within 7 days, or are overdue."""
	return care_path_dashboard.reviews_due()


@endpoint(
	"desk",
	CARD_READERS["Referral"],
	"number card: referrals awaiting an answer (a count)",
	methods=CARD_METHODS,
)
def card_referrals_awaiting_answer() -> dict:
	"""How many referrals sent to the user's organisation wait for its answer."""
	return care_path_dashboard.referrals_awaiting_answer()


@endpoint("desk", CARD_READERS["Referral"], "number card: overdue referrals (a count)", methods=CARD_METHODS)
def card_overdue_referrals() -> dict:
	"""How many referrals sent to the user's organisation are past their answer's deadline."""
	return care_path_dashboard.overdue_referrals()


@endpoint(
	"desk",
	CARD_READERS["Referral"],
	"chart: referrals by status, last 12 months (counts)",
	methods=CARD_METHODS,
)
def chart_referrals_by_status() -> dict:
	"""The referrals the user's organisation sent or received in the last 12 months, by status."""
	return care_path_dashboard.referrals_by_status()


@endpoint("desk", HUB, "number card: stock at risk at my hubs (a count)", methods=CARD_METHODS)
def card_stock_at_risk() -> dict:
	"""How many items are below their minimum, or lots expire within 7 days, at the user's hubs."""
	return distribution_dashboard.stock_at_risk()


@endpoint("desk", HUB, "number card: deliveries this week at my hubs (a count)", methods=CARD_METHODS)
def card_deliveries_this_week() -> dict:
	"""How many parcels the user's organisation's hubs delivered this week."""
	return distribution_dashboard.deliveries_this_week()


@endpoint("desk", HUB, "chart: deliveries per week at my hubs (counts)", methods=CARD_METHODS)
def chart_deliveries_per_week() -> dict:
	"""Parcels delivered at the user's organisation's hubs, week by week, the last 12 weeks."""
	return distribution_dashboard.deliveries_per_week()


@endpoint(
	"desk", CARD_READERS["Helpline Call"], "number card: callbacks due today (a count)", methods=CARD_METHODS
)
def card_callbacks_due_today() -> dict:
	"""How many callbacks of the user's organisation are due today and not made."""
	return helpline_dashboard.callbacks_due_today()


@endpoint(
	"desk",
	CARD_READERS["Helpline Call"],
	"number card: urgent calls not taken (a count)",
	methods=CARD_METHODS,
)
def card_urgent_calls_not_taken() -> dict:
	"""How many emergency calls of the user's organisation nobody has taken in charge yet."""
	return helpline_dashboard.urgent_calls_not_taken()


@endpoint(
	"desk",
	CARD_READERS["Voucher Application"],
	"number card: applications awaiting approval",
	methods=CARD_METHODS,
)
def card_applications_awaiting_approval() -> dict:
	"""How many voucher applications the user may read are proposed and not decided."""
	return vouchers_dashboard.applications_awaiting_approval()


@endpoint(
	"desk", CARD_READERS["Voucher"], "number card: vouchers issued this month (a count)", methods=CARD_METHODS
)
def card_vouchers_issued_this_month() -> dict:
	"""How many vouchers the user's organisation issued this month."""
	return vouchers_dashboard.vouchers_issued_this_month()


@endpoint(
	"desk",
	CARD_READERS["Housing Situation"],
	"number card: evictions within 30 days (a count)",
	methods=CARD_METHODS,
)
def card_evictions_within_30_days() -> dict:
	"""How many households of the user's organisation have an eviction step within 30 days."""
	return pathways_dashboard.evictions_within_30_days()


@endpoint(
	"desk",
	CARD_READERS["Work Measure"],
	"number card: work measures ending soon (a count)",
	methods=CARD_METHODS,
)
def card_work_measures_ending_soon() -> dict:
	"""How many work measures the user may read, in progress, end within 30 days."""
	return pathways_dashboard.work_measures_ending_soon()
