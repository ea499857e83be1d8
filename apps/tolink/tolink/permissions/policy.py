"""To Link's access policy: who reads and writes which rows of every doctype, as one table.

`POLICY` names, for every doctype of the app (child tables, settings and the directory included)
and for the Frappe doctypes the app rules (Workflow Action):

- `rule`: which rows a user reads and writes, one of `RULES`:
  organisation    the row's `provider` is the user's organisation (tolink.permissions.policy);
  referral_sides  the referring organisation and the receiving one (tolink.care_path.permissions);
  household       the organisation's own, and households referred to one of its food-parcel hubs
                  while the referral is worked on and consent stands; read only for the hub
                  (tolink.distribution.permissions);
  case_note       a note's visibility: organisation, network with consent, restricted to the author
                  and named roles (tolink.care_path.permissions);
  psychologists   the psychologists of the organisation holding the session, nobody else
                  (tolink.helpline.permissions);
  merchant        a shop's own redemptions; monitoring and administrators all of them
                  (tolink.vouchers.permissions);
  voucher_application  the proposing organisation, and the approvers of the organisation
                  managing the programme (tolink.vouchers.permissions);
  directory       everyone reads, the owning organisation writes (tolink.network.permissions);
  work_measure    the organisation holding a work measure, and its host organisation, whose staff
                  record the attendance only (tolink.pathways.permissions);
  admin_only      the data controller's office (Network Administrators) only;
  parent          a child table: the rows of the parents the user may read;
  workflow_action Frappe's inbox of workflow actions: the actions of documents the user may read;
  none            configuration: the doctype's role permissions alone decide.
- `personal`: the doctype holds a person's data. It is never shared one by one (DocShare), the
  request gate never honours switches such as `ignore_user_permissions` for it, and a Link to it
  is checked by tolink.permissions.links.
- `logged`: the field naming the citizen whose data a read shows; every read of a record through
  `has_permission` is written to the access log (tolink.privacy.access_log), once per request.
- `provider_on_insert`: the record belongs to the organisation of whoever creates it
  (tolink.permissions.set_provider_on_insert); hub records get the hub's instead, in their
  controllers.
- `check_links`: links to people must point at records the user's organisation may reach
  (tolink.permissions.links.check_linked_records).
- `server_owned`: fields only the app's own code sets (balances, amounts redeemed, statuses the
  app moves, deadlines, escalation, who sent or wrote, the organisation, ledger rows...). A REST
  write that changes one is refused; `admin_settable` are those a Network Administrator may still
  set (the organisation a record is registered for).

hooks.py is written from this table (test_policy holds it against it): a new doctype is one line
here and its hooks there.
"""

from collections.abc import Callable
from dataclasses import dataclass

import frappe

from tolink.privacy.access_log import log_read
from tolink.security.users import get_user_provider, is_network_admin

READ_PTYPES = (None, "read", "print", "email", "export")
# the care path's documents that follow a workflow (their Workflow Actions follow their rules)
WORKFLOW_DOCTYPES = ("Referral", "Welfare Plan", "Voucher Application")


def fields(names: str) -> frozenset[str]:
	"""Field names separated by spaces, as a set."""
	return frozenset(names.split())


@dataclass(frozen=True)
class Rule:
	"""The dotted paths of a rule's `permission_query_conditions` and `has_permission` (None: the
	rule needs no such hook)."""

	query: str | None
	has_permission: str | None


@dataclass(frozen=True)
class Access:
	rule: str
	personal: bool = False
	logged: str | None = None
	provider_on_insert: bool = False
	check_links: bool = False
	# child tables: the doctypes holding them (rule "parent": exactly one, whose rules apply)
	parents: tuple[str, ...] = ()
	server_owned: frozenset[str] = frozenset()
	admin_settable: frozenset[str] = frozenset()


RULES = {
	"organisation": Rule(
		"tolink.permissions.policy.organisation_query_conditions",
		"tolink.permissions.policy.organisation_has_permission",
	),
	"referral_sides": Rule(
		"tolink.care_path.permissions.referral_query_conditions",
		"tolink.care_path.permissions.referral_has_permission",
	),
	"case_note": Rule(
		"tolink.care_path.permissions.case_note_query_conditions",
		"tolink.care_path.permissions.case_note_has_permission",
	),
	"psychologists": Rule(
		"tolink.helpline.permissions.session_query_conditions",
		"tolink.helpline.permissions.session_has_permission",
	),
	"merchant": Rule(
		"tolink.vouchers.permissions.redemption_query_conditions",
		"tolink.vouchers.permissions.redemption_has_permission",
	),
	"household": Rule(
		"tolink.distribution.permissions.household_query_conditions",
		"tolink.distribution.permissions.household_has_permission",
	),
	"voucher_application": Rule(
		"tolink.vouchers.permissions.application_query_conditions",
		"tolink.vouchers.permissions.application_has_permission",
	),
	"directory": Rule(None, "tolink.network.permissions.service_has_permission"),
	"work_measure": Rule(
		"tolink.pathways.permissions.work_measure_query_conditions",
		"tolink.pathways.permissions.work_measure_has_permission",
	),
	"admin_only": Rule(
		"tolink.permissions.policy.admin_only_query_conditions",
		"tolink.permissions.policy.admin_only_has_permission",
	),
	"parent": Rule("tolink.permissions.policy.parent_query_conditions", None),
	"workflow_action": Rule(
		"tolink.permissions.policy.workflow_action_query_conditions",
		"tolink.permissions.policy.workflow_action_has_permission",
	),
	"none": Rule(None, None),
}

# what an organisation's own records share: the organisation, set by the app, chosen by
# administrators only
_ORGANISATION = fields("provider")

# fmt: off
POLICY: dict[str, Access] = {
	# --- registry
	"Citizen": Access(
		"organisation", personal=True, logged="name", provider_on_insert=True, check_links=True,
		server_owned=fields(
			"full_name provisional_id status household possible_duplicate provider birth_place labour_status"
			" unemployed_since"
		),
		admin_settable=_ORGANISATION,
	),
	"Citizen Language": Access("parent", personal=True, parents=("Citizen",)),
	"Citizen Vulnerability": Access("parent", personal=True, parents=("Citizen",)),
	"Household": Access(
		"household", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields(
			"head_of_household_name household_size card_code isee_expired provider single_parent"
			" eviction_pending cares_for_dependent"
		),
		admin_settable=_ORGANISATION,
	),
	"Household Member": Access(
		"parent", personal=True, parents=("Household",), server_owned=fields("citizen_name"),
	),
	"Consent": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name operator status withdrawn_on withdrawal_reason provider"),
		admin_settable=_ORGANISATION,
	),
	"Vulnerability Flag": Access("none"),
	# --- network: the directory
	"Provider": Access("none"),
	# partner onboarding (tolink.network.onboarding): the integration users' API keys and what
	# Network Administrators did to partners' accounts, written by the app only, read by them only
	"Integration Key": Access(
		"admin_only",
		server_owned=fields(
			"user provider status key_id allowed_ip_ranges expires_on issued_on issued_by revoked_on"
			" revoked_by"
		),
	),
	"Partner Account Log": Access(
		"admin_only",
		server_owned=fields("logged_on action account provider done_by ip_address details"),
	),
	"Service": Access(
		"directory", server_owned=fields("capacity_used district_list open_days"),
	),
	"Service District": Access("none", parents=("Service", "Voucher Programme")),
	"Service Location": Access("none", parents=("Service",)),
	"Service Need Category": Access("none", parents=("Service",)),
	"Service Schedule": Access("none", parents=("Service",)),
	"District": Access("none"),
	"Need Category": Access("none", server_owned=fields("lft rgt old_parent")),
	"To Link Settings": Access("none"),
	# a Network Administrator's import: its file and its report name people
	"To Link Import": Access(
		"admin_only", personal=True,
		server_owned=fields(
			"status last_run last_run_on total_rows refused_rows imported_rows message error_log"
		),
	),
	# an organisation's webhooks (tolink.network.webhooks): its own, the secret To Link's; the
	# deliveries hold no personal data and are written by the app only
	"Partner Webhook": Access(
		"organisation", provider_on_insert=True,
		server_owned=fields("provider secret last_delivery_on last_delivery_status failures_in_a_row"),
		admin_settable=_ORGANISATION,
	),
	"Partner Webhook Delivery": Access(
		"organisation",
		server_owned=fields(
			"webhook provider event reference_doctype reference_name status attempts next_attempt_on"
			" delivered_on last_attempt_on last_response_code last_error payload"
		),
	),
	# --- care path
	"Intake": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name operator provider"),
		admin_settable=_ORGANISATION,
	),
	"Intake Need": Access("parent", personal=True, parents=("Intake",)),
	"Welfare Plan": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name status closed_on review_reminder_sent_for provider"),
		admin_settable=_ORGANISATION,
	),
	"Plan Goal": Access("parent", personal=True, parents=("Welfare Plan",)),
	"Plan Action": Access("parent", personal=True, parents=("Welfare Plan",)),
	"Referral": Access(
		"referral_sides", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields(
			"citizen_name citizen_phone citizen_email service_name target_provider status response_due"
			" is_overdue escalated_on responded_on responded_by eligibility_notes referred_by provider"
			" first_collection_on missed_collections"
		),
		admin_settable=_ORGANISATION,
	),
	"Case Note": Access(
		"case_note", personal=True, logged="citizen", provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name author provider"),
		admin_settable=_ORGANISATION,
	),
	"Case Note Role": Access("parent", personal=True, parents=("Case Note",)),
	# --- helpline
	"Helpline Call": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields(
			"citizen_name operator intake provider callback_done_on callback_reminded_on is_overdue"
			" escalated_on urgent_notified_on taken_by taken_on"
		),
		admin_settable=_ORGANISATION,
	),
	"Support Session": Access(
		"psychologists", personal=True, logged="citizen", provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name psychologist provider caller_code urgent_notified_on"),
		admin_settable=_ORGANISATION,
	),
	"Check-in Schedule": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name status last_call last_call_on provider"),
		admin_settable=_ORGANISATION,
	),
	# who of an organisation is on duty for urgent calls: staff, not the people helped
	"Duty Roster": Access(
		"organisation", provider_on_insert=True, server_owned=fields("full_name provider"),
		admin_settable=_ORGANISATION,
	),
	# --- pathways: work, housing, family
	"Employment Profile": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name provider"),
		admin_settable=_ORGANISATION,
	),
	"Employment Status Period": Access("parent", personal=True, parents=("Employment Profile",)),
	"Employment Language": Access("parent", personal=True, parents=("Employment Profile",)),
	"Employment Qualification": Access("parent", personal=True, parents=("Employment Profile",)),
	"Work Measure": Access(
		"work_measure", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("citizen_name provider reminded_dates"),
		admin_settable=_ORGANISATION,
	),
	"Work Measure Attendance": Access("parent", personal=True, parents=("Work Measure",)),
	"Housing Situation": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields(
			"household_name eviction_pending next_eviction_date eviction_alerted_dates provider"
		),
		admin_settable=_ORGANISATION,
	),
	"Housing Situation Period": Access("parent", personal=True, parents=("Housing Situation",)),
	"Social Housing Application": Access(
		"organisation", personal=True, provider_on_insert=True, check_links=True,
		server_owned=fields("household_name provider"),
		admin_settable=_ORGANISATION,
	),
	# --- monitoring: the funding programmes (configuration, kept by Network Administrators) and each
	# person's participation in them, held by the organisation that records it
	"Funding Programme": Access("none"),
	"Participation": Access(
		"organisation", personal=True, logged="citizen", provider_on_insert=True, check_links=True,
		server_owned=fields(
			"citizen_name status provider age_at_entry age_band months_unemployed long_term_unemployed"
			" inactive_not_in_education measure_outcomes follow_up_due follow_up_reminded_on open_key"
		),
		admin_settable=_ORGANISATION,
	),
	# --- solidarity distribution: a hub's records belong to the organisation managing it
	"Distribution Hub": Access("directory"),
	"Hub Opening Hours": Access("none", parents=("Distribution Hub",)),
	"Hub Staff": Access("none", parents=("Distribution Hub",)),
	"Aid Item": Access("none"),
	"Aid Item Dietary Tag": Access("none", parents=("Aid Item",)),
	"Dietary Tag": Access("none"),
	"Parcel Template": Access("none"),
	"Parcel Template Item": Access("none", parents=("Parcel Template",)),
	"Distribution Round": Access(
		"organisation", personal=True, check_links=True, server_owned=fields("provider missed_checked"),
	),
	"Round Household": Access(
		"parent", personal=True, parents=("Distribution Round",),
		server_owned=fields("household_name household_size collected missed"),
	),
	"Hub Enrolment": Access(
		"organisation", personal=True, check_links=True,
		server_owned=fields(
			"household_name household_size head_of_household source referral end_date first_collection_on"
			" last_collection_on missed_in_a_row needs_attention escalated_on provider"
		),
	),
	"Parcel Delivery": Access(
		"organisation", personal=True,
		server_owned=fields("household_size status double_collection_warning provider"),
	),
	"Parcel Delivery Item": Access("parent", personal=True, parents=("Parcel Delivery",)),
	"Stock Movement": Access(
		"organisation", server_owned=fields("reference_doctype reference_name provider"),
	),
	"Stock Movement Item": Access("parent", parents=("Stock Movement",)),
	"Stock Bin": Access(
		"organisation", server_owned=fields("hub aid_item lot expiry_date actual_qty provider"),
	),
	"Stock Ledger Entry": Access(
		"organisation",
		server_owned=fields(
			"hub aid_item lot expiry_date qty_change posting_datetime movement_type stock_movement"
			" parcel_delivery provider"
		),
	),
	# --- vouchers
	"Voucher Programme": Access("none", server_owned=fields("issued_amount")),
	"Voucher Amount Rule": Access("none", parents=("Voucher Programme",)),
	"Voucher Programme Merchant": Access("none", parents=("Voucher Programme",)),
	"Voucher": Access(
		"organisation", personal=True, logged="head_of_household", provider_on_insert=True,
		check_links=True,
		server_owned=fields(
			"head_of_household holder_first_name value balance status issue_date expiry_date code"
			" cancellation_reason provider"
		),
		admin_settable=_ORGANISATION,
	),
	"Voucher Application": Access(
		"voucher_application", personal=True, logged="head_of_household", provider_on_insert=True,
		check_links=True,
		server_owned=fields(
			"head_of_household head_of_household_name household_size proposed_amount reasons proposed_by"
			" status decided_by decided_on voucher is_overdue escalated_on open_key provider"
		),
		admin_settable=_ORGANISATION,
	),
	"Voucher Redemption": Access(
		"merchant",
		server_owned=fields(
			"voucher merchant amount balance_after redeemed_at redeemed_by idempotency_key programme"
		),
	),
	# --- privacy
	"Personal Data Access Log": Access(
		"admin_only", personal=True,
		server_owned=fields(
			"accessed_on user provider reference_doctype reference_name citizen endpoint ip_address"
		),
	),
	"Retention Rule": Access("none", parents=("To Link Settings",)),
	# --- Frappe's doctypes the app rules
	# a user's organisation decides every row rule: only the data controller's office sets it
	# (tolink.security.accounts also refuses it at save, whatever the path)
	# an integration user (API access only) is made by a Network Administrator (tolink.network.onboarding)
	"User": Access(
		"none",
		server_owned=fields("tolink_provider tolink_integration_user"),
		admin_settable=fields("tolink_provider"),
	),
	"Workflow Action": Access(
		"workflow_action",
		server_owned=fields(
			"status reference_doctype reference_name user workflow_state completed_by completed_by_role"
		),
	),
}
# fmt: on


def server_owned_fields(doctype: str, user: str | None = None) -> frozenset[str]:
	"""Fields of `doctype` that only the app's own code sets: a request changing one is refused.

	For a Network Administrator the fields they may set (`admin_settable`) are left out. `user`
	defaults to the session's user; outside a request the strictest set is answered."""
	access = POLICY.get(doctype)
	if access is None:
		return frozenset()
	if access.admin_settable:
		session = getattr(frappe.local, "session", None)
		user = user or (session.user if session else None)
		if user and is_network_admin(user):
			return access.server_owned - access.admin_settable
	return access.server_owned


def personal_doctypes() -> frozenset[str]:
	"""Doctypes holding a person's data, their child tables included."""
	return _PERSONAL


_PERSONAL = frozenset(doctype for doctype, access in POLICY.items() if access.personal)


# --- the hooks: every doctype of POLICY with a rule points here (hooks.py)

_functions: dict[str, Callable] = {}


def _function(path: str) -> Callable:
	if path not in _functions:
		_functions[path] = frappe.get_attr(path)
	return _functions[path]


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of every doctype with row rules: its rule's condition."""
	user = user or frappe.session.user
	access = POLICY.get(doctype)
	if access is None:
		# a doctype pointed here without a rule reads nothing rather than everything
		return "1=0"
	query = RULES[access.rule].query
	return _function(query)(user=user, doctype=doctype) if query else ""


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""has_permission of every doctype with row rules: its rule decides; a read the rule allows of a
	logged doctype is written to the access log."""
	user = user or frappe.session.user
	access = POLICY.get(doc.doctype)
	if access is None:
		return False
	check = RULES[access.rule].has_permission
	if not check:
		return True
	allowed = _function(check)(doc, ptype=ptype, user=user)
	if allowed and access.logged and ptype in READ_PTYPES and not doc.is_new():
		log_read(doc.doctype, doc.name, doc.get(access.logged))
	return allowed


def row_conditions(doctype: str, user: str) -> str:
	"""The doctype's row conditions for the user, as Frappe applies them to its lists ("" for none):
	the one combiner used for child tables, for fields of linked records (joins) and for the
	Workflow Action inbox."""
	conditions = []
	for method in frappe.get_hooks("permission_query_conditions", {}).get(doctype, []):
		if condition := frappe.call(_function(method), user=user, doctype=doctype):
			conditions.append(f"({condition})")
	return " and ".join(conditions)


# --- the rules defined here (the others live with their module: see RULES)


def organisation_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""The user's own organisation's rows only. Rows with an empty provider are visible to network
	administrators only."""
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	return f"`tab{doctype}`.`provider` = {frappe.db.escape(provider)}"


def organisation_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""The document's provider must be the user's own."""
	user = user or frappe.session.user
	if is_network_admin(user):
		return True
	provider = get_user_provider(user)
	if not provider:
		return False
	doc_provider = doc.get("provider")
	if not doc_provider and doc.is_new():
		# set while saving: to the user's organisation (set_provider_on_insert) or, for hub
		# records, to the hub's organisation after checking the user works there
		return ptype in ("create", "submit", "write", "read")
	return doc_provider == provider


def admin_only_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Records only the data controller's office reads (e.g. the access log)."""
	return "" if is_network_admin(user or frappe.session.user) else "1=0"


def admin_only_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return is_network_admin(user or frappe.session.user)


def parent_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""A child table's rows: those of the parents the user may read. Frappe lists a child table
	(e.g. GET /api/resource/Citizen Vulnerability?parent=Citizen) checking only that the user's
	roles may read the parent doctype, not which parents."""
	user = user or frappe.session.user
	(parent,) = POLICY[doctype].parents
	conditions = row_conditions(parent, user)
	if not conditions:
		return ""
	return (
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `tab{parent}`.`name` from `tab{parent}` where {conditions}))"
	)


# Frappe's Workflow Action inbox lists every document awaiting a role's action to every user with
# that role, whatever organisation holds the document. For personal data, a user sees the
# actions of documents they may read, and no others.


def workflow_action_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	parts = [
		"`tabWorkflow Action`.`reference_doctype` not in "
		f"({', '.join(frappe.db.escape(d) for d in WORKFLOW_DOCTYPES)})"
	]
	for dt in WORKFLOW_DOCTYPES:
		where = row_conditions(dt, user) or "1=1"
		parts.append(
			f"(`tabWorkflow Action`.`reference_doctype` = {frappe.db.escape(dt)} and "
			f"`tabWorkflow Action`.`reference_name` in (select `tab{dt}`.`name` from `tab{dt}` where {where}))"
		)
	return "(" + " or ".join(parts) + ")"


def workflow_action_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.get("reference_doctype") not in WORKFLOW_DOCTYPES or not doc.get("reference_name"):
		return True
	return frappe.has_permission(doc.reference_doctype, "read", doc=doc.reference_name, user=user)
