"""Histories kept as periods: a labour status or a housing tenure is a field of the record and a
child table `history` of periods (value, from_date, to_date). Changing the field closes the open
period the day before the new one starts and opens a new one; the periods never overlap, only the
last one is open, and it is the current value."""

from itertools import pairwise

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, getdate, today


def record_change(doc, field: str, since_field: str, what: str) -> None:
	"""The current value (`field`, since `since_field`) as the last, open period of `doc.history`."""
	value, since = doc.get(field), getdate(doc.get(since_field))
	rows = sorted(doc.history, key=lambda r: getdate(r.from_date))
	last = rows[-1] if rows else None
	if last is None or last.to_date:
		doc.append("history", {field: value, "from_date": since})
		return
	if last.get(field) == value:
		# the same value: a correction of the day it started
		last.from_date = since
		return
	if since <= getdate(last.from_date):
		frappe.throw(
			_("The new {0} must start after the current one, which started on {1}.").format(
				what, formatdate(last.from_date, "dd/MM/yyyy")
			),
			title=_("Inconsistent history"),
		)
	last.to_date = add_days(since, -1)
	doc.append("history", {field: value, "from_date": since})


def check_periods(doc, field: str, label: str) -> None:
	"""Periods in order, none in the future, none overlapping, the open one last and current."""
	now = getdate(today())
	for row in doc.history:
		if not row.from_date:
			frappe.throw(_("{0}, row {1}: the start date is missing.").format(label, row.idx))
		if getdate(row.from_date) > now:
			frappe.throw(_("{0}, row {1}: the start date is in the future.").format(label, row.idx))
		if row.to_date and getdate(row.to_date) < getdate(row.from_date):
			frappe.throw(_("{0}, row {1}: the end date is before the start date.").format(label, row.idx))
	rows = sorted(doc.history, key=lambda r: getdate(r.from_date))
	for before, after in pairwise(rows):
		if not before.to_date or getdate(before.to_date) >= getdate(after.from_date):
			frappe.throw(
				_("{0}: the period from {1} overlaps the one from {2}.").format(
					label,
					formatdate(before.from_date, "dd/MM/yyyy"),
					formatdate(after.from_date, "dd/MM/yyyy"),
				),
				title=_("Inconsistent history"),
			)
	if rows and (rows[-1].to_date or rows[-1].get(field) != doc.get(field)):
		frappe.throw(
			_("{0}: the last period must be the current one, still open.").format(label),
			title=_("Inconsistent history"),
		)
	for idx, row in enumerate(rows, start=1):
		row.idx = idx
	doc.history = rows
