"""The whitelisted methods a To Link user may call, and why (tolink.permissions.gate).

Frappe whitelists hundreds of methods; a user without System Manager may call only those listed
here, by the name the client sends (before `override_whitelisted_methods`), and only with one of
the roles named. Everything else answers 403, the same way whether the method exists or not.

The app's own methods are not listed here: each is declared once, where it lives, with
`@endpoint(audience, roles, reason)` (tolink.api, one module per audience), and methods() adds them
to Frappe's methods below. Adding a Frappe method: a line in FRAPPE_METHODS (method path -> roles,
one-line reason) and a test of what it answers to the roles that should not have it. A site may
add methods without a release through its site_config:
`"tolink_allowed_methods": {"my_app.api.method": ["Case Manager"]}`
(`bench --site SITE set-config -p tolink_allowed_methods '{...}'`).

Controller methods (Desk's `frm.call`, `run_doc_method`, `/api/resource/<doctype>/<name>` with
`run_method`, `/api/v2/document/.../method/<method>`) are listed apart, by doctype and method.
"""

import functools

import frappe

from tolink.security.users import ROLES

# the app's endpoints: tolink.api.endpoints() (the layer above; see methods())
ENDPOINT_REGISTRY = "tolink.api.endpoints"

# anyone, logged in or not
EVERYONE = frozenset({"Guest", *ROLES})
# every To Link role: all of them work in Desk (the merchant reads its reconciliation there)
DESK = frozenset(ROLES)
ADMIN = frozenset({"Network Administrator"})
RECEPTION = frozenset({"Reception Operator", "Case Manager", "Provider Staff", "Network Administrator"})
CARE = frozenset({"Reception Operator", "Case Manager", "Provider Staff", "Network Administrator"})
HUB = frozenset({"Hub Manager", "Hub Volunteer", "Network Administrator"})
MERCHANT = frozenset({"Merchant", "Network Administrator"})

# Frappe's methods: method -> (roles, reason)
FRAPPE_METHODS: dict[str, tuple[frozenset, str]] = {
	# --- session
	"login": (EVERYONE, "log in (password, then the two-factor code)"),
	"logout": (EVERYONE, "log out"),
	"ping": (EVERYONE, "liveness probe of load balancers and monitors"),
	"frappe.auth.get_logged_user": (EVERYONE, "who am I, for API clients"),
	"frappe.core.doctype.user.user.reset_password": (EVERYONE, "forgotten password: the reset mail"),
	"frappe.core.doctype.user.user.update_password": (EVERYONE, "set a new password from the reset link"),
	"frappe.core.doctype.user.user.test_password_strength": (EVERYONE, "password strength meter"),
	# --- Desk shell
	"frappe.realtime.get_user_info": (DESK, "socket.io asks who the session's user is"),
	"frappe.realtime.can_subscribe_doc": (DESK, "socket.io: live updates of a form the user may read"),
	"frappe.realtime.can_subscribe_doctype": (DESK, "socket.io: live updates of a list the user may read"),
	"frappe.desk.desktop.get_workspace_sidebar_items": (DESK, "the workspace sidebar"),
	"frappe.desk.desktop.get_desktop_page": (DESK, "a workspace's content"),
	"frappe.desk.doctype.route_history.route_history.deferred_insert": (DESK, "recent pages"),
	"frappe.model.utils.user_settings.save": (DESK, "the user's list and form settings"),
	"frappe.model.utils.user_settings.get": (DESK, "the user's list and form settings"),
	"frappe.utils.change_log.show_update_popup": (DESK, "Desk asks once per session on load"),
	"frappe.core.doctype.user.user.switch_theme": (DESK, "light or dark theme"),
	"frappe.apps.get_apps": (DESK, "the apps switcher"),
	"frappe.desk.doctype.notification_log.notification_log.get_notification_logs": (
		DESK,
		"the notifications bell",
	),
	"frappe.desk.doctype.notification_log.notification_log.mark_as_read": (DESK, "notifications bell"),
	"frappe.desk.doctype.notification_log.notification_log.mark_all_as_read": (DESK, "notifications bell"),
	"frappe.desk.doctype.notification_log.notification_log.trigger_indicator_hide": (DESK, "bell"),
	"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value": (DESK, "bell"),
	"frappe.desk.form.load.get_user_info_for_viewers": (DESK, "who else is viewing a form"),
	"frappe.desk.doctype.event.event.get_events": (DESK, "Desk's event reminders, on every page load"),
	"frappe.core.api.file.get_max_file_size": (DESK, "the attach dialog's size limit"),
	"upload_file": (DESK, "attach a file to a record the user may write"),
	"frappe.handler.upload_file": (DESK, "attach a file to a record the user may write"),
	# --- forms
	"frappe.desk.form.load.getdoctype": (DESK, "a form's or list's doctype definition"),
	"frappe.desk.form.load.getdoc": (DESK, "open a form"),
	"frappe.desk.form.load.get_docinfo": (DESK, "a form's timeline, attachments, assignments"),
	"frappe.desk.form.save.savedocs": (DESK, "save or submit a form"),
	"frappe.desk.form.save.cancel": (DESK, "cancel a submitted form"),
	"frappe.desk.form.utils.add_comment": (DESK, "comment on a record"),
	"frappe.desk.form.utils.update_comment": (DESK, "edit one's comment"),
	"frappe.desk.form.utils.remove_attach": (DESK, "remove an attachment"),
	"frappe.desk.form.utils.get_next": (DESK, "previous / next record in a form"),
	"frappe.desk.form.assign_to.add": (DESK, "assign a record"),
	"frappe.desk.form.assign_to.remove": (DESK, "remove an assignment"),
	"frappe.desk.form.assign_to.close": (DESK, "close an assignment"),
	"frappe.desk.form.linked_with.get": (DESK, "a form's Links panel (row rules applied by our override)"),
	"frappe.desk.form.linked_with.get_submitted_linked_docs": (DESK, "cancel dialog (overridden)"),
	"frappe.desk.notifications.get_open_count": (DESK, "a form's Connections dashboard counts"),
	"frappe.desk.link_preview.get_preview_data": (DESK, "hover preview of a link"),
	"frappe.model.workflow.get_transitions": (DESK, "the workflow actions of a referral or plan"),
	"frappe.model.workflow.apply_workflow": (DESK, "apply a workflow action"),
	"frappe.model.workflow.can_cancel_document": (DESK, "workflow: may this document be cancelled"),
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": (
		ADMIN,
		"the workflow editor: how many documents are in a state about to be removed",
	),
	"frappe.model.mapper.make_mapped_doc": (DESK, "make a record from another (the inner method is checked)"),
	"run_doc_method": (DESK, "a controller method of a form (checked in DOC_METHODS)"),
	"frappe.client.validate_link": (DESK, "check a link field's value (overridden: row rules)"),
	"frappe.client.get_value": (DESK, "fetch a field of a readable record"),
	"frappe.client.get": (DESK, "a readable record, for API clients and scripts"),
	"frappe.client.get_list": (DESK, "a list of readable records"),
	"frappe.client.get_count": (DESK, "a count of readable records (overridden: row rules)"),
	"frappe.client.get_single_value": (DESK, "a setting of a single doctype the user may read"),
	"frappe.client.set_value": (DESK, "change a field (server-owned fields refused by the gate)"),
	"frappe.client.insert": (DESK, "insert a record"),
	"frappe.client.save": (DESK, "save a record"),
	"frappe.client.submit": (DESK, "submit a record"),
	"frappe.client.cancel": (DESK, "cancel a record"),
	"frappe.client.delete": (DESK, "delete a record"),
	"frappe.client.get_doc_permissions": (DESK, "what the user may do with a record"),
	"frappe.client.has_permission": (DESK, "may the user do this"),
	# --- lists, report view, search
	"frappe.desk.reportview.get": (DESK, "list and report view rows"),
	"frappe.desk.reportview.get_list": (DESK, "list rows"),
	"frappe.desk.reportview.get_count": (DESK, "list count"),
	"frappe.desk.reportview.get_sidebar_stats": (DESK, "list sidebar tags"),
	"frappe.desk.reportview.export_query": (DESK, "export a list the user may read"),
	"frappe.desk.reportview.delete_items": (DESK, "bulk delete from a list"),
	"frappe.desk.listview.get_list_settings": (DESK, "list settings"),
	"frappe.desk.listview.get_group_by_count": (DESK, "list sidebar counts (overridden: row rules)"),
	"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs": (DESK, "list bulk actions"),
	"frappe.desk.search.search_link": (DESK, "link field drop-downs"),
	"frappe.desk.search.search_widget": (DESK, "link field drop-downs"),
	"frappe.desk.search.get_link_title": (DESK, "title of a linked record (overridden: row rules)"),
	"frappe.desk.search.get_names_for_mentions": (DESK, "@mentions in comments"),
	"frappe.desk.treeview.get_children": (DESK, "tree view (Need Category)"),
	"frappe.desk.treeview.get_all_nodes": (DESK, "tree view (Need Category)"),
	"frappe.desk.treeview.add_node": (ADMIN, "add a need category in the tree"),
	# --- reports, prints, charts
	"frappe.desk.query_report.get_script": (DESK, "a query report's filters and script"),
	"frappe.desk.query_report.run": (DESK, "run a query report the user's roles may run"),
	"frappe.desk.query_report.export_query": (DESK, "export a query report"),
	"frappe.www.printview.get_html_and_style": (DESK, "print preview of a readable record"),
	"frappe.utils.print_format.download_pdf": (DESK, "PDF of a readable record"),
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": (DESK, "chart data (not of personal data)"),
	"frappe.desk.doctype.number_card.number_card.get_result": (DESK, "number card (not of personal data)"),
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": (DESK, "number card trend"),
	"frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config": (
		DESK,
		"a Custom chart's source: the script naming its method (no data)",
	),
	"frappe.desk.doctype.dashboard_settings.dashboard_settings.create_dashboard_settings": (
		DESK,
		"a chart's first view: the user's own chart settings (the gate holds `user` to the user)",
	),
	"frappe.desk.doctype.dashboard_settings.dashboard_settings.save_chart_config": (
		DESK,
		"a chart's filters, kept in the user's own chart settings",
	),
}


@functools.cache
def methods() -> dict[str, tuple[frozenset, str]]:
	"""Every method a To Link user may call: Frappe's above and the app's endpoints (tolink.api),
	by the path clients call -> (roles, reason). Built on first use, once per process, not when the
	gate imports this module: the audience modules import this one (its role groups) and the
	domain modules. The registry sits above this module (tolink.api uses the permissions, never
	the other way round), so it is named by its dotted path, as hooks.py names what it calls."""
	endpoints = frappe.get_attr(ENDPOINT_REGISTRY)
	ours = {path: (e.roles, e.reason) for path, e in endpoints().items()}
	clash = set(ours) & set(FRAPPE_METHODS)
	if clash:
		raise RuntimeError(f"listed twice (tolink.api and FRAPPE_METHODS): {sorted(clash)}")
	return {**FRAPPE_METHODS, **ours}


# doctype -> {controller method -> (roles, reason)}
DOC_METHODS: dict[str, dict[str, tuple[frozenset, str]]] = {
	"Consent": {"withdraw": (RECEPTION, "the person withdraws a consent")},
	"Voucher": {
		"cancel_voucher": (frozenset({"Case Manager", "Reception Operator", "Network Administrator"}), "")
	},
}

# methods that name another whitelisted method in an argument: that one must be allowed too
INNER_METHOD_ARGUMENTS = {
	"frappe.model.mapper.make_mapped_doc": "method",
	"frappe.desk.search.search_link": "query",
	"frappe.desk.search.search_widget": "query",
	"upload_file": "method",
	"frappe.handler.upload_file": "method",
}
