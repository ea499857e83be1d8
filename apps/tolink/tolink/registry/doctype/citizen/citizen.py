# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_years, getdate, today

from tolink.network.doctype.to_link_settings.to_link_settings import get_helpdesk_contact
from tolink.registry import codice_fiscale


class Citizen(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.registry.doctype.citizen_language.citizen_language import CitizenLanguage
		from tolink.registry.doctype.citizen_vulnerability.citizen_vulnerability import CitizenVulnerability

		address: DF.SmallText | None
		birth_date: DF.Date | None
		birth_place: DF.Data | None
		citizenship: DF.Link | None
		city: DF.Data | None
		codice_fiscale: DF.Data | None
		district: DF.Link | None
		email: DF.Data | None
		first_name: DF.Data
		full_name: DF.Data | None
		has_no_codice_fiscale: DF.Check
		household: DF.Link | None
		labour_status: DF.Literal[
			"", "Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired"
		]
		languages: DF.TableMultiSelect[CitizenLanguage]
		last_name: DF.Data
		mobile: DF.Data | None
		notes: DF.SmallText | None
		phone: DF.Data | None
		possible_duplicate: DF.Check
		postal_code: DF.Data | None
		provider: DF.Link
		provisional_id: DF.Data | None
		resident_in_turin: DF.Check
		sex: DF.Literal["", "M", "F"]
		status: DF.Literal["Active", "Anonymised"]
		unemployed_since: DF.Date | None
		vulnerability_flags: DF.TableMultiSelect[CitizenVulnerability]
	# end: auto-generated types

	def validate(self):
		self.set_full_name()
		self.validate_codice_fiscale()
		self.derive_from_codice_fiscale()
		self.check_birth_date()
		self.check_duplicates()

	def set_full_name(self):
		self.first_name = (self.first_name or "").strip()
		self.last_name = (self.last_name or "").strip()
		self.full_name = f"{self.first_name} {self.last_name}".strip()

	def validate_codice_fiscale(self):
		if self.has_no_codice_fiscale:
			self.codice_fiscale = None
			if not self.provisional_id:
				self.provisional_id = codice_fiscale.make_provisional_id()
			return
		if not self.codice_fiscale:
			frappe.throw(
				_(
					"Enter the codice fiscale, or tick {0} to give the person a provisional identifier."
				).format(frappe.bold(_("No codice fiscale (foreign national)"))),
				InvalidCodiceFiscaleError,
			)
		self.codice_fiscale = codice_fiscale.normalise(self.codice_fiscale)
		try:
			codice_fiscale.decode(self.codice_fiscale)
		except codice_fiscale.InvalidCodiceFiscale as e:
			frappe.throw(invalid_codice_fiscale_message(e), InvalidCodiceFiscaleError)
		self.provisional_id = None

	def derive_from_codice_fiscale(self):
		"""Birth date and sex come from the codice fiscale (typed values that disagree are flagged),
		the birth place always (a comune and its province, or a foreign state)."""
		if not self.codice_fiscale:
			self.birth_place = None
			return
		decoded = codice_fiscale.decode(self.codice_fiscale)
		self.birth_place = decoded["birth_place"]
		if not self.birth_date:
			self.birth_date = decoded["birth_date"]
		elif getdate(self.birth_date) != decoded["birth_date"]:
			frappe.msgprint(
				_("The birth date {0} does not match the codice fiscale ({1}): please check.").format(
					frappe.format(self.birth_date, "Date"), frappe.format(decoded["birth_date"], "Date")
				),
				indicator="orange",
				alert=True,
			)
		if not self.sex:
			self.sex = decoded["sex"]
		elif self.sex != decoded["sex"]:
			frappe.msgprint(
				_("The sex does not match the codice fiscale: please check."), indicator="orange", alert=True
			)

	def check_birth_date(self):
		"""Typed or derived from the codice fiscale: not in the future, not beyond a human life."""
		if not self.birth_date:
			return
		birth = getdate(self.birth_date)
		if birth > getdate(today()):
			frappe.throw(
				_("The birth date {0} is in the future.").format(frappe.format(birth, "Date")),
				ImpossibleBirthDateError,
			)
		if birth < getdate(add_years(today(), -MAX_AGE_YEARS)):
			frappe.throw(
				_("The birth date {0} is more than {1} years ago: check it.").format(
					frappe.format(birth, "Date"), MAX_AGE_YEARS
				),
				ImpossibleBirthDateError,
			)

	def check_duplicates(self):
		"""Across the whole network, whoever registered the other record; nothing about it is told."""
		if self.codice_fiscale:
			other = frappe.db.exists(
				"Citizen", {"codice_fiscale": self.codice_fiscale, "name": ("!=", self.name or "")}
			)
			if other:
				frappe.throw(
					_(
						"A person with this codice fiscale is already registered in the network. "
						"To work with them, contact {0}."
					).format(get_helpdesk_contact()),
					DuplicateCitizenError,
					title=_("Already registered"),
				)
		self.possible_duplicate = 0
		if self.birth_date and self.first_name and self.last_name:
			# the database collation compares names case-insensitively
			citizen = frappe.qb.DocType("Citizen")
			same = (
				frappe.qb.from_(citizen)
				.select(citizen.name)
				.where(
					(citizen.first_name == self.first_name)
					& (citizen.last_name == self.last_name)
					& (citizen.birth_date == self.birth_date)
					& (citizen.name != (self.name or ""))
				)
				.limit(1)
				.run()
			)
			if same:
				self.possible_duplicate = 1
				frappe.msgprint(
					_(
						"Another person with the same name and birth date is registered in the network: "
						"the record is marked for review."
					),
					indicator="orange",
					alert=True,
				)


def invalid_codice_fiscale_message(error: codice_fiscale.InvalidCodiceFiscale) -> str:
	"""Why a codice fiscale is refused, in the user's language."""
	code = frappe.bold(error.code)
	if error.reason == codice_fiscale.BIRTH_PLACE:
		return _(
			"Invalid codice fiscale {0}: characters 12 to 15 ({1}) are not the code of an Italian "
			"comune or a foreign state that existed on the birth date."
		).format(code, frappe.bold(error.code[11:15]))
	if error.reason == codice_fiscale.BIRTH_DATE:
		return _(
			"Invalid codice fiscale {0}: the birth date it holds (characters 7 to 11) does not exist."
		).format(code)
	return _("Invalid codice fiscale {0}: check the 16 characters and the last (check) character.").format(
		code
	)


# no one registered is older than this
MAX_AGE_YEARS = 120


class ImpossibleBirthDateError(frappe.ValidationError):
	pass


class InvalidCodiceFiscaleError(frappe.ValidationError):
	pass


class DuplicateCitizenError(frappe.ValidationError):
	pass


def on_doctype_update():
	frappe.db.add_index("Citizen", ["last_name", "first_name", "birth_date"])
	frappe.db.add_index("Citizen", ["provider"])
	frappe.db.add_index("Citizen", ["household"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Citizen", ["provider", "modified"])
	# the number card of possible duplicates: an organisation's, or the network's
	frappe.db.add_index("Citizen", ["possible_duplicate", "provider"])
