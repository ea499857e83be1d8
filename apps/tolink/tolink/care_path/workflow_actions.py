"""Frappe's Workflow Action inbox for the care path's documents, kept up to date cheaply.

On every save of a document with a workflow, Frappe's own hook (`process_workflow_actions`)
completes the action the user just took and opens one for the roles that act next. It reads the
workflow's transitions and states row by row, uncached, about fifteen queries: half the time of a
provider's answer to a referral. Referral and Welfare Plan call `update_workflow_actions` from
their `on_update`, which runs before Frappe's hook: the same work from the cached workflow (an
administrator's edit to the workflow clears that cache), with Frappe's own helpers, in four
queries. Frappe's hook then finds the action for the new state already there, which is its
documented way out, and does nothing more.
"""

import frappe
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied
from frappe.query_builder import DocType
from frappe.utils.background_jobs import enqueue
from frappe.workflow.doctype.workflow_action import workflow_action as frappe_workflow_action

from tolink.network.notifications import bulk_queue


def update_workflow_actions(doc) -> None:
	workflow_name = get_workflow_name(doc.doctype)
	if not workflow_name:
		return
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	state = doc.get(workflow.workflow_state_field)
	before = doc.get_doc_before_save()
	if before and before.get(workflow.workflow_state_field) == state:
		return  # saved without moving: the actions of this state are there already

	complete_open_action(doc, workflow, state)
	clear_doctype_notifications("Workflow Action")

	optional = {s.state for s in workflow.states if s.is_optional_state}
	transitions = [
		frappe._dict(t.as_dict())
		for t in workflow.transitions
		if t.state == state and t.next_state not in optional and is_transition_condition_satisfied(t, doc)
	]
	if not transitions:
		return
	create_open_action(doc, state, {t.allowed for t in transitions})
	if workflow.send_email_alert:
		enqueue(
			frappe_workflow_action.send_workflow_action_email,
			queue=bulk_queue(),
			doc=doc,
			transitions=transitions,
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)


def create_open_action(doc, state: str, roles: set[str]) -> None:
	"""The rows Frappe's create_workflow_actions_for_roles inserts (a Workflow Action has no logic
	of its own: no controller methods, no links to check, no version history), written directly.
	Every value comes from the workflow and the saved document."""
	now, user = frappe.utils.now_datetime(), frappe.session.user
	name = frappe.generate_hash(length=10)
	common = {"owner": user, "creation": now, "modified": now, "modified_by": user, "docstatus": 0}
	frappe.db.bulk_insert(
		"Workflow Action",
		[*common, "name", "idx", "status", "reference_doctype", "reference_name", "workflow_state"],
		[(*common.values(), name, 0, "Open", doc.doctype, doc.name, state)],
	)
	frappe.db.bulk_insert(
		"Workflow Action Permitted Role",
		[*common, "name", "idx", "role", "parent", "parenttype", "parentfield"],
		[
			(
				*common.values(),
				frappe.generate_hash(length=10),
				idx,
				role,
				name,
				"Workflow Action",
				"permitted_roles",
			)
			for idx, role in enumerate(sorted(roles), start=1)
		],
	)


def complete_open_action(doc, workflow, state: str) -> None:
	"""The open action this user's roles could take to reach `state` is marked completed by them."""
	user = frappe.session.user
	roles = {t.allowed for t in workflow.transitions if t.next_state == state} & set(frappe.get_roles(user))
	if not roles:
		return
	action, permitted = DocType("Workflow Action"), DocType("Workflow Action Permitted Role")
	row = (
		frappe.qb.from_(action)
		.join(permitted)
		.on(action.name == permitted.parent)
		.select(action.name, permitted.role)
		.where(
			(action.reference_name == doc.name)
			& (action.reference_doctype == doc.doctype)
			& (action.status == "Open")
			& permitted.role.isin(sorted(roles))
		)
		.orderby(permitted.role)
		.limit(1)
		.run(as_dict=True)
	)
	if row:
		frappe_workflow_action.update_completed_workflow_actions_using_role(user, row)
