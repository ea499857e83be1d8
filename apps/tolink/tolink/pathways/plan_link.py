"""The steps of a pathway shown among the actions of the person's welfare plan: a measure or an
application linked to a plan adds one action (its due date the measure's end), marked done when
it ends. The care path sits beside this module: the plan is reached by its doctype, not imported,
and only when whoever saves the step may change the plan (as the care path's own referral actions)."""

import frappe


def sync_plan_action(plan: str | None, step_name: str, text: str, due_date=None, done: bool = False) -> None:
	if not plan or not frappe.db.exists("Welfare Plan", plan):
		return
	doc = frappe.get_doc("Welfare Plan", plan)
	if doc.status == "Closed" or not frappe.has_permission("Welfare Plan", "write", doc=doc):
		return
	action = next((a for a in doc.actions if step_name in (a.action or "")), None)
	if action is None:
		doc.append(
			"actions", {"action": text, "action_type": "Other", "due_date": due_date, "done": int(done)}
		)
	elif int(action.done) == int(done) and str(action.due_date or "") == str(due_date or ""):
		return
	else:
		action.due_date, action.done = due_date, int(done)
	doc.save()


def check_plan_of(doc, plan_field: str = "welfare_plan") -> None:
	"""The plan a step names is the plan of the same person (or household)."""
	plan = doc.get(plan_field)
	if not plan:
		return
	row = frappe.db.get_value("Welfare Plan", plan, ["citizen", "household"], as_dict=True)
	same = row and (
		(doc.get("citizen") and row.citizen == doc.citizen)
		or (doc.get("household") and row.household == doc.household)
		or (
			doc.get("household")
			and row.citizen
			and frappe.db.get_value("Citizen", row.citizen, "household") == doc.household
		)
	)
	if not same:
		frappe.throw(frappe._("The welfare plan {0} is not this person's plan.").format(plan))
