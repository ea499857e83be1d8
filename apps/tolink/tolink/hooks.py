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
# Written from the access policy, tolink.permissions.policy.POLICY (test_policy holds this against it):
# every doctype with row rules points at its generic functions, which apply the doctype's rule.
# Both hooks are needed: the query condition filters lists, counts, link search and reports;
# has_permission guards single documents (and logs the reads of personal data).
permission_query_conditions = {
	"Citizen": "tolink.permissions.policy.query_conditions",
	"Citizen Language": "tolink.permissions.policy.query_conditions",
	"Citizen Vulnerability": "tolink.permissions.policy.query_conditions",
	"Household": "tolink.permissions.policy.query_conditions",
	"Household Member": "tolink.permissions.policy.query_conditions",
	"Consent": "tolink.permissions.policy.query_conditions",
	"Intake": "tolink.permissions.policy.query_conditions",
	"Intake Need": "tolink.permissions.policy.query_conditions",
	"Welfare Plan": "tolink.permissions.policy.query_conditions",
	"Plan Goal": "tolink.permissions.policy.query_conditions",
	"Plan Action": "tolink.permissions.policy.query_conditions",
	"Referral": "tolink.permissions.policy.query_conditions",
	"Case Note": "tolink.permissions.policy.query_conditions",
	"Case Note Role": "tolink.permissions.policy.query_conditions",
	"Helpline Call": "tolink.permissions.policy.query_conditions",
	"Support Session": "tolink.permissions.policy.query_conditions",
	"Check-in Schedule": "tolink.permissions.policy.query_conditions",
	"Duty Roster": "tolink.permissions.policy.query_conditions",
	"Distribution Round": "tolink.permissions.policy.query_conditions",
	"Round Household": "tolink.permissions.policy.query_conditions",
	"Hub Enrolment": "tolink.permissions.policy.query_conditions",
	"Parcel Delivery": "tolink.permissions.policy.query_conditions",
	"Parcel Delivery Item": "tolink.permissions.policy.query_conditions",
	"Stock Movement": "tolink.permissions.policy.query_conditions",
	"Stock Movement Item": "tolink.permissions.policy.query_conditions",
	"Stock Bin": "tolink.permissions.policy.query_conditions",
	"Stock Ledger Entry": "tolink.permissions.policy.query_conditions",
	"Voucher": "tolink.permissions.policy.query_conditions",
	"Voucher Application": "tolink.permissions.policy.query_conditions",
	"Voucher Redemption": "tolink.permissions.policy.query_conditions",
	"Employment Profile": "tolink.permissions.policy.query_conditions",
	"Employment Status Period": "tolink.permissions.policy.query_conditions",
	"Employment Language": "tolink.permissions.policy.query_conditions",
	"Employment Qualification": "tolink.permissions.policy.query_conditions",
	"Work Measure": "tolink.permissions.policy.query_conditions",
	"Work Measure Attendance": "tolink.permissions.policy.query_conditions",
	"Housing Situation": "tolink.permissions.policy.query_conditions",
	"Housing Situation Period": "tolink.permissions.policy.query_conditions",
	"Social Housing Application": "tolink.permissions.policy.query_conditions",
	"Participation": "tolink.permissions.policy.query_conditions",
	"Personal Data Access Log": "tolink.permissions.policy.query_conditions",
	"Integration Key": "tolink.permissions.policy.query_conditions",
	"Partner Account Log": "tolink.permissions.policy.query_conditions",
	"To Link Import": "tolink.permissions.policy.query_conditions",
	"Workflow Action": "tolink.permissions.policy.query_conditions",
	"Partner Webhook": "tolink.permissions.policy.query_conditions",
	"Partner Webhook Delivery": "tolink.permissions.policy.query_conditions",
}
has_permission = {
	"Citizen": "tolink.permissions.policy.has_permission",
	"Household": "tolink.permissions.policy.has_permission",
	"Consent": "tolink.permissions.policy.has_permission",
	"Service": "tolink.permissions.policy.has_permission",
	"Intake": "tolink.permissions.policy.has_permission",
	"Welfare Plan": "tolink.permissions.policy.has_permission",
	"Referral": "tolink.permissions.policy.has_permission",
	"Case Note": "tolink.permissions.policy.has_permission",
	"Helpline Call": "tolink.permissions.policy.has_permission",
	"Support Session": "tolink.permissions.policy.has_permission",
	"Check-in Schedule": "tolink.permissions.policy.has_permission",
	"Duty Roster": "tolink.permissions.policy.has_permission",
	"Distribution Hub": "tolink.permissions.policy.has_permission",
	"Distribution Round": "tolink.permissions.policy.has_permission",
	"Hub Enrolment": "tolink.permissions.policy.has_permission",
	"Parcel Delivery": "tolink.permissions.policy.has_permission",
	"Stock Movement": "tolink.permissions.policy.has_permission",
	"Stock Bin": "tolink.permissions.policy.has_permission",
	"Stock Ledger Entry": "tolink.permissions.policy.has_permission",
	"Voucher": "tolink.permissions.policy.has_permission",
	"Voucher Application": "tolink.permissions.policy.has_permission",
	"Voucher Redemption": "tolink.permissions.policy.has_permission",
	"Employment Profile": "tolink.permissions.policy.has_permission",
	"Work Measure": "tolink.permissions.policy.has_permission",
	"Housing Situation": "tolink.permissions.policy.has_permission",
	"Social Housing Application": "tolink.permissions.policy.has_permission",
	"Participation": "tolink.permissions.policy.has_permission",
	"Personal Data Access Log": "tolink.permissions.policy.has_permission",
	"Integration Key": "tolink.permissions.policy.has_permission",
	"Partner Account Log": "tolink.permissions.policy.has_permission",
	"To Link Import": "tolink.permissions.policy.has_permission",
	"Workflow Action": "tolink.permissions.policy.has_permission",
	"Partner Webhook": "tolink.permissions.policy.has_permission",
	"Partner Webhook Delivery": "tolink.permissions.policy.has_permission",
}

# The policy's document events: a record belongs to its creator's organisation
# (set_provider_on_insert); it points only at people's records the organisation may reach
# (tolink.permissions.links); personal data is never shared one by one (block_docshare).
doc_events = {
	"Citizen": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Household": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Consent": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
		# the registry knows nothing of referrals: the care path tells their partners (care_path.sharing)
		"on_update": "tolink.care_path.sharing.tell_partner_of_withdrawal",
	},
	"Intake": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
		"after_insert": "tolink.helpline.doctype.helpline_call.helpline_call.link_intake",
	},
	"Welfare Plan": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Referral": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": [
			"tolink.permissions.set_provider_on_insert",
			# a referral to a food-parcel hub is for a household (tolink.distribution.enrolment)
			"tolink.distribution.enrolment.check_referral_to_hub",
		],
		"validate": "tolink.permissions.set_provider_on_insert",
		"on_update": [
			# accepted by a hub: the household goes on the hub's list and into its next round
			"tolink.distribution.enrolment.on_referral_update",
			# received or cancelled: the receiving organisation's webhooks (tolink.network.webhooks)
			"tolink.care_path.webhooks.on_referral_update",
		],
	},
	"Case Note": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Helpline Call": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Support Session": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Check-in Schedule": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Duty Roster": {
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Distribution Round": {
		"before_validate": "tolink.permissions.links.check_linked_records",
	},
	"Hub Enrolment": {
		"before_validate": "tolink.permissions.links.check_linked_records",
	},
	"Voucher": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Voucher Application": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	# the public directory (HSDS API, /trova-un-servizio) is cached: a change shows at once
	"Provider": {
		"on_update": "tolink.network.hsds.invalidate",
		"on_trash": "tolink.network.hsds.invalidate",
		"after_rename": "tolink.network.hsds.invalidate",
	},
	"Service": {
		"on_update": "tolink.network.hsds.invalidate",
		"on_trash": "tolink.network.hsds.invalidate",
		"after_rename": "tolink.network.hsds.invalidate",
	},
	"Need Category": {
		"on_update": "tolink.network.hsds.invalidate",
		"on_trash": "tolink.network.hsds.invalidate",
		"after_rename": "tolink.network.hsds.invalidate",
	},
	"District": {
		"on_update": "tolink.network.hsds.invalidate",
		"on_trash": "tolink.network.hsds.invalidate",
		"after_rename": "tolink.network.hsds.invalidate",
	},
	"Employment Profile": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Work Measure": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
		# a measure's outcome feeds the person's open participations (tolink.monitoring.measures)
		"on_update": "tolink.monitoring.measures.on_work_measure_update",
	},
	# a person's participation in a funding programme (tolink.monitoring)
	"Participation": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Housing Situation": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	"Social Housing Application": {
		"before_validate": "tolink.permissions.links.check_linked_records",
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	# the partners' webhooks (tolink.network.webhooks): an organisation's own, managed by its coordinator
	"Partner Webhook": {
		"before_insert": "tolink.permissions.set_provider_on_insert",
		"validate": "tolink.permissions.set_provider_on_insert",
	},
	# a shop's system is told of a redemption (tolink.vouchers.webhooks)
	"Voucher Redemption": {"after_insert": "tolink.vouchers.webhooks.on_redemption"},
	"DocShare": {"validate": "tolink.permissions.block_docshare"},
	"Workflow": {
		"validate": "tolink.permissions.restrict_workflow_doctypes",
		"on_trash": "tolink.permissions.restrict_workflow_doctypes",
	},
	"Activity Log": {"before_insert": "tolink.security.client_address.record_login_failure"},
	"User": {
		# no To Link staff user holds System Manager (Frappe gives it to the first system user)
		"before_validate": "tolink.security.accounts.note_requested_system_manager",
		"validate": [
			"tolink.security.accounts.refuse_system_manager_for_staff",
			"tolink.security.accounts.refuse_organisation_change",
		],
		"on_update": [
			"tolink.permissions.clear_user_provider_cache",
			"tolink.security.accounts.revoke_access_of_disabled_user",
		],
		# a deleted user's Integration Key goes with it (tolink.network.onboarding)
		"on_trash": "tolink.network.onboarding.forget_integration_key",
	},
}
# Administrator is the System Manager Frappe asks for: no staff user is made one
override_doctype_class = {"User": "tolink.security.accounts.ToLinkUser"}

# after every authentication (session, API key, OAuth): a disabled user gets nothing
auth_hooks = [
	"tolink.security.accounts.reject_disabled_users",
	# a partner's API key: revoked, expired or outside its allowed IP ranges answers 401
	# (tolink.security.api_keys; issued by Network Administrators, tolink.network.onboarding)
	"tolink.security.api_keys.check_key_restrictions",
	# deny by default: the allowlist, the query grammar, server-owned fields (tolink.permissions.gate);
	# an auth hook, not before_request, which runs before API-key authentication
	"tolink.permissions.gate.check_request",
]
# a malformed request is the client's mistake: 400 with a clear message, not Frappe's 500
after_request = ["tolink.permissions.gate.answer_client_errors"]
# the client address from trusted proxies only; failed logins counted and locked per address
before_request = [
	# fields of linked records in lists follow those records' rules (tolink.permissions.joins)
	"tolink.permissions.joins.install",
	"tolink.security.client_address.set_request_ip",
]
before_job = ["tolink.permissions.joins.install"]
on_login = [
	"tolink.security.client_address.check_address_not_locked",
	# integration users (API access only) never log in interactively (tolink.security.api_keys)
	"tolink.security.api_keys.refuse_interactive_login",
]
# the partner account log outlives the accounts it names (append-only, tolink.network.onboarding)
ignore_links_on_delete = ["Partner Account Log"]

# Frappe endpoints that answer without row-level rules: ours apply them (tolink.permissions.api).
override_whitelisted_methods = {
	"frappe.client.validate_link": "tolink.permissions.api.validate_link",
	"frappe.client.get_count": "tolink.permissions.api.get_count",
	"frappe.desk.listview.get_group_by_count": "tolink.permissions.api.get_group_by_count",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": "tolink.permissions.api.get_submitted_linked_docs",
	"frappe.desk.form.linked_with.get": "tolink.permissions.api.get_linked_docs",
	"frappe.desk.search.get_link_title": "tolink.permissions.api.get_link_title",
}

# requests that travel: an intake's or a call's request for food, to a hub (tolink.care_path.requests)
doctype_js = {
	"Intake": "public/js/aid_request.js",
	"Helpline Call": "public/js/aid_request.js",
	# a plan's progress by area and the person's work and housing steps (tolink.pathways)
	"Welfare Plan": "public/js/plan_pathways.js",
}

# Print formats: {{ qr_svg(doc.code) }}
jinja = {"methods": ["tolink.vouchers.codes.qr_svg"]}

# Scheduled Tasks
# ---------------
scheduler_events = {
	"cron": {
		# every minute: proves to the health check that scheduler and workers run
		"* * * * *": [
			"tolink.health.record_scheduler_heartbeat",
			# the partners' webhooks: retries whose back-off has passed (tolink.network.webhooks)
			"tolink.network.webhooks.send_due",
		],
		# helpline callbacks falling due: the operator is reminded once
		"*/15 * * * *": ["tolink.helpline.follow_up.remind_due_callbacks"],
	},
	"hourly": [
		"tolink.care_path.escalation.escalate_overdue_referrals",
		"tolink.helpline.follow_up.escalate_overdue_callbacks",
		"tolink.care_path.webhooks.send_deadline_near",
	],
	"daily": [
		"tolink.registry.doctype.household.household.refresh_isee_expired",
		"tolink.setup.install.ensure_naming_series",
		"tolink.distribution.alerts.notify_hub_managers",
		"tolink.distribution.enrolment.record_missed_collections",
		"tolink.vouchers.doctype.voucher.voucher.expire_vouchers",
		"tolink.vouchers.escalation.escalate_waiting_applications",
		"tolink.helpline.doctype.check_in_schedule.check_in_schedule.refresh_statuses",
		"tolink.care_path.doctype.welfare_plan.welfare_plan.send_review_reminders",
		"tolink.pathways.alerts.alert_evictions",
		"tolink.pathways.alerts.remind_work_measures",
		# a participation's follow-up six months after leaving: its case manager is reminded once
		"tolink.monitoring.follow_up.remind_follow_ups",
		"tolink.privacy.access_log.purge_old_access_logs",
		"tolink.privacy.anonymise.apply_retention",
		"tolink.privacy.anonymise.apply_record_retention",
		"tolink.network.webhooks.purge_old_deliveries",
	],
}
