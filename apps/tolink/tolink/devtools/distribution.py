"""Distribution data for tests and benchmarks: a hub, stock received and moved."""

import frappe
from frappe.utils import add_days, today

from tolink.devtools.cleanup import record
from tolink.devtools.factories import make_provider, uid


def make_hub(provider: str | None = None, district: str = "6", **kw):
	provider = provider or make_provider(provider_type="Food Bank")
	doc = frappe.get_doc(
		{
			"doctype": "Distribution Hub",
			"hub_name": kw.pop("hub_name", f"Snodo {uid()}"),
			"provider": provider,
			"district": district,
			**kw,
		}
	).insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def receive(hub: str, item: str, qty: float, lot=None, expiry_days=None):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Movement",
			"movement_type": "Receipt",
			"hub": hub,
			"source": "Food bank",
			"items": [
				{
					"aid_item": item,
					"qty": qty,
					"lot": lot,
					"expiry_date": add_days(today(), expiry_days) if expiry_days is not None else None,
				}
			],
		}
	)
	doc.submit()
	record(doc.doctype, doc.name)
	return doc


def move(hub: str, movement_type: str, item: str, qty: float, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Movement",
			"movement_type": movement_type,
			"hub": hub,
			"items": [{"aid_item": item, "qty": qty}],
			**kw,
		}
	)
	doc.insert()
	doc.submit()
	record(doc.doctype, doc.name)
	return doc
