# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, formatdate, getdate, today

from tolink.pathways.history import check_periods, record_change

# The labour statuses (the options of the Select, as on Citizen.labour_status and
# Service.labour_status_required): tolink/tests/test_statuses.py holds them against the JSON
LABOUR_STATUSES = ("Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired")
# the status months of unemployment are counted in (tolink.network.eligibility.UNEMPLOYED)
UNEMPLOYED = "Unemployed"
EMPLOYED = ("Employed", "Self-employed")


class EmploymentProfile(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.pathways.doctype.employment_language.employment_language import EmploymentLanguage
		from tolink.pathways.doctype.employment_qualification.employment_qualification import (
			EmploymentQualification,
		)
		from tolink.pathways.doctype.employment_status_period.employment_status_period import (
			EmploymentStatusPeriod,
		)

		availability: DF.Literal["", "Full time", "Part time", "Shifts", "Weekends only", "Not available"]
		available_from: DF.Date | None
		care_duties: DF.Check
		citizen: DF.Link
		citizen_name: DF.Data | None
		constraints: DF.SmallText | None
		cv: DF.Attach | None
		did_date: DF.Date | None
		driving_licence: DF.Literal["", "None", "AM", "A", "B", "C", "D"]
		education_level: DF.Literal[
			"",
			"ISCED 0-2 (up to lower secondary)",
			"ISCED 3-4 (upper or post-secondary)",
			"ISCED 5-8 (tertiary)",
		]
		employment_centre: DF.Data | None
		has_vehicle: DF.Check
		health_constraints: DF.Check
		history: DF.Table[EmploymentStatusPeriod]
		labour_status: DF.Literal["Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired"]
		languages: DF.Table[EmploymentLanguage]
		provider: DF.Link | None
		qualifications: DF.Table[EmploymentQualification]
		skills: DF.SmallText | None
		status_since: DF.Date
	# end: auto-generated types

	def validate(self):
		self.check_one_per_citizen()
		self.check_dates()
		record_change(self, "labour_status", "status_since", _("labour status"))
		check_periods(self, "labour_status", _("Labour status history"))

	def on_update(self):
		self.update_citizen()

	def on_trash(self):
		frappe.db.set_value(
			"Citizen", self.citizen, {"labour_status": None, "unemployed_since": None}, update_modified=False
		)

	def check_one_per_citizen(self):
		other = frappe.db.get_value(
			"Employment Profile", {"citizen": self.citizen, "name": ("!=", self.name or "")}, "name"
		)
		if other:
			frappe.throw(
				_("{0} already has an employment profile ({1}): update that one.").format(
					frappe.bold(self.citizen_name or self.citizen), other
				)
			)

	def check_dates(self):
		for field in ("status_since", "did_date"):
			if self.get(field) and getdate(self.get(field)) > getdate(today()):
				frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label(field))))
		birth = frappe.db.get_value("Citizen", self.citizen, "birth_date")
		for field in ("status_since", "did_date"):
			if birth and self.get(field) and getdate(self.get(field)) < getdate(birth):
				frappe.throw(
					_("{0} is before the birth date ({1}).").format(
						_(self.meta.get_label(field)), formatdate(birth, "dd/MM/yyyy")
					)
				)

	def update_citizen(self):
		"""Eligibility reads the labour status from the Citizen (tolink.registry.profile)."""
		frappe.db.set_value(
			"Citizen",
			self.citizen,
			{
				"labour_status": self.labour_status,
				"unemployed_since": self.status_since if self.labour_status == UNEMPLOYED else None,
			},
			update_modified=False,
		)


def record_hiring(citizen: str, hired_on, provider: str) -> None:
	"""A measure ended in a contract: the person's profile says Employed from that day (created when
	missing). The app's own write, after the measure's checks."""
	name = frappe.db.get_value("Employment Profile", {"citizen": citizen}, "name")
	if name:
		profile = frappe.get_doc("Employment Profile", name)
		if profile.labour_status in EMPLOYED:
			return
		if getdate(hired_on) <= getdate(profile.status_since):
			hired_on = add_days(profile.status_since, 1)
	else:
		profile = frappe.get_doc({"doctype": "Employment Profile", "citizen": citizen, "provider": provider})
	profile.labour_status = "Employed"
	profile.status_since = min(getdate(hired_on), getdate(today()))
	profile.flags.ignore_permissions = True
	profile.save()


def on_doctype_update():
	frappe.db.add_index("Employment Profile", ["provider", "labour_status"])
