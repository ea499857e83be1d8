"""Frappe's own workspaces (Users, Website, Tools, Integrations, Build...) are for the site's System
Managers: To Link's staff see To Link's workspaces only.

Frappe shows a public workspace to everyone when its Roles table is empty; these get System Manager
in it. Migrations re-import Frappe's workspaces from their files, so this runs after every
migration; the rows are written directly (no save: in developer mode a save of a standard
workspace would export it into Frappe's own files)."""

import frappe

FOR_SYSTEM_MANAGERS = ("System Manager",)


def frappe_workspaces() -> list[str]:
	"""Public workspaces of modules that belong to Frappe itself."""
	modules = frappe.get_all("Module Def", filters={"app_name": "frappe"}, pluck="name")
	return frappe.get_all(
		"Workspace",
		filters={"public": 1, "module": ["in", modules], "for_user": ("is", "not set")},
		pluck="name",
	)


def keep_frappe_workspaces_for_system_managers() -> list[str]:
	"""Give Frappe's workspaces the System Manager role, if they have no roles of their own (a
	site's administrator who set roles on one keeps them). Returns the workspaces changed."""
	changed = []
	for name in frappe_workspaces():
		workspace = frappe.get_doc("Workspace", name)
		if workspace.roles:
			continue
		for role in FOR_SYSTEM_MANAGERS:
			workspace.append("roles", {"role": role})
		workspace.db_update_all()
		changed.append(name)
	if changed:
		frappe.clear_cache()
	return changed
