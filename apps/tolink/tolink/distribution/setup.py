"""Reference data of the hubs, created when missing (administrators may edit it)."""

import frappe
from frappe import _lt

DIETARY_TAGS = ("Gluten-free", "Halal", "Vegetarian", "Infant", "Lactose-free")
# name, unit, category, perishable, tags
AID_ITEMS = (
	("Pasta", "kg", "Food", 0, ()),
	("Rice", "kg", "Food", 0, ("Gluten-free",)),
	("Olive oil", "l", "Food", 0, ()),
	("UHT milk", "l", "Food", 1, ()),
	("Canned tomatoes", "pcs", "Food", 0, ()),
	("Canned tuna", "pcs", "Food", 0, ()),
	("Legumes", "pcs", "Food", 0, ("Vegetarian", "Halal")),
	("Biscuits", "pack", "Food", 0, ()),
	("Baby food", "pcs", "Infant", 1, ("Infant",)),
	("Infant formula", "pcs", "Infant", 1, ("Infant",)),
	("Hygiene kit", "pack", "Hygiene", 0, ()),
	("Diapers", "pack", "Infant", 0, ("Infant",)),
)


def seed_distribution_master_data() -> None:
	for tag in DIETARY_TAGS:
		if not frappe.db.exists("Dietary Tag", tag):
			frappe.get_doc({"doctype": "Dietary Tag", "tag_name": tag}).insert(ignore_permissions=True)
	for name, unit, category, perishable, tags in AID_ITEMS:
		if not frappe.db.exists("Aid Item", name):
			frappe.get_doc(
				{
					"doctype": "Aid Item",
					"item_name": name,
					"unit": unit,
					"category": category,
					"is_perishable": perishable,
					"dietary_tags": [{"dietary_tag": t} for t in tags],
				}
			).insert(ignore_permissions=True)


# for the translation catalogue: Desk shows these names translated
SEEDED_NAMES = (
	_lt("Gluten-free"),
	_lt("Halal"),
	_lt("Vegetarian"),
	_lt("Infant"),
	_lt("Lactose-free"),
	_lt("Pasta"),
	_lt("Rice"),
	_lt("Olive oil"),
	_lt("UHT milk"),
	_lt("Canned tomatoes"),
	_lt("Canned tuna"),
	_lt("Legumes"),
	_lt("Biscuits"),
	_lt("Baby food"),
	_lt("Infant formula"),
	_lt("Hygiene kit"),
	_lt("Diapers"),
)

# texts of the print formats (Jinja in JSON is not scanned for translations)
PRINT_TEXTS = (
	_lt("Distribution Round"),
	_lt("Signature"),
	_lt("Household card"),
	_lt("Show this card at the hub counter."),
	_lt("Size"),
	_lt("Slot"),
)
