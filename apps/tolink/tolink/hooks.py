app_name = "tolink"
app_title = "To Link"
app_publisher = "To Link developers"
app_description = (
	"To Link: connessioni di comunità. Reception, orientation and accompaniment for people in hardship."
)
app_email = "dev@tolink.invalid"
app_license = "mit"
required_apps = []

export_python_type_annotations = True

# Installation
# ------------
after_install = "tolink.setup.install.after_install"
after_migrate = "tolink.setup.install.after_migrate"
before_tests = "tolink.setup.install.before_tests"

# Permissions
# -----------
# Doctypes holding personal data, scoped to the organisation that registered the record
# (tolink.permissions). Both hooks are needed: the query condition filters lists, counts, link
# search and reports; has_permission guards single documents.
PROVIDER_SCOPED_DOCTYPES = (
	"Citizen",
	"Household",
	"Consent",
	"Intake",
	"Welfare Plan",
	"Voucher",
	"Helpline Call",
)
# doctypes whose records belong to an organisation: set on insert, moved only by administrators
OWNED_BY_PROVIDER_DOCTYPES = (*PROVIDER_SCOPED_DOCTYPES, "Referral", "Case Note", "Support Session")

# hub records belong to the organisation managing the hub (set from the hub, checked on save)
HUB_SCOPED_DOCTYPES = (
	"Stock Movement",
	"Stock Ledger Entry",
	"Stock Bin",
	"Distribution Round",
	"Parcel Delivery",
)
ORG_SCOPED_DOCTYPES = (*PROVIDER_SCOPED_DOCTYPES, *HUB_SCOPED_DOCTYPES)

permission_query_conditions = {
	doctype: "tolink.permissions.provider_query_conditions" for doctype in ORG_SCOPED_DOCTYPES
}

has_permission = {
	**{doctype: "tolink.permissions.provider_has_permission" for doctype in ORG_SCOPED_DOCTYPES},
	"Service": "tolink.network.permissions.service_has_permission",
	"Distribution Hub": "tolink.network.permissions.service_has_permission",
	"Referral": "tolink.care_path.permissions.referral_has_permission",
	"Case Note": "tolink.care_path.permissions.case_note_has_permission",
}
permission_query_conditions.update(
	{
		"Referral": "tolink.care_path.permissions.referral_query_conditions",
		"Case Note": "tolink.care_path.permissions.case_note_query_conditions",
		"Voucher Redemption": "tolink.vouchers.permissions.redemption_query_conditions",
		"Support Session": "tolink.helpline.permissions.session_query_conditions",
	}
)
has_permission["Support Session"] = "tolink.helpline.permissions.session_has_permission"
# child tables of personal data: rows of the parents the user may read (tolink.permissions)
permission_query_conditions.update(
	{
		child: "tolink.permissions.child_query_conditions"
		for child in (
			"Citizen Language",
			"Citizen Vulnerability",
			"Household Member",
			"Intake Need",
			"Plan Goal",
			"Plan Action",
			"Case Note Role",
			"Parcel Delivery Item",
			"Round Household",
		)
	}
)
permission_query_conditions["Personal Data Access Log"] = "tolink.permissions.admin_only_query_conditions"
permission_query_conditions["Workflow Action"] = "tolink.permissions.workflow_action_query_conditions"
has_permission["Workflow Action"] = "tolink.permissions.workflow_action_has_permission"
has_permission["Personal Data Access Log"] = "tolink.permissions.admin_only_has_permission"
has_permission["Voucher Redemption"] = "tolink.vouchers.permissions.redemption_has_permission"

doc_events = {
	doctype: {
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	}
	for doctype in OWNED_BY_PROVIDER_DOCTYPES
}
doc_events["User"] = {
	"on_update": [
		"tolink.permissions.clear_user_provider_cache",
		"tolink.security.accounts.revoke_access_of_disabled_user",
	]
}

# after every authentication (session, API key, OAuth): a disabled user gets nothing
auth_hooks = ["tolink.security.accounts.reject_disabled_users"]
# the client address from trusted proxies only; failed logins counted and locked per address
before_request = [
	# fields of linked records in lists follow those records' rules (tolink.permissions.joins)
	"tolink.permissions.joins.install",
	"tolink.security.client_address.set_request_ip",
]
before_job = ["tolink.permissions.joins.install"]
on_login = "tolink.security.client_address.check_address_not_locked"
# a record points only at a person's records the user's organisation may reach (tolink.permissions.links)
LINK_CHECKED_DOCTYPES = (
	*PROVIDER_SCOPED_DOCTYPES,
	"Referral",
	"Case Note",
	"Support Session",
	"Distribution Round",
)
doc_events.update(
	{
		dt: {**doc_events.get(dt, {}), "before_validate": "tolink.permissions.links.check_linked_records"}
		for dt in LINK_CHECKED_DOCTYPES
	}
)
doc_events["Activity Log"] = {"before_insert": "tolink.security.client_address.record_login_failure"}
doc_events["DocShare"] = {"validate": "tolink.permissions.block_docshare"}
doc_events["Workflow"] = {
	"validate": "tolink.permissions.restrict_workflow_doctypes",
	"on_trash": "tolink.permissions.restrict_workflow_doctypes",
}
doc_events["Intake"]["after_insert"] = "tolink.helpline.doctype.helpline_call.helpline_call.link_intake"

# Frappe endpoints that answer without row-level rules: ours apply them (tolink.permissions.api).
override_whitelisted_methods = {
	"frappe.client.validate_link": "tolink.permissions.api.validate_link",
	"frappe.client.get_count": "tolink.permissions.api.get_count",
	"frappe.desk.listview.get_group_by_count": "tolink.permissions.api.get_group_by_count",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": "tolink.permissions.api.get_submitted_linked_docs",
	"frappe.desk.form.linked_with.get": "tolink.permissions.api.get_linked_docs",
}

# Print formats: {{ qr_svg(doc.code) }}
jinja = {"methods": ["tolink.vouchers.codes.qr_svg"]}

# Scheduled Tasks
# ---------------
scheduler_events = {
	"cron": {
		# every minute: proves to the health check that scheduler and workers run
		"* * * * *": ["tolink.api.health.record_scheduler_heartbeat"],
	},
	"hourly": ["tolink.care_path.escalation.escalate_overdue_referrals"],
	"daily": [
		"tolink.registry.doctype.household.household.refresh_isee_expired",
		"tolink.setup.install.ensure_naming_series",
		"tolink.distribution.alerts.notify_hub_managers",
		"tolink.vouchers.doctype.voucher.voucher.expire_vouchers",
		"tolink.care_path.doctype.welfare_plan.welfare_plan.send_review_reminders",
		"tolink.privacy.access_log.purge_old_access_logs",
		"tolink.privacy.anonymise.apply_retention",
		"tolink.privacy.anonymise.apply_record_retention",
	],
}
