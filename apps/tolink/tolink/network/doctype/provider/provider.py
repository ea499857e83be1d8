# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate, today

from tolink.security.users import USER_PROVIDER_FIELD

# the organisation types that are Third Sector bodies (enti del Terzo settore, D.Lgs. 117/2017) and may
# hold a RUNTS number: a public service or a shop is not one
THIRD_SECTOR_TYPES = ("Association", "Social Cooperative", "Parish", "Food Bank")
# the RUNTS "numero di repertorio": a progressive number
RUNTS_NUMBER = re.compile(r"^[0-9]{1,10}$")
# an agreement ending within these days is shown as expiring on the form
AGREEMENT_EXPIRING_DAYS = 60
PRIVATE_FILES = "/private/files/"


class Provider(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		agreement_end: DF.Date | None
		agreement_file: DF.Attach | None
		agreement_number: DF.Data | None
		agreement_start: DF.Date | None
		coordinator: DF.Link | None
		description: DF.SmallText | None
		district: DF.Link | None
		email: DF.Data | None
		is_active: DF.Check
		phone: DF.Data | None
		provider_name: DF.Data
		provider_type: DF.Literal[
			"Public Service", "Association", "Social Cooperative", "Parish", "Food Bank", "Shop"
		]
		runts_number: DF.Data | None
		tax_id: DF.Data | None
		website: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_agreement_dates()
		self.validate_runts_number()
		self.validate_agreement_file()
		self.validate_coordinator()

	def validate_agreement_dates(self):
		if self.agreement_start and self.agreement_end:
			if getdate(self.agreement_end) < getdate(self.agreement_start):
				frappe.throw(
					_("The agreement cannot end ({0}) before it starts ({1}).").format(
						frappe.format(self.agreement_end, "Date"), frappe.format(self.agreement_start, "Date")
					),
					title=_("Agreement dates"),
				)

	def validate_runts_number(self):
		number = re.sub(r"\s+", "", self.runts_number or "")
		self.runts_number = number or None
		if not number:
			return
		if not is_third_sector(self.provider_type):
			frappe.throw(
				_(
					"Only a Third Sector body (association, social cooperative, parish, food bank) has a "
					"RUNTS number: leave it empty for {0}."
				).format(_(self.provider_type)),
				title=_("RUNTS number"),
			)
		if not RUNTS_NUMBER.match(number):
			frappe.throw(
				_("The RUNTS number is the numero di repertorio: digits only, at most 10 (not {0}).").format(
					frappe.bold(number)
				),
				title=_("RUNTS number"),
			)

	def validate_agreement_file(self):
		"""The signed agreement is a private file uploaded to this organisation's form: never a public
		file, never a file of another record (its readers would then read that file)."""
		url = self.agreement_file
		if not url or not self.has_value_changed("agreement_file"):
			return
		if not url.startswith(PRIVATE_FILES):
			frappe.throw(
				_("The signed agreement must be a private file: upload it again with Private ticked."),
				title=_("Signed Agreement"),
			)
		files = frappe.get_all(
			"File",
			filters={"file_url": url},
			fields=["attached_to_doctype", "attached_to_name"],
			limit=20,
		)
		if not any(
			not f.attached_to_doctype
			or (f.attached_to_doctype == self.doctype and f.attached_to_name == self.name)
			for f in files
		):
			frappe.throw(
				_("Upload the signed agreement from this organisation's form."), title=_("Signed Agreement")
			)

	def validate_coordinator(self):
		"""The coordinator receives the escalations of referrals to this organisation: one of its own
		users, never someone of another organisation."""
		if not self.coordinator or not self.has_value_changed("coordinator"):
			return
		provider, enabled = frappe.db.get_value(
			"User", self.coordinator, [USER_PROVIDER_FIELD, "enabled"]
		) or (None, 0)
		if provider != self.name or not enabled:
			frappe.throw(
				_("The coordinator must be an active user of {0}.").format(frappe.bold(self.name)),
				title=_("Coordinator"),
			)

	def agreement_state(self) -> str | None:
		"""None without an end date, else "expired", "expiring" (within AGREEMENT_EXPIRING_DAYS) or
		"in force"."""
		if not self.agreement_end:
			return None
		end = getdate(self.agreement_end)
		if end < getdate(today()):
			return "expired"
		if end <= getdate(add_days(today(), AGREEMENT_EXPIRING_DAYS)):
			return "expiring"
		return "in force"


def is_third_sector(provider_type: str | None) -> bool:
	return provider_type in THIRD_SECTOR_TYPES
