"""The care path's Frappe Workflows, created on install and migrate only when missing.

Network Administrators change them in Desk (Workflow list) without code: Frappe lets only System
Managers edit workflows, so migrate grants them that (grant_workflow_editing). An upgrade never
overwrites their edits: a document type that has a workflow, ours or one an administrator built
instead, is left as it is. Whatever the workflow allows, the documents' own rules still hold
(tolink.care_path.doctype.referral.referral).
"""

import frappe
from frappe import _lt

STATE_STYLES = {
	"Sent": "Primary",
	"Accepted": "Info",
	"Declined": "Danger",
	"In Progress": "Warning",
	"Completed": "Success",
	"Not Completed": "Inverse",
	"Cancelled": "Inverse",
	"Draft": "",
	"Active": "Success",
	"Under Review": "Warning",
	"Closed": "Inverse",
}


def receiver_transitions(role: str) -> list[tuple]:
	"""The receiving organisation's answers to a referral, for one more role."""
	return [
		("Sent", "Accept", "Accepted", role),
		("Sent", "Decline", "Declined", role),
		("Accepted", "Start", "In Progress", role),
		("Accepted", "Complete", "Completed", role),
		("Accepted", "Mark Not Completed", "Not Completed", role),
		("In Progress", "Complete", "Completed", role),
		("In Progress", "Mark Not Completed", "Not Completed", role),
	]


WORKFLOWS = {
	"Referral": {
		"document_type": "Referral",
		"states": [
			("Sent", "Case Manager"),
			("Sent", "Reception Operator"),
			("Sent", "Provider Staff"),
			("Accepted", "Provider Staff"),
			("In Progress", "Provider Staff"),
			# a food bank's hub answers the referrals to the services its hubs run
			("Accepted", "Hub Manager"),
			("In Progress", "Hub Manager"),
			("Declined", "Network Administrator"),
			("Completed", "Network Administrator"),
			("Not Completed", "Network Administrator"),
			("Cancelled", "Network Administrator"),
		],
		"transitions": [
			("Sent", "Accept", "Accepted", "Provider Staff"),
			("Sent", "Decline", "Declined", "Provider Staff"),
			("Sent", "Cancel", "Cancelled", "Case Manager"),
			("Sent", "Cancel", "Cancelled", "Reception Operator"),
			("Accepted", "Start", "In Progress", "Provider Staff"),
			("Accepted", "Complete", "Completed", "Provider Staff"),
			("Accepted", "Mark Not Completed", "Not Completed", "Provider Staff"),
			("Accepted", "Cancel", "Cancelled", "Case Manager"),
			("In Progress", "Complete", "Completed", "Provider Staff"),
			("In Progress", "Mark Not Completed", "Not Completed", "Provider Staff"),
			("In Progress", "Cancel", "Cancelled", "Case Manager"),
			*receiver_transitions("Hub Manager"),
		],
	},
	"Welfare Plan": {
		"document_type": "Welfare Plan",
		"states": [
			("Draft", "Case Manager"),
			("Active", "Case Manager"),
			("Under Review", "Case Manager"),
			("Closed", "Network Administrator"),
		],
		"transitions": [
			("Draft", "Activate", "Active", "Case Manager"),
			("Active", "Start Review", "Under Review", "Case Manager"),
			("Under Review", "Confirm", "Active", "Case Manager"),
			("Active", "Close", "Closed", "Case Manager"),
			("Under Review", "Close", "Closed", "Case Manager"),
		],
	},
}


def create_workflows() -> None:
	for state, style in STATE_STYLES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	actions = {t[1] for spec in WORKFLOWS.values() for t in spec["transitions"]}
	for action in sorted(actions):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	for name, spec in WORKFLOWS.items():
		if not frappe.db.exists("DocType", spec["document_type"]):
			continue
		if frappe.db.exists("Workflow", {"document_type": spec["document_type"]}):
			continue  # ours, edited or not, or one an administrator built instead: kept as it is
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": spec["document_type"],
				"workflow_state_field": "status",
				"is_active": 1,
				"send_email_alert": 0,
				"override_status": 1,
				"states": [
					{"state": state, "doc_status": "0", "allow_edit": role} for state, role in spec["states"]
				],
				"transitions": [
					{"state": s, "action": a, "next_state": n, "allowed": role, "allow_self_approval": 1}
					for s, a, n, role in spec["transitions"]
				],
			}
		).insert(ignore_permissions=True)


# What a Network Administrator needs to change the workflows in Desk: the workflows, their states
# and actions, and picking the role a transition is allowed to (the name of a role only).
WORKFLOW_EDITOR = "Network Administrator"
WORKFLOW_EDITING_RIGHTS = {
	"Workflow": ("read", "write", "create"),
	"Workflow State": ("read", "write", "create"),
	"Workflow Action Master": ("read", "write", "create"),
	"Role": ("select",),
}


def grant_workflow_editing() -> None:
	"""Custom DocPerm rules, as Role Permissions Manager writes them, put back on every migrate.
	Frappe reads a doctype's Custom DocPerm rules instead of its standard ones, so the standard
	rules are copied first (setup_custom_perms) and System Managers keep theirs."""
	from frappe.permissions import setup_custom_perms

	for doctype, rights in WORKFLOW_EDITING_RIGHTS.items():
		changed = bool(setup_custom_perms(doctype))
		rule = {"parent": doctype, "role": WORKFLOW_EDITOR, "permlevel": 0, "if_owner": 0}
		name = frappe.db.get_value("Custom DocPerm", rule)
		if not name:
			frappe.get_doc(
				{
					"doctype": "Custom DocPerm",
					"parenttype": "DocType",
					"parentfield": "permissions",
					**rule,
					"read": 0,  # Custom DocPerm reads by default
					**dict.fromkeys(rights, 1),
				}
			).insert(ignore_permissions=True)
			changed = True
		else:
			values = frappe.db.get_value("Custom DocPerm", name, list(rights), as_dict=True)
			missing = [r for r in rights if not values[r]]
			if missing:
				frappe.db.set_value("Custom DocPerm", name, dict.fromkeys(missing, 1))
				changed = True
		if changed:
			frappe.clear_cache(doctype=doctype)


# Workflow actions and states as Desk shows them, for the translation catalogue.
WORKFLOW_WORDS = (
	_lt("Accept"),
	_lt("Decline"),
	_lt("Start"),
	_lt("Complete"),
	_lt("Mark Not Completed"),
	_lt("Cancel"),
	_lt("Activate"),
	_lt("Start Review"),
	_lt("Confirm"),
	_lt("Close"),
)


def add_role_to_shipped_workflow(doctype: str, role: str) -> bool:
	"""An upgrade that gives one more role the transitions of the workflow as shipped: added to the
	workflow already on the site only when it is still ours (the shipped name) and has no rule for
	the role yet, so an administrator's own workflow, or a role they removed, is left alone. Rows
	are appended: nothing of the administrator's edits changes."""
	spec = WORKFLOWS[doctype]
	name = frappe.db.get_value("Workflow", {"document_type": doctype, "workflow_name": doctype})
	if not name:
		return False
	workflow = frappe.get_doc("Workflow", name)
	if any(t.allowed == role for t in workflow.transitions):
		return False
	for state, action, next_state, allowed in spec["transitions"]:
		if allowed == role:
			workflow.append(
				"transitions",
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"allow_self_approval": 1,
				},
			)
	for state, allowed in spec["states"]:
		if allowed == role and not any(s.state == state and s.allow_edit == role for s in workflow.states):
			workflow.append("states", {"state": state, "doc_status": "0", "allow_edit": role})
	workflow.save(ignore_permissions=True)
	return True
