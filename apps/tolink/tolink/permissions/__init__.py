"""Who sees what in To Link.

Every user belongs to one Provider (the custom field `User.tolink_provider`). Records holding
personal data carry the `provider` that registered them. Staff see and change only their own
organisation's records; Network Administrators see the whole network; Monitoring Officers and
Merchants have no role permission on personal data at all (see the DocPerms of each doctype).

Both hooks below are registered for every provider-scoped doctype in hooks.py, so list, get,
count, link search, link validation and reports all apply the same rule.
"""

import frappe

# lists' joins onto linked records follow their rules from the first query (see the module)
from tolink.permissions import joins

NETWORK_ADMIN_ROLES = frozenset({"Network Administrator", "System Manager", "Administrator"})

ROLES = (
	"Reception Operator",
	"Case Manager",
	"Provider Staff",
	"Hub Manager",
	"Hub Volunteer",
	"Psychologist",
	"Merchant",
	"Network Administrator",
	"Monitoring Officer",
)

USER_PROVIDER_FIELD = "tolink_provider"

# Doctypes holding a person's data: never shared by DocShare (sharing between organisations goes
# through consent and referrals), never readable without a row-level rule.
PERSONAL_DATA_DOCTYPES = (
	"Citizen",
	"Household",
	"Consent",
	"Intake",
	"Welfare Plan",
	"Referral",
	"Case Note",
	"Personal Data Access Log",
	"Voucher",
	"Helpline Call",
	"Support Session",
	"Parcel Delivery",
	# the households of a distribution round, by name
	"Distribution Round",
)


# Child tables of personal-data doctypes. Frappe lists a child table (e.g. GET
# /api/resource/Citizen Vulnerability?parent=Citizen) checking only that the user's roles may read
# the parent doctype, not which parents: their rows follow their parent's row rules here.
PERSONAL_DATA_CHILD_TABLES = {
	"Citizen Language": "Citizen",
	"Citizen Vulnerability": "Citizen",
	"Household Member": "Household",
	"Intake Need": "Intake",
	"Plan Goal": "Welfare Plan",
	"Plan Action": "Welfare Plan",
	"Case Note Role": "Case Note",
	"Parcel Delivery Item": "Parcel Delivery",
	"Round Household": "Distribution Round",
}


def get_user_provider(user: str | None = None) -> str | None:
	"""The Provider the user belongs to (cached per request)."""
	user = user or frappe.session.user
	cache = getattr(frappe.local, "tolink_user_provider", None)
	if cache is None:
		cache = frappe.local.tolink_user_provider = {}
	if user not in cache:
		cache[user] = frappe.db.get_value("User", user, USER_PROVIDER_FIELD) if user != "Guest" else None
	return cache[user]


def is_network_admin(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(NETWORK_ADMIN_ROLES.intersection(frappe.get_roles(user)))


def provider_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions: the user's own organisation's rows only.

	Rows with an empty provider are visible to network administrators only."""
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	provider = get_user_provider(user)
	if not provider:
		return "1=0"
	return f"`tab{doctype}`.`provider` = {frappe.db.escape(provider)}"


# a read of these is logged (who, organisation, when, which endpoint): tolink.privacy.access_log
LOGGED_READ_DOCTYPES = {"Citizen": "name", "Voucher": "head_of_household"}
READ_PTYPES = (None, "read", "print", "email", "export")


def provider_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""has_permission: the document's provider must be the user's own."""
	user = user or frappe.session.user
	allowed = _provider_allows(doc, ptype, user)
	if allowed and ptype in READ_PTYPES and doc.doctype in LOGGED_READ_DOCTYPES and not doc.is_new():
		from tolink.privacy.access_log import log_read

		log_read(doc.doctype, doc.name, doc.get(LOGGED_READ_DOCTYPES[doc.doctype]))
	return allowed


def _provider_allows(doc, ptype: str | None, user: str) -> bool:
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


def set_provider_on_insert(doc, method=None):
	"""doc_events before_insert / validate: a record belongs to the organisation of who creates it.

	Network administrators may register on behalf of any provider; everyone else gets their own."""
	if frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if is_network_admin():
		if not doc.get("provider"):
			doc.provider = get_user_provider()
		if not doc.get("provider"):
			frappe.throw(frappe._("Choose the organisation this record belongs to."))
		return
	provider = get_user_provider()
	if not provider:
		frappe.throw(
			frappe._("Your user does not belong to any organisation: ask a Network Administrator."),
			frappe.PermissionError,
		)
	if doc.is_new():
		doc.provider = provider
	elif doc.has_value_changed("provider"):
		frappe.throw(frappe._("Only a Network Administrator can move a record to another organisation."))


def clear_user_provider_cache(doc=None, method=None):
	"""doc_events User on_update: a user moved to another organisation is seen so at once."""
	frappe.local.tolink_user_provider = {}


def block_docshare(doc, method=None):
	"""doc_events DocShare validate: Frappe's document sharing bypasses consent, so it is off for
	personal data."""
	if doc.share_doctype in PERSONAL_DATA_DOCTYPES:
		frappe.throw(
			frappe._(
				"{0} records are not shared one by one: sharing with another organisation goes through "
				"the person's consent and a referral."
			).format(frappe._(doc.share_doctype)),
			frappe.PermissionError,
		)


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of a child table: rows of the parents the user may read."""
	user = user or frappe.session.user
	parent = PERSONAL_DATA_CHILD_TABLES[doctype]
	conditions = [
		f"({c})"
		for method in frappe.get_hooks("permission_query_conditions", {}).get(parent, [])
		if (c := frappe.call(frappe.get_attr(method), user=user, doctype=parent))
	]
	if not conditions:
		return ""
	return (
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `tab{parent}`.`name` from `tab{parent}` where {' and '.join(conditions)}))"
	)


def admin_only_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Records only the data controller's office reads (e.g. the access log)."""
	return "" if is_network_admin(user or frappe.session.user) else "1=0"


def admin_only_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return is_network_admin(user or frappe.session.user)


# Frappe's Workflow Action inbox lists every document awaiting a role's action to every user with
# that role, whatever organisation holds the document. For personal data, a user sees the
# actions of documents they may read, and no others.
WORKFLOW_DOCTYPES = ("Referral", "Welfare Plan")


def restrict_workflow_doctypes(doc, method=None):
	"""doc_events Workflow validate and on_trash: Network Administrators edit the care path's
	workflows (tolink.care_path.workflows grants them Workflow); a workflow on any other doctype
	would rewrite that doctype's records (Frappe fills the state field of every record on save),
	so that stays with System Managers."""
	if frappe.session.user == "Administrator" or "System Manager" in frappe.get_roles():
		return
	before = doc.get_doc_before_save() if method == "validate" else None
	for doctype in {doc.document_type, before.document_type if before else None} - {None}:
		if doctype not in WORKFLOW_DOCTYPES:
			frappe.throw(
				frappe._("Only a System Manager changes the workflow of {0}.").format(frappe._(doctype)),
				frappe.PermissionError,
			)


def workflow_action_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_network_admin(user):
		return ""
	hooks = frappe.get_hooks("permission_query_conditions")
	parts = [
		f"`tabWorkflow Action`.`reference_doctype` not in ({', '.join(frappe.db.escape(d) for d in WORKFLOW_DOCTYPES)})"
	]
	for dt in WORKFLOW_DOCTYPES:
		conditions = [frappe.get_attr(fn)(user, dt) for fn in hooks.get(dt, [])]
		where = " and ".join(f"({c})" for c in conditions if c) or "1=1"
		parts.append(
			f"(`tabWorkflow Action`.`reference_doctype` = {frappe.db.escape(dt)} and "
			f"`tabWorkflow Action`.`reference_name` in (select `tab{dt}`.`name` from `tab{dt}` where {where}))"
		)
	return "(" + " or ".join(parts) + ")"


def workflow_action_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.get("reference_doctype") not in WORKFLOW_DOCTYPES or not doc.get("reference_name"):
		return True
	return frappe.has_permission(doc.reference_doctype, "read", doc=doc.reference_name, user=user)
