# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

"""A person's participation in a funding programme, as the ESF+ common indicators count it
(Regulation (EU) 2021/1057, Annex I): the facts at entry (labour market status, age, education,
disadvantages), the immediate result on leaving, and the situation six months after leaving.

The person's records fill in the entry facts left empty when the participation is first saved,
from what the organisation holding the participation holds itself (its employment profile and
housing situation of the person, the person's registry record); the facts the indicators derive
(age, long-term unemployment, inactive not in education) are computed here and never sent."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_months, cint, cstr, formatdate, getdate, today

from tolink.monitoring.doctype.funding_programme.funding_programme import active_programme
from tolink.pathways.doctype.employment_profile.employment_profile import (
	EMPLOYED,
	LABOUR_STATUSES,
	UNEMPLOYED,
)
from tolink.permissions import get_user_provider
from tolink.registry.profile import DISABILITY_FLAG, age_on

# The statuses of a participation (the options of its Select): tolink/tests/test_statuses.py
STATUSES = ("Open", "Ended")
# not left yet: one per person and programme
OPEN = ("Open",)
ENDED = "Ended"
# the answers to a disadvantage question: empty is "not asked"
YES, NO, NOT_DISCLOSED = "Yes", "No", "Not disclosed"
# the labour statuses outside the labour force: ESF+ "inactive" (the employment profile's statuses)
STUDENT = "Student"
INACTIVE = tuple(s for s in LABOUR_STATUSES if s != UNEMPLOYED and s not in EMPLOYED)
# ESF+ long-term unemployment: 12 months or more, 6 or more for people under 25
LONG_TERM_MONTHS, YOUNG_LONG_TERM_MONTHS, YOUNG_UNDER = 12, 6, 25
# the longer-term result is asked six months after leaving
FOLLOW_UP_MONTHS = 6
# the age bands of the indicators (the options of age_band): (band, under this age)
AGE_BANDS = (("Under 18", 18), ("18-29", 30), ("30-54", 55), ("55 and over", None))
# the immediate results on leaving (EECR01..EECR04), any of them, or none
RESULTS = ("result_job_searching", "result_in_education", "result_qualification", "result_employed")
NO_RESULT = "no_result"
FOLLOW_UP_ANSWERS = ("follow_up_employed", "follow_up_improved")
# housing exclusion (ETHOS: roofless, houseless, insecure): tenures of the housing situation
HOUSING_EXCLUSION = ("Homeless", "Temporary accommodation", "Precarious")
HOMELESS_FLAG = "Homeless"
# the Member States of the Union (ISO 3166 codes of Frappe's Country): anyone else is a
# third-country national for ESF+
EU_MEMBER_STATES = frozenset(
	"at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se".split()
)


class DuplicateParticipationError(frappe.ValidationError):
	pass


class Participation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		age_at_entry: DF.Int
		age_band: DF.Literal["", "Under 18", "18-29", "30-54", "55 and over"]
		case_manager: DF.Link | None
		citizen: DF.Link
		citizen_name: DF.Data | None
		disability: DF.Literal["", "Yes", "No", "Not disclosed"]
		education_level: DF.Literal[
			"",
			"ISCED 0-2 (up to lower secondary)",
			"ISCED 3-4 (upper or post-secondary)",
			"ISCED 5-8 (tertiary)",
		]
		entry_date: DF.Date
		exit_date: DF.Date | None
		follow_up_date: DF.Date | None
		follow_up_due: DF.Date | None
		follow_up_employed: DF.Literal["", "Yes", "No", "Unknown"]
		follow_up_improved: DF.Literal["", "Yes", "No", "Unknown"]
		follow_up_reminded_on: DF.Date | None
		foreign_background: DF.Literal["", "Yes", "No", "Not disclosed"]
		funding_programme: DF.Link
		homeless_or_housing_exclusion: DF.Literal["", "Yes", "No", "Not disclosed"]
		in_education_or_training: DF.Check
		inactive_not_in_education: DF.Check
		labour_status: DF.Literal[
			"", "Unemployed", "Employed", "Self-employed", "Inactive", "Student", "Retired"
		]
		long_term_unemployed: DF.Check
		measure_outcomes: DF.SmallText | None
		minority: DF.Literal["", "Yes", "No", "Not disclosed"]
		months_unemployed: DF.Int
		no_result: DF.Check
		open_key: DF.Data | None
		provider: DF.Link | None
		result_employed: DF.Check
		result_in_education: DF.Check
		result_job_searching: DF.Check
		result_qualification: DF.Check
		status: DF.Literal["Open", "Ended"]
		third_country_national: DF.Literal["", "Yes", "No", "Not disclosed"]
		unemployed_since: DF.Date | None
	# end: auto-generated types

	def validate(self):
		if self.is_new():
			self.fill_in_from_records()
			self.set_default_case_manager()
		self.check_programme()
		self.check_dates()
		self.check_case_manager()
		self.set_entry_facts()
		self.check_results()
		self.set_follow_up()
		self.set_status()
		self.check_no_open_participation()

	# --- entry

	def fill_in_from_records(self):
		"""The entry facts left empty, from the person's records the organisation holds."""
		citizen = frappe.db.get_value(
			"Citizen",
			self.citizen,
			["citizenship", "labour_status", "unemployed_since", "household"],
			as_dict=True,
		)
		if not citizen:
			return
		if not self.labour_status:
			on_entry = self.labour_status_on_entry()
			status, since = (
				on_entry if on_entry is not None else (citizen.labour_status, citizen.unemployed_since)
			)
			if status:
				self.labour_status = status
				if status == UNEMPLOYED and not self.unemployed_since:
					self.unemployed_since = since
				if status == STUDENT:
					self.in_education_or_training = 1
		if not self.education_level:
			self.education_level = frappe.db.get_value(
				"Employment Profile", {"citizen": self.citizen, "provider": self.provider}, "education_level"
			)
		if not self.third_country_national and citizen.citizenship:
			code = cstr(frappe.db.get_value("Country", citizen.citizenship, "code")).lower()
			if code:
				self.third_country_national = NO if code in EU_MEMBER_STATES else YES
		flags = set(
			frappe.get_all(
				"Citizen Vulnerability",
				filters={
					"parenttype": "Citizen",
					"parent": self.citizen,
					"flag": ("in", [DISABILITY_FLAG, HOMELESS_FLAG]),
				},
				pluck="flag",
			)
		)
		if not self.disability and DISABILITY_FLAG in flags:
			self.disability = YES
		if not self.homeless_or_housing_exclusion:
			self.homeless_or_housing_exclusion = self.housing_exclusion(citizen.household, flags)

	def labour_status_on_entry(self) -> tuple[str | None, object]:
		"""(status, since) on the entry day, from the history of the organisation's employment profile
		of the person ((None, None) when the history does not reach that day); None without a profile:
		the registry's record of the person says it."""
		profile = frappe.db.get_value(
			"Employment Profile", {"citizen": self.citizen, "provider": self.provider}, "name"
		)
		if not profile:
			return None
		entry = getdate(self.entry_date or today())
		period = frappe.qb.DocType("Employment Status Period")
		rows = (
			frappe.qb.from_(period)
			.select(period.labour_status, period.from_date)
			.where(
				(period.parenttype == "Employment Profile")
				& (period.parent == profile)
				& (period.from_date <= entry)
				& (period.to_date.isnull() | (period.to_date >= entry))
			)
			.orderby(period.from_date, order=frappe.qb.desc)
			.limit(1)
			.run()
		)
		return tuple(rows[0]) if rows else (None, None)

	def housing_exclusion(self, household: str | None, flags: set) -> str | None:
		if HOMELESS_FLAG in flags:
			return YES
		if not household:
			return None
		housing = frappe.db.get_value(
			"Housing Situation",
			{"household": household, "provider": self.provider},
			["tenure", "eviction_pending"],
			as_dict=True,
		)
		if not housing:
			return None
		return YES if housing.tenure in HOUSING_EXCLUSION or housing.eviction_pending else NO

	def set_default_case_manager(self):
		"""Who records it follows it, when they are a case manager of the organisation."""
		user = frappe.session.user
		if not self.case_manager and "Case Manager" in frappe.get_roles(user):
			if get_user_provider(user) == self.provider:
				self.case_manager = user

	def check_programme(self):
		programme = active_programme(self.funding_programme)
		if not programme:
			frappe.throw(
				_("Could not find {0}").format(f"{_('Funding Programme')}: {self.funding_programme}"),
				frappe.LinkValidationError,
			)
		before = self.get_doc_before_save()
		if not programme.is_active and (not before or before.funding_programme != self.funding_programme):
			frappe.throw(
				_("The programme {0} is not active: no new participations are recorded in it.").format(
					frappe.bold(self.funding_programme)
				)
			)
		if not getdate(programme.from_date) <= getdate(self.entry_date) <= getdate(programme.to_date):
			frappe.throw(
				_("The entry date {0} is outside the programme's period ({1} - {2}).").format(
					formatdate(self.entry_date, "dd/MM/yyyy"),
					formatdate(programme.from_date, "dd/MM/yyyy"),
					formatdate(programme.to_date, "dd/MM/yyyy"),
				)
			)

	def check_dates(self):
		now = getdate(today())
		for field in ("entry_date", "exit_date", "unemployed_since"):
			if self.get(field) and getdate(self.get(field)) > now:
				frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label(field))))
		birth = frappe.db.get_value("Citizen", self.citizen, "birth_date")
		if birth and getdate(self.entry_date) < getdate(birth):
			frappe.throw(
				_("The entry date is before the birth date ({0}).").format(formatdate(birth, "dd/MM/yyyy"))
			)
		if self.exit_date and getdate(self.exit_date) < getdate(self.entry_date):
			frappe.throw(
				_("The exit date {0} is before the entry date {1}.").format(
					formatdate(self.exit_date, "dd/MM/yyyy"), formatdate(self.entry_date, "dd/MM/yyyy")
				)
			)

	def check_case_manager(self):
		"""The case manager is a user of the organisation holding the participation (they are told of
		the follow-up, naming the person): anyone else is answered as not found."""
		if not self.case_manager:
			return
		before = self.get_doc_before_save()
		if before and before.case_manager == self.case_manager and before.provider == self.provider:
			return
		if not frappe.db.exists(
			"User", {"name": self.case_manager, "enabled": 1, "tolink_provider": self.provider}
		):
			frappe.throw(
				_("Could not find {0}").format(f"{_('Case Manager')}: {self.case_manager}"),
				frappe.LinkValidationError,
			)

	def set_entry_facts(self):
		"""The facts the indicators derive: age and its band, long-term unemployment, inactive and
		not in education or training."""
		if not self.labour_status:
			frappe.throw(_("Record the labour market status at entry."))
		birth = frappe.db.get_value("Citizen", self.citizen, "birth_date")
		self.age_at_entry = age_on(birth, self.entry_date) if birth else None
		self.age_band = age_band(self.age_at_entry)
		if self.labour_status != UNEMPLOYED:
			self.unemployed_since = None
			self.months_unemployed = None
		else:
			if not self.unemployed_since:
				frappe.throw(
					_(
						"Say since when the person is unemployed: the long-term unemployment indicator needs it."
					)
				)
			if getdate(self.unemployed_since) > getdate(self.entry_date):
				frappe.throw(
					_("The person was unemployed at entry: Unemployed Since is after the entry date.")
				)
			self.months_unemployed = months_between(self.unemployed_since, self.entry_date)
		self.long_term_unemployed = int(is_long_term_unemployed(self.months_unemployed, self.age_at_entry))
		self.inactive_not_in_education = int(
			self.labour_status in INACTIVE and not cint(self.in_education_or_training)
		)

	# --- exit and follow-up

	def check_results(self):
		chosen = [field for field in RESULTS if cint(self.get(field))]
		if cint(self.no_result) and chosen:
			frappe.throw(
				_("{0} cannot go with a result on leaving ({1}).").format(
					_(self.meta.get_label(NO_RESULT)), _(self.meta.get_label(chosen[0]))
				)
			)
		if self.exit_date and not chosen and not cint(self.no_result):
			frappe.throw(
				_("Record the result on leaving, or tick {0}.").format(_(self.meta.get_label(NO_RESULT)))
			)

	def set_follow_up(self):
		due = getdate(add_months(self.exit_date, FOLLOW_UP_MONTHS)) if self.exit_date else None
		before = self.get_doc_before_save()
		if before and (getdate(before.follow_up_due) if before.follow_up_due else None) != due:
			# a new exit date: a new reminder when the new day comes
			self.follow_up_reminded_on = None
		self.follow_up_due = due
		answers = [field for field in FOLLOW_UP_ANSWERS if self.get(field)]
		if not self.exit_date:
			if self.follow_up_date or answers:
				frappe.throw(_("The follow-up comes six months after leaving: record the exit date first."))
			return
		if not self.follow_up_date:
			if answers:
				frappe.throw(_("Record the follow-up date with its answers."))
			return
		if getdate(self.follow_up_date) < due:
			frappe.throw(
				_("The follow-up is six months after leaving: not before {0}.").format(
					formatdate(due, "dd/MM/yyyy")
				)
			)
		if getdate(self.follow_up_date) > getdate(today()):
			frappe.throw(_("{0} cannot be in the future.").format(_(self.meta.get_label("follow_up_date"))))
		if not self.follow_up_employed:
			frappe.throw(_("Say whether the person is in employment at the follow-up."))

	def set_status(self):
		self.status = ENDED if self.exit_date else OPEN[0]
		self.open_key = f"{self.citizen}:{self.funding_programme}" if self.status in OPEN else None

	def check_no_open_participation(self):
		"""One open participation per person and programme (the unique `open_key` holds it against
		two saved at the same moment)."""
		if self.status not in OPEN:
			return
		other = frappe.db.get_value(
			"Participation",
			{"open_key": self.open_key, "name": ("!=", self.name or "")},
			"name",
		)
		if other:
			frappe.throw(
				_("{0} already has an open participation in {1} ({2}): record the exit there first.").format(
					frappe.bold(self.citizen_name or self.citizen), frappe.bold(self.funding_programme), other
				),
				DuplicateParticipationError,
			)


def age_band(age: int | None) -> str | None:
	if age is None:
		return None
	return next(band for band, under in AGE_BANDS if under is None or age < under)


def months_between(since, until) -> int:
	"""Whole months from `since` to `until` (a month counts once its day has come again)."""
	since, until = getdate(since), getdate(until)
	months = (until.year - since.year) * 12 + until.month - since.month
	if until.day < since.day:
		months -= 1
	return max(months, 0)


def is_long_term_unemployed(months: int | None, age: int | None) -> bool:
	if months is None:
		return False
	threshold = YOUNG_LONG_TERM_MONTHS if age is not None and age < YOUNG_UNDER else LONG_TERM_MONTHS
	return months >= threshold


def on_doctype_update():
	frappe.db.add_index("Participation", ["provider", "status"])
	frappe.db.add_index("Participation", ["citizen", "status"])
	frappe.db.add_index("Participation", ["follow_up_reminded_on", "follow_up_due"])
