"""Voucher data for tests and benchmarks: a programme, an eligible household with consent, a participating shop."""

import frappe
from frappe.utils import add_days, today

from tolink.devtools.cleanup import record
from tolink.devtools.factories import make_citizen, make_consent, make_household, make_provider, uid


def make_programme(provider: str, merchants=(), budget: float = 1000, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Voucher Programme",
			"programme_name": kw.pop("programme_name", f"Buoni {uid()}"),
			"funding_source": "OCDPC 658/2020",
			"provider": provider,
			"budget": budget,
			"valid_from": add_days(today(), -1),
			"valid_to": add_days(today(), 60),
			"validity_days": kw.pop("validity_days", 30),
			"amount_rules": [{"household_size": 1, "amount": 100}, {"household_size": 3, "amount": 150}],
			"merchants": [{"merchant": m} for m in merchants],
			**kw,
		}
	).insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_eligible_household(provider: str, size: int = 1, isee: float = 3000, consent: bool = True):
	members = [make_citizen(provider) for _ in range(size)]
	household = make_household(provider, members, isee=isee)
	if consent:
		make_consent(members[0].name, provider, purpose="Vouchers")
	return household, members[0]


def issue(programme: str, household: str, provider: str):
	doc = frappe.get_doc(
		{"doctype": "Voucher", "programme": programme, "household": household, "provider": provider}
	).insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_shop(name: str | None = None) -> str:
	return make_provider(name or f"Negozio {uid()}", provider_type="Shop")
