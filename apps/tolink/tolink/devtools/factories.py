"""Data factories shared by the tests and the benchmarks. Every name is unique, so tests that commit
(REST, browser, concurrency) never collide with each other or with earlier runs; while a recording is
open (devtools.cleanup) every record made here is noted, for the sweep that removes it."""

import random
from datetime import date

import frappe
from frappe.utils import add_days, today

from tolink.devtools.cleanup import record
from tolink.registry.codice_fiscale import generate

_rng = random.Random()


def uid(length: int = 6) -> str:
	return frappe.generate_hash(length=length)


def make_provider(name: str | None = None, provider_type: str = "Association", **kw) -> str:
	name = name or f"Test Org {uid()}"
	if not frappe.db.exists("Provider", name):
		frappe.get_doc(
			{"doctype": "Provider", "provider_name": name, "provider_type": provider_type, **kw}
		).insert(ignore_permissions=True)
		record("Provider", name)
	return name


# real Belfiore codes (a code naming a place that never existed is refused): Torino, Milano, Roma,
# Moncalieri, Romania, Marocco
BIRTH_PLACES = ("L219", "L219", "F205", "H501", "F335", "Z129", "Z330")


def random_cf(
	sex: str | None = None, birth: date | None = None, last: str | None = None, place: str | None = None
) -> str:
	sex = sex or _rng.choice("MF")
	birth = birth or date(_rng.randint(1940, 2004), _rng.randint(1, 12), _rng.randint(1, 28))
	last = last or _rng.choice(
		["Rossi", "Bianchi", "Verdi", "Esposito", "Romano", "Colombo", "Ricci"]
	) + _rng.choice(["", "ni", "lli", "tti"])
	first = _rng.choice(["Mario", "Giuseppe", "Luca"] if sex == "M" else ["Maria", "Anna", "Giulia"])
	return generate(
		last, first + _rng.choice(["", "na", "lo"]), birth, sex, place or _rng.choice(BIRTH_PLACES)
	)


def make_citizen(provider: str, **kw):
	values = {
		"doctype": "Citizen",
		"first_name": kw.pop("first_name", "Test"),
		"last_name": kw.pop("last_name", f"Person {uid(4)}"),
		"provider": provider,
		"district": kw.pop("district", "6"),
		"resident_in_turin": kw.pop("resident_in_turin", 1),
	}
	if not kw.get("has_no_codice_fiscale"):
		values["codice_fiscale"] = kw.pop("codice_fiscale", None) or random_cf(
			birth=kw.pop("birth", None), sex=kw.pop("sex", None)
		)
	values.update(kw)
	doc = frappe.get_doc(values)
	doc.insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_household(provider: str, members, isee: float | None = 5000, **kw):
	"""members: Citizen docs or names; the first is the head of household."""
	names = [m if isinstance(m, str) else m.name for m in members]
	doc = frappe.get_doc(
		{
			"doctype": "Household",
			"household_name": kw.pop("household_name", f"Nucleo {uid(4)}"),
			"head_of_household": names[0],
			"members": [
				{"citizen": n, "relation": "Head of household" if i == 0 else "Child", "is_active": 1}
				for i, n in enumerate(names)
			],
			"isee_value": isee or 0,
			"isee_valid_until": kw.pop("isee_valid_until", add_days(today(), 180))
			if isee is not None
			else None,
			"district": kw.pop("district", "6"),
			"provider": provider,
			**kw,
		}
	)
	doc.insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_consent(
	citizen: str, provider: str, purpose: str = "Sharing with partner", partner: str | None = None
):
	doc = frappe.get_doc(
		{
			"doctype": "Consent",
			"citizen": citizen,
			"purpose": purpose,
			"partner": partner,
			"given_on": today(),
			"channel": "In person",
			"provider": provider,
		}
	)
	doc.insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_need(parent: str = "Food", name: str | None = None) -> str:
	"""A need category of the test's own, so services other tests committed do not crowd matching."""
	doc = frappe.get_doc(
		{
			"doctype": "Need Category",
			"need_category_name": name or f"Test need {uid()}",
			"parent_need_category": parent,
		}
	).insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc.name


def make_service(provider: str, needs=("Food parcels",), districts=(), **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Service",
			"service_name": kw.pop("service_name", f"Test Service {uid()}"),
			"provider": provider,
			"status": kw.pop("status", "Active"),
			"need_categories": [{"need_category": n} for n in needs],
			"districts": [{"district": d} for d in districts],
			"response_deadline_days": kw.pop("response_deadline_days", 5),
			**kw,
		}
	)
	doc.insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc
