"""Reference data of the network directory, created when missing (administrators may edit it)."""

import frappe
from frappe import _lt

DISTRICTS = {
	"1": "Circoscrizione 1 – Centro, Crocetta",
	"2": "Circoscrizione 2 – Santa Rita, Mirafiori Nord, Mirafiori Sud",
	"3": "Circoscrizione 3 – San Paolo, Cenisia, Pozzo Strada, Cit Turin, Borgata Lesna",
	"4": "Circoscrizione 4 – San Donato, Campidoglio, Parella",
	"5": "Circoscrizione 5 – Borgo Vittoria, Madonna di Campagna, Lucento, Vallette",
	"6": "Circoscrizione 6 – Barriera di Milano, Regio Parco, Barca, Bertolla, Falchera, Rebaudengo, Villaretto",
	"7": "Circoscrizione 7 – Aurora, Vanchiglia, Sassi, Madonna del Pilone",
	"8": "Circoscrizione 8 – San Salvario, Cavoretto, Borgo Po, Nizza Millefonti, Lingotto, Filadelfia",
}

ROOT = "All Needs"
NEED_TREE = {
	"Food": ["Food parcels", "Shopping vouchers", "Canteens"],
	"Housing": ["Emergency accommodation", "Rent support", "Utility bills"],
	"Work": ["Job search", "Training"],
	"Income": ["Income support"],
	"Health": ["Health services"],
	"Psychological support": [],
	"Legal advice": [],
	"Family and children": [],
	"Education": [],
	"Digital inclusion": [],
}


def seed_network_master_data() -> None:
	for number, name in DISTRICTS.items():
		if not frappe.db.exists("District", number):
			frappe.get_doc({"doctype": "District", "district_number": number, "district_name": name}).insert(
				ignore_permissions=True
			)
	add_need(ROOT, None, is_group=True)
	for group, leaves in NEED_TREE.items():
		add_need(group, ROOT, is_group=bool(leaves))
		for leaf in leaves:
			add_need(leaf, group, is_group=False)


def add_need(name: str, parent: str | None, is_group: bool) -> None:
	if frappe.db.exists("Need Category", name):
		return
	frappe.get_doc(
		{
			"doctype": "Need Category",
			"need_category_name": name,
			"parent_need_category": parent,
			"is_group": int(is_group),
		}
	).insert(ignore_permissions=True)


# The seeded names, for the translation catalogue: Desk shows need categories translated.
SEEDED_NAMES = (
	_lt("All Needs"),
	_lt("Food"),
	_lt("Food parcels"),
	_lt("Shopping vouchers"),
	_lt("Canteens"),
	_lt("Housing"),
	_lt("Emergency accommodation"),
	_lt("Rent support"),
	_lt("Utility bills"),
	_lt("Work"),
	_lt("Job search"),
	_lt("Training"),
	_lt("Income"),
	_lt("Income support"),
	_lt("Health"),
	_lt("Health services"),
	_lt("Psychological support"),
	_lt("Legal advice"),
	_lt("Family and children"),
	_lt("Education"),
	_lt("Digital inclusion"),
)
