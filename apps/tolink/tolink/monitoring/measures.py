"""The outcome of a work measure feeds the participation results (doc_events on Work Measure in
hooks.py: the work pathway knows nothing of monitoring).

When a measure of a person ends, each open participation of the person held by the same
organisation that had started by the outcome date lists the outcome; a hire is recorded as the
result In Employment on Leaving, which the case manager still confirms or changes when recording
the exit."""

import frappe
from frappe import _
from frappe.utils import cstr, formatdate, getdate

from tolink.monitoring.doctype.participation.participation import NO_RESULT, OPEN
from tolink.pathways.doctype.work_measure.work_measure import ENDED, HIRED


def on_work_measure_update(doc, method=None) -> None:
	"""doc_events on_update of Work Measure."""
	if doc.status not in ENDED or not doc.has_value_changed("status") or not doc.outcome_date:
		return
	p = frappe.qb.DocType("Participation")
	rows = (
		frappe.qb.from_(p)
		.select(p.name, p.measure_outcomes)
		.where(
			(p.citizen == doc.citizen)
			& (p.provider == doc.provider)
			& p.status.isin(OPEN)
			& (p.entry_date <= getdate(doc.outcome_date))
		)
		.run(as_dict=True)
	)
	line = _("{0} ({1}): {2} on {3}").format(
		doc.name, _(doc.measure_type), _(doc.status), formatdate(doc.outcome_date, "dd/MM/yyyy")
	)
	for row in rows:
		values = {"measure_outcomes": "\n".join(filter(None, (cstr(row.measure_outcomes).strip(), line)))}
		if doc.status == HIRED:
			values.update({"result_employed": 1, NO_RESULT: 0})
		# the app's own write of what the measure says, after the measure's own checks
		frappe.db.set_value("Participation", row.name, values)
