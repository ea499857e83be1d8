"""Citizens registered before the birth place was derived from the codice fiscale get it."""

import frappe

from tolink.registry import codice_fiscale


def execute():
	citizen = frappe.qb.DocType("Citizen")
	rows = (
		frappe.qb.from_(citizen)
		.select(citizen.name, citizen.codice_fiscale, citizen.birth_place)
		.where(citizen.codice_fiscale.isnotnull() & (citizen.codice_fiscale != ""))
		.run(as_dict=True)
	)
	for row in rows:
		try:
			place = codice_fiscale.decode(row.codice_fiscale)["birth_place"]
		except ValueError:
			continue  # refused at the record's next save, with the reason
		if place != row.birth_place:
			frappe.db.set_value("Citizen", row.name, "birth_place", place, update_modified=False)
