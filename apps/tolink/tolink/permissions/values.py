"""A field's value compared as Frappe stores it, whatever a client or a form sent: "0" is 0, "" is
None, "2026-12-01" is that date. The request gate uses it to tell a real change of a server-owned
field from a form sending back what it loaded; controllers use it for the fields only the app sets.
"""

from frappe.utils import cstr, flt, get_datetime, getdate

NUMERIC = frozenset(("Int", "Float", "Currency", "Percent", "Check", "Duration", "Rating"))


def empty(df, value) -> bool:
	if value in (None, "", [], {}):
		return True
	return bool(df and df.fieldtype in NUMERIC and is_number(value) and flt(value) == 0)


def is_number(value) -> bool:
	try:
		float(value)
	except (TypeError, ValueError):
		return False
	return True


def same(df, new, old) -> bool:
	if empty(df, new) and empty(df, old):
		return True
	fieldtype = df.fieldtype if df else None
	try:
		if fieldtype in NUMERIC:
			return is_number(new) and flt(new) == flt(old)
		if fieldtype == "Date":
			return getdate(new) == getdate(old)
		if fieldtype == "Datetime":
			return get_datetime(new) == get_datetime(old)
	except Exception:
		return False
	return cstr(new) == cstr(old)


def changed_since_save(doc, fieldname: str) -> bool:
	"""The field of a saved document was changed since it was loaded (False for a new document)."""
	before = doc.get_doc_before_save()
	if not before:
		return False
	return not same(doc.meta.get_field(fieldname), doc.get(fieldname), before.get(fieldname))
