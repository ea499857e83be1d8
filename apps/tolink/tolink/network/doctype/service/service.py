# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time

# The statuses of a service (the options of its Select field: tolink/tests/test_statuses.py)
STATUSES = ("Active", "Suspended", "Closed")
# a service takes referrals and is suggested only in these
TAKING_REFERRALS = ("Active",)


class Service(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.network.doctype.service_district.service_district import ServiceDistrict
		from tolink.network.doctype.service_location.service_location import ServiceLocation
		from tolink.network.doctype.service_need_category.service_need_category import ServiceNeedCategory
		from tolink.network.doctype.service_schedule.service_schedule import ServiceSchedule

		available_from: DF.Date | None
		capacity: DF.Int
		capacity_used: DF.Int
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		dependent_care_required: DF.Check
		description: DF.TextEditor | None
		disability_required: DF.Check
		distribution_hub: DF.Link | None
		district_list: DF.SmallText | None
		districts: DF.TableMultiSelect[ServiceDistrict]
		eligibility_description: DF.SmallText | None
		eviction_required: DF.Check
		funding_programme: DF.Link | None
		how_to_apply: DF.SmallText | None
		labour_status_required: DF.Literal[
			"", "Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired"
		]
		locations: DF.Table[ServiceLocation]
		max_age: DF.Int
		max_household_size: DF.Int
		max_isee: DF.Currency
		min_age: DF.Int
		min_household_size: DF.Int
		min_months_unemployed: DF.Int
		minors_required: DF.Check
		need_categories: DF.TableMultiSelect[ServiceNeedCategory]
		open_days: DF.SmallText | None
		parcel_template: DF.Link | None
		provider: DF.Link
		required_documents: DF.SmallText | None
		residency_required: DF.Check
		response_deadline_days: DF.Int
		schedules: DF.Table[ServiceSchedule]
		service_name: DF.Data
		single_parent_required: DF.Check
		status: DF.Literal["Active", "Suspended", "Closed"]
	# end: auto-generated types

	def validate(self):
		self.check_hub()
		self.check_ranges()
		self.check_schedules()
		self.check_unique_rows()
		self.set_search_columns()

	def check_hub(self):
		"""A service handed out at a food-parcel hub is run by the organisation managing the hub."""
		if not self.distribution_hub:
			self.parcel_template = None
			return
		hub = frappe.db.get_value(
			"Distribution Hub", self.distribution_hub, ["provider", "is_active"], as_dict=True
		)
		if not hub or hub.provider != self.provider:
			frappe.throw(
				_("The hub {0} is not managed by {1}.").format(
					frappe.bold(self.distribution_hub), frappe.bold(self.provider)
				)
			)
		if not hub.is_active and self.status == "Active":
			frappe.throw(_("The hub {0} is closed.").format(frappe.bold(self.distribution_hub)))

	def set_search_columns(self):
		"""Districts and open days as comma lists on the service row, so matching ranks thousands
		of services in one query without joining the child tables."""
		self.district_list = ",".join(sorted({d.district for d in self.districts}))
		self.open_days = ",".join(sorted({s.weekday for s in self.schedules}))

	def check_ranges(self):
		for field in (
			"min_age",
			"max_age",
			"min_household_size",
			"max_household_size",
			"capacity",
			"max_isee",
			"min_months_unemployed",
		):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if self.min_age and self.max_age and self.min_age > self.max_age:
			frappe.throw(
				_("The minimum age ({0}) is above the maximum age ({1}).").format(self.min_age, self.max_age)
			)
		if (
			self.min_household_size
			and self.max_household_size
			and self.min_household_size > self.max_household_size
		):
			frappe.throw(_("The minimum household size is above the maximum."))
		if (self.response_deadline_days or 0) < 1:
			self.response_deadline_days = 5

	def check_schedules(self):
		locations = {loc.location_name for loc in self.locations}
		for row in self.schedules:
			if get_time(row.opens_at) >= get_time(row.closes_at):
				frappe.throw(_("Schedule row {0}: opening time must be before closing time.").format(row.idx))
			if locations and row.location_name and row.location_name not in locations:
				frappe.throw(
					_("Schedule row {0}: {1} is not one of the service's locations.").format(
						row.idx, frappe.bold(row.location_name)
					)
				)

	def check_unique_rows(self):
		for table, field in (("need_categories", "need_category"), ("districts", "district")):
			values = [row.get(field) for row in self.get(table)]
			if len(values) != len(set(values)):
				frappe.throw(_("{0}: a value is listed twice.").format(_(self.meta.get_label(table))))


def on_doctype_update():
	frappe.db.add_index("Service", ["provider", "status"])
