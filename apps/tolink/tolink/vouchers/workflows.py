"""The voucher application's Frappe Workflow, created on install and migrate only when missing.

The same rules as the care path's workflows (tolink.care_path.workflows): Network Administrators
change it in Desk (migrate grants them Workflow; tolink.permissions.policy.WORKFLOW_DOCTYPES lets
them edit this doctype's), and an upgrade never overwrites their edits: a document type that has a
workflow, ours or one an administrator built instead, is left as it is. Whatever the workflow
allows, the application's own rules still hold (tolink.vouchers.doctype.voucher_application): only
an approver of the programme's organisation decides, never on their own proposal, a refusal needs a
reason, only the proposing organisation cancels, approval issues the voucher within the budget.
"""

import frappe
from frappe import _lt

DOCTYPE = "Voucher Application"
WORKFLOW_NAME = "Voucher Application"
APPROVERS = ("Voucher Approver", "Network Administrator")
PROPOSERS = ("Case Manager", "Reception Operator", "Network Administrator")

STATE_STYLES = {
	"Proposed": "Primary",
	"Approved": "Success",
	"Refused": "Danger",
	"Cancelled": "Inverse",
}

WORKFLOW = {
	"document_type": DOCTYPE,
	# (state, role that may edit in it)
	"states": [
		*(("Proposed", role) for role in (*PROPOSERS, "Voucher Approver")),
		("Approved", "Network Administrator"),
		("Refused", "Network Administrator"),
		("Cancelled", "Network Administrator"),
	],
	# (state, action, next state, role, self approval): the proposer never decides their own
	"transitions": [
		*(("Proposed", "Approve", "Approved", role, 0) for role in APPROVERS),
		*(("Proposed", "Refuse", "Refused", role, 0) for role in APPROVERS),
		*(("Proposed", "Cancel", "Cancelled", role, 1) for role in PROPOSERS),
	],
}


def create_workflow() -> None:
	if not frappe.db.exists("DocType", DOCTYPE):
		return
	for state, style in STATE_STYLES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in sorted({t[1] for t in WORKFLOW["transitions"]}):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", {"document_type": DOCTYPE}):
		return  # ours, edited or not, or one an administrator built instead: kept as it is
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": WORKFLOW_NAME,
			"document_type": DOCTYPE,
			"workflow_state_field": "status",
			"is_active": 1,
			"send_email_alert": 0,
			"override_status": 1,
			"states": [
				{"state": state, "doc_status": "0", "allow_edit": role} for state, role in WORKFLOW["states"]
			],
			"transitions": [
				{"state": s, "action": a, "next_state": n, "allowed": role, "allow_self_approval": own}
				for s, a, n, role, own in WORKFLOW["transitions"]
			],
		}
	).insert(ignore_permissions=True)


# Workflow actions and states as Desk shows them, for the translation catalogue.
WORKFLOW_WORDS = (_lt("Approve"), _lt("Refuse"), _lt("Proposed"), _lt("Approved"), _lt("Refused"))
