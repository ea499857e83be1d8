"""Access-request exports used to be stored as private files attached to the citizen, where every
colleague who could read the citizen could download them (restricted notes included). Exports are
no longer stored: the old copies are deleted, from disk too."""

import frappe


def execute():
	for name in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Citizen", "file_name": ("like", "accesso-dati-%.json")},
		pluck="name",
	):
		frappe.delete_doc("File", name, ignore_permissions=True, force=True, delete_permanently=True)
