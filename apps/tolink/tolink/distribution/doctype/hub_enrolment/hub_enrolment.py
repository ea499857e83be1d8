# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from tolink.distribution.enrolment import ACTIVE, REFERRAL
from tolink.distribution.permissions import check_hub_access, forget_referred_households


class HubEnrolment(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		end_date: DF.Date | None
		escalated_on: DF.Datetime | None
		first_collection_on: DF.Date | None
		head_of_household: DF.Link | None
		household: DF.Link
		household_name: DF.Data | None
		household_size: DF.Int
		hub: DF.Link
		last_collection_on: DF.Date | None
		missed_in_a_row: DF.Int
		needs_attention: DF.Check
		parcel_template: DF.Link | None
		provider: DF.Link | None
		referral: DF.Link | None
		source: DF.Literal["Hub's own", "Referral"]
		start_date: DF.Date | None
		status: DF.Literal["Active", "Ended"]
	# end: auto-generated types

	def validate(self):
		if not self.flags.ignore_permissions:
			check_hub_access(self.hub)
			self.check_follows_its_referral()
		self.provider = frappe.db.get_value("Distribution Hub", self.hub, "provider")
		info = frappe.db.get_value(
			"Household",
			self.household,
			["household_name", "household_size", "head_of_household"],
			as_dict=True,
		)
		self.household_name = info.household_name
		self.household_size = info.household_size
		self.head_of_household = info.head_of_household
		if self.status == ACTIVE:
			self.end_date = None
			self.check_listed_once()
		elif not self.end_date:
			self.end_date = frappe.utils.today()

	def on_update(self):
		forget_referred_households()

	def check_follows_its_referral(self):
		"""A household referred to the hub is on its list while the referral is worked on
		(tolink.distribution.enrolment): its enrolment is not reopened, moved or made by hand, or the
		hub would read the household after the referral ended."""
		if self.source != REFERRAL:
			return
		before = self.get_doc_before_save()
		if not before or any(before.get(f) != self.get(f) for f in ("status", "household", "hub")):
			frappe.throw(
				_("This household is on the list by a referral: answer the referral instead."),
				frappe.PermissionError,
			)

	def check_listed_once(self):
		other = frappe.db.get_value(
			"Hub Enrolment",
			{"hub": self.hub, "household": self.household, "status": ACTIVE, "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_("{0} is already on the list of {1} ({2}).").format(
					frappe.bold(self.household_name), frappe.bold(self.hub), other
				),
				frappe.DuplicateEntryError,
			)


def on_doctype_update():
	frappe.db.add_index("Hub Enrolment", ["provider", "status", "household"])
	frappe.db.add_index("Hub Enrolment", ["hub", "household", "status"])
