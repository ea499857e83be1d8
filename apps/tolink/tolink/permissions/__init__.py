"""Who sees what in To Link.

Every user belongs to one Provider (the custom field `User.tolink_provider`). Records holding
personal data carry the `provider` that registered them. Staff see and change only their own
organisation's records; Network Administrators see the whole network; Monitoring Officers and
Merchants have no role permission on personal data at all (see the DocPerms of each doctype).

Who reads and writes which rows of every doctype is one table, tolink.permissions.policy.POLICY;
hooks.py registers its generic row rules for each doctype, so list, get, count, link search,
link validation and reports all apply the same rule. This module holds the document events the
table implies (the organisation of a new record, no DocShare of personal data) and the names
other modules import.
"""

import frappe

# lists' joins onto linked records follow their rules from the first query (see the module)
from tolink.permissions import joins
from tolink.permissions.policy import POLICY, READ_PTYPES, WORKFLOW_DOCTYPES, personal_doctypes

# who the user is (roles, organisation) lives in tolink.security.users, below this module and the
# access log; the names are also imported from here by the domain modules
from tolink.security.users import (
	NETWORK_ADMIN_ROLES,
	ROLES,
	USER_PROVIDER_FIELD,
	clear_user_provider_cache,
	get_user_provider,
	is_network_admin,
)

# Doctypes holding a person's data (POLICY's personal doctypes but their child tables): never
# shared by DocShare (sharing between organisations goes through consent and referrals), never
# readable without a row-level rule, links to them checked (tolink.permissions.links).
PERSONAL_DATA_DOCTYPES = tuple(
	doctype for doctype, access in POLICY.items() if access.personal and access.rule != "parent"
)

# Child tables of personal-data doctypes: their rows follow their parent's row rules.
PERSONAL_DATA_CHILD_TABLES = {
	doctype: access.parents[0]
	for doctype, access in POLICY.items()
	if access.personal and access.rule == "parent"
}

__all__ = (
	"NETWORK_ADMIN_ROLES",
	"PERSONAL_DATA_CHILD_TABLES",
	"PERSONAL_DATA_DOCTYPES",
	"READ_PTYPES",
	"ROLES",
	"USER_PROVIDER_FIELD",
	"WORKFLOW_DOCTYPES",
	"clear_user_provider_cache",
	"get_user_provider",
	"is_network_admin",
	"joins",
)


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


def block_docshare(doc, method=None):
	"""doc_events DocShare validate: Frappe's document sharing bypasses consent, so it is off for
	personal data."""
	if doc.share_doctype in personal_doctypes():
		frappe.throw(
			frappe._(
				"{0} records are not shared one by one: sharing with another organisation goes through "
				"the person's consent and a referral."
			).format(frappe._(doc.share_doctype)),
			frappe.PermissionError,
		)


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
