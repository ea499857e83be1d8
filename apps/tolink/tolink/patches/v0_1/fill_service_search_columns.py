"""Services saved before district_list/open_days existed get them filled (matching reads them)."""

import frappe


def execute():
	service = frappe.qb.DocType("Service")
	names = frappe.qb.from_(service).select(service.name).where(service.open_days.isnull()).run(pluck=True)
	for name in names:
		doc = frappe.get_doc("Service", name)
		doc.set_search_columns()
		doc.db_set({"district_list": doc.district_list, "open_days": doc.open_days}, update_modified=False)
