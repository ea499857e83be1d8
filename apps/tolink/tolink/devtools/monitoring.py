"""Funding programmes and participations for tests, the demo and the benchmarks."""

import frappe
from frappe.utils import add_years, get_first_day, today

from tolink.devtools.cleanup import record
from tolink.devtools.factories import uid


def make_funding_programme(**kw):
	"""A programme running from last year to next year (as Administrator: its records are the
	Network Administrators')."""
	doc = frappe.get_doc(
		{
			"doctype": "Funding Programme",
			"programme_code": kw.pop("programme_code", f"FSE-{uid()}"),
			"programme_name": kw.pop("programme_name", "PR FSE+ Piemonte 2021-2027"),
			"fund": kw.pop("fund", "ESF+"),
			"priority_code": kw.pop("priority_code", "ESO4.8"),
			"from_date": kw.pop("from_date", get_first_day(add_years(today(), -1))),
			"to_date": kw.pop("to_date", add_years(today(), 1)),
			"managing_body": kw.pop("managing_body", "Regione Piemonte"),
			**kw,
		}
	).insert(ignore_permissions=True)
	record(doc.doctype, doc.name)
	return doc


def make_participation(citizen: str, programme: str, **kw):
	"""As the session's user (the organisation holding the citizen)."""
	return frappe.get_doc(
		{
			"doctype": "Participation",
			"citizen": citizen,
			"funding_programme": programme,
			"entry_date": kw.pop("entry_date", today()),
			**kw,
		}
	).insert()
