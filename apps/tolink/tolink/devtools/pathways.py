"""Records of the work and housing pathways for tests, the demo and the benchmarks."""

import frappe
from frappe.utils import add_days, add_months, get_first_day, today


def make_employment_profile(citizen: str, labour_status: str = "Unemployed", since=None, **kw):
	"""As the session's user (the organisation holding the citizen)."""
	return frappe.get_doc(
		{
			"doctype": "Employment Profile",
			"citizen": citizen,
			"labour_status": labour_status,
			"status_since": since or add_months(today(), -14),
			**kw,
		}
	).insert()


def make_work_measure(citizen: str, host: str, **kw):
	start = kw.pop("start_date", get_first_day(add_months(today(), -2)))
	return frappe.get_doc(
		{
			"doctype": "Work Measure",
			"citizen": citizen,
			"measure_type": kw.pop("measure_type", "Inclusion traineeship"),
			"status": kw.pop("status", "In progress"),
			"host_organisation": host,
			"host_tutor": kw.pop("host_tutor", "Tutor aziendale"),
			"start_date": start,
			"end_date": kw.pop("end_date", add_days(add_months(start, 6), -1)),
			"weekly_hours": kw.pop("weekly_hours", 20),
			"monthly_allowance": kw.pop("monthly_allowance", 600),
			"allowance_paid_by": kw.pop("allowance_paid_by", "Region"),
			**kw,
		}
	).insert()


def make_housing_situation(household: str, tenure: str = "Rented", **kw):
	return frappe.get_doc(
		{
			"doctype": "Housing Situation",
			"household": household,
			"tenure": tenure,
			"tenure_since": kw.pop("tenure_since", add_months(today(), -36)),
			**kw,
		}
	).insert()
