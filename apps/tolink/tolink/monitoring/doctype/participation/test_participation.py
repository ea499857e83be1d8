# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

from datetime import date

import frappe
from frappe.utils import add_days, add_months, add_years, getdate, today

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.monitoring import make_funding_programme, make_participation
from tolink.devtools.pathways import make_employment_profile, make_housing_situation, make_work_measure
from tolink.devtools.rest import make_user
from tolink.monitoring.doctype.participation import participation
from tolink.monitoring.follow_up import remind_follow_ups
from tolink.pathways.doctype.housing_situation.housing_situation import TENURES
from tolink.tests.case import CommittingTestCase


def years_ago(years: int, days: int = 0) -> date:
	"""A birth date: `years` old today (and `days` more)."""
	return getdate(add_days(add_years(today(), -years), -days))


class TestParticipation(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org, cls.org_b = make_provider(f"Monitoraggio A {s}"), make_provider(f"Monitoraggio B {s}")
		cls.cm = make_user(f"cm-{s}@participation.test", ["Case Manager"], cls.org)
		cls.cm_b = make_user(f"cm-b-{s}@participation.test", ["Case Manager"], cls.org_b)
		cls.programme = make_funding_programme().name
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		self.citizen = make_citizen(self.org, birth=years_ago(40, 30))
		frappe.set_user(self.cm)
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def enter(self, citizen=None, **kw):
		kw.setdefault("labour_status", "Employed")
		return make_participation((citizen or self.citizen).name, self.programme, **kw)

	# --- entry

	def test_entry_facts_are_computed_and_the_organisation_set(self):
		doc = self.enter(
			labour_status="Unemployed", unemployed_since=add_months(today(), -13), entry_date=today()
		)
		self.assertEqual(doc.provider, self.org)
		self.assertEqual(doc.case_manager, self.cm)
		self.assertEqual(doc.status, "Open")
		self.assertEqual(doc.age_at_entry, 40)
		self.assertEqual(doc.age_band, "30-54")
		self.assertEqual(doc.months_unemployed, 13)
		self.assertEqual(doc.long_term_unemployed, 1)
		self.assertEqual(doc.inactive_not_in_education, 0)
		self.assertEqual(doc.open_key, f"{self.citizen.name}:{self.programme}")

	def test_the_long_term_unemployment_rule(self):
		rule = participation.is_long_term_unemployed
		self.assertTrue(rule(12, 25))
		self.assertFalse(rule(11, 40))
		self.assertTrue(rule(6, 24))
		self.assertFalse(rule(5, 18))
		self.assertFalse(rule(6, 25))
		# no age known: the adults' threshold
		self.assertFalse(rule(6, None))
		self.assertTrue(rule(12, None))
		self.assertFalse(rule(None, 30))
		self.assertEqual(participation.months_between("2025-01-31", "2025-02-28"), 0)
		self.assertEqual(participation.months_between("2025-01-15", "2026-01-15"), 12)
		self.assertEqual(participation.months_between("2025-01-15", "2026-01-14"), 11)

	def test_a_young_person_is_long_term_unemployed_after_six_months(self):
		frappe.set_user("Administrator")
		young = make_citizen(self.org, birth=years_ago(22))
		frappe.set_user(self.cm)
		doc = self.enter(young, labour_status="Unemployed", unemployed_since=add_months(today(), -7))
		self.assertEqual((doc.age_at_entry, doc.age_band), (22, "18-29"))
		self.assertEqual((doc.months_unemployed, doc.long_term_unemployed), (7, 1))
		# the same months at 40 are not long-term
		adult = self.enter(labour_status="Unemployed", unemployed_since=add_months(today(), -7))
		self.assertEqual(adult.long_term_unemployed, 0)

	def test_age_bands(self):
		band = participation.age_band
		self.assertEqual(
			[band(a) for a in (17, 18, 29, 30, 54, 55, 80)],
			["Under 18", "18-29", "18-29", "30-54", "30-54", "55 and over", "55 and over"],
		)
		self.assertIsNone(band(None))
		options = frappe.get_meta("Participation").get_field("age_band").options.split("\n")
		self.assertEqual([b for b, _u in participation.AGE_BANDS], [o for o in options if o])

	def test_inactive_not_in_education(self):
		doc = self.enter(labour_status="Inactive")
		self.assertEqual(doc.inactive_not_in_education, 1)
		doc.exit_date, doc.no_result = today(), 1
		doc.save()
		student = self.enter(labour_status="Student", in_education_or_training=1)
		self.assertEqual(student.inactive_not_in_education, 0)

	def test_unemployed_needs_since_when_and_other_statuses_drop_it(self):
		with self.assertRaisesRegex(frappe.ValidationError, "da quando"):
			self.enter(labour_status="Unemployed")
		with self.assertRaisesRegex(frappe.ValidationError, "dopo la data di ingresso"):
			self.enter(labour_status="Unemployed", unemployed_since=today(), entry_date=add_days(today(), -1))
		doc = self.enter(labour_status="Employed", unemployed_since=add_months(today(), -20))
		self.assertIsNone(doc.unemployed_since)
		self.assertFalse(doc.months_unemployed or doc.long_term_unemployed)

	def test_filled_in_from_the_person_records_of_the_organisation(self):
		frappe.set_user("Administrator")
		citizen = make_citizen(
			self.org,
			birth=years_ago(30),
			citizenship="Morocco",
			vulnerability_flags=[{"flag": "Disability"}],
		)
		household = make_household(self.org, [citizen]).name
		frappe.set_user(self.cm)
		since = add_months(today(), -20)
		make_employment_profile(
			citizen.name, since=since, education_level="ISCED 3-4 (upper or post-secondary)"
		)
		make_housing_situation(household, tenure="Temporary accommodation")
		doc = make_participation(citizen.name, self.programme)
		self.assertEqual(doc.labour_status, "Unemployed")
		self.assertEqual(getdate(doc.unemployed_since), getdate(since))
		self.assertEqual(doc.long_term_unemployed, 1)
		self.assertEqual(doc.education_level, "ISCED 3-4 (upper or post-secondary)")
		self.assertEqual(doc.third_country_national, "Yes")
		self.assertEqual(doc.disability, "Yes")
		self.assertEqual(doc.homeless_or_housing_exclusion, "Yes")
		# never guessed: asked of the person
		self.assertFalse(doc.foreign_background)
		self.assertFalse(doc.minority)
		# what the operator wrote stays
		frappe.set_user("Administrator")
		other = make_funding_programme().name
		frappe.set_user(self.cm)
		doc = make_participation(
			citizen.name,
			other,
			labour_status="Inactive",
			disability="Not disclosed",
			third_country_national="No",
		)
		self.assertEqual((doc.labour_status, doc.unemployed_since), ("Inactive", None))
		self.assertEqual((doc.disability, doc.third_country_national), ("Not disclosed", "No"))

	def test_the_status_on_the_entry_day_comes_from_the_history(self):
		profile = make_employment_profile(self.citizen.name, since=add_months(today(), -24))
		profile.labour_status, profile.status_since = "Employed", add_months(today(), -2)
		profile.save()
		doc = self.enter(labour_status=None, entry_date=add_months(today(), -3))
		self.assertEqual(doc.labour_status, "Unemployed")
		self.assertEqual(doc.months_unemployed, 21)
		frappe.set_user("Administrator")
		other = make_funding_programme().name
		frappe.set_user(self.cm)
		now = make_participation(self.citizen.name, other)
		self.assertEqual(now.labour_status, "Employed")

	def test_another_organisations_records_are_not_read(self):
		"""B's employment profile of a person A registered says nothing to A's participation."""
		frappe.set_user("Administrator")
		make_employment_profile(
			self.citizen.name, provider=self.org_b, education_level="ISCED 5-8 (tertiary)"
		)
		frappe.set_user(self.cm)
		doc = make_participation(self.citizen.name, self.programme)
		self.assertFalse(doc.education_level)
		# the person's record (A's) says the status, as B's profile left it there
		self.assertEqual(doc.labour_status, "Unemployed")

	def test_the_education_levels_are_the_employment_profiles(self):
		ours = frappe.get_meta("Participation").get_field("education_level").options
		theirs = frappe.get_meta("Employment Profile").get_field("education_level").options
		self.assertEqual(ours, theirs)
		labour = frappe.get_meta("Participation").get_field("labour_status").options.split("\n")
		self.assertEqual(tuple(o for o in labour if o), participation.LABOUR_STATUSES)
		self.assertLessEqual(set(participation.HOUSING_EXCLUSION), set(TENURES))

	# --- what is refused

	def test_bad_dates_are_refused_in_italian(self):
		cases = (
			({"entry_date": add_days(today(), 1)}, "futuro"),
			({"entry_date": add_years(today(), -3)}, "fuori dal periodo del programma"),
			(
				{"exit_date": add_days(today(), -10), "entry_date": add_days(today(), -5), "no_result": 1},
				"precedente",
			),
			({"exit_date": add_days(today(), 2), "no_result": 1}, "futuro"),
		)
		for values, message in cases:
			with self.subTest(values=values), self.assertRaisesRegex(frappe.ValidationError, message):
				self.enter(**values)
		self.assertFalse(frappe.db.exists("Participation", {"citizen": self.citizen.name}))

	def test_an_entry_before_birth_is_refused(self):
		frappe.set_user("Administrator")
		baby = make_citizen(self.org, birth=getdate(add_days(today(), -40)))
		frappe.set_user(self.cm)
		with self.assertRaisesRegex(frappe.ValidationError, "data di nascita"):
			self.enter(baby, entry_date=add_days(today(), -60))

	def test_an_inactive_programme_takes_no_new_participation(self):
		frappe.set_user("Administrator")
		closed = make_funding_programme(is_active=0).name
		frappe.set_user(self.cm)
		with self.assertRaisesRegex(frappe.ValidationError, "non è attivo"):
			make_participation(self.citizen.name, closed, labour_status="Employed")

	def test_one_open_participation_per_person_and_programme(self):
		first = self.enter()
		with self.assertRaises(participation.DuplicateParticipationError):
			self.enter()
		# once left, a new one may start
		first.exit_date, first.result_job_searching = today(), 1
		first.save()
		second = self.enter()
		self.assertEqual(second.status, "Open")
		# the first cannot be reopened while the second is open
		first.exit_date = None
		with self.assertRaisesRegex(frappe.ValidationError, "già una partecipazione aperta"):
			first.save()

	def test_the_unique_key_holds_without_the_check(self):
		self.enter()
		frappe.db.savepoint("dup")
		doc = frappe.get_doc(
			{
				"doctype": "Participation",
				"citizen": self.citizen.name,
				"funding_programme": self.programme,
				"entry_date": today(),
				"labour_status": "Employed",
			}
		)
		doc.check_no_open_participation = lambda: None
		with self.assertRaises(frappe.UniqueValidationError):
			doc.insert()
		frappe.db.rollback(save_point="dup")

	def test_results_on_leaving(self):
		doc = self.enter()
		doc.exit_date = today()
		with self.assertRaisesRegex(frappe.ValidationError, "Registra il risultato all'uscita"):
			doc.save()
		doc.reload()
		doc.exit_date, doc.no_result, doc.result_employed = today(), 1, 1
		with self.assertRaisesRegex(frappe.ValidationError, "non può andare con un risultato"):
			doc.save()
		doc.reload()
		doc.exit_date, doc.result_qualification = today(), 1
		doc.save()
		self.assertEqual(doc.status, "Ended")
		self.assertIsNone(doc.open_key)
		self.assertEqual(getdate(doc.follow_up_due), getdate(add_months(today(), 6)))

	def test_the_case_manager_is_of_the_organisation(self):
		with self.assertRaises(frappe.LinkValidationError):
			self.enter(case_manager=self.cm_b)
		with self.assertRaises(frappe.LinkValidationError):
			self.enter(case_manager=f"nessuno-{uid()}@participation.test")
		self.assertFalse(frappe.db.exists("Participation", {"citizen": self.citizen.name}))

	def test_another_organisations_citizen_is_not_found(self):
		frappe.set_user(self.cm_b)
		with self.assertRaises(frappe.LinkValidationError):
			make_participation(self.citizen.name, self.programme, labour_status="Employed")
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Participation", {"citizen": self.citizen.name}))

	# --- follow-up

	def left(self, months_ago: int, **kw):
		entry = add_months(today(), -months_ago - 1)
		doc = self.enter(entry_date=entry, **kw)
		doc.exit_date, doc.result_job_searching = add_months(today(), -months_ago), 1
		doc.save()
		return doc

	def test_the_follow_up_is_six_months_after_leaving(self):
		doc = self.left(3)
		doc.follow_up_date, doc.follow_up_employed = today(), "Yes"
		with self.assertRaisesRegex(frappe.ValidationError, "non prima del"):
			doc.save()
		doc.reload()
		doc.follow_up_employed = "Yes"
		with self.assertRaisesRegex(frappe.ValidationError, "data del follow-up"):
			doc.save()
		doc.reload()
		doc.exit_date, doc.follow_up_date = None, today()
		with self.assertRaisesRegex(frappe.ValidationError, "prima la data di uscita"):
			doc.save()
		self.assertEqual(frappe.db.get_value("Participation", doc.name, "status"), "Ended")

	def test_a_follow_up_needs_its_answer(self):
		frappe.set_user("Administrator")
		other = make_funding_programme(from_date=add_years(today(), -2)).name
		frappe.set_user(self.cm)
		doc = make_participation(
			self.citizen.name, other, labour_status="Employed", entry_date=add_months(today(), -9)
		)
		doc.exit_date, doc.result_employed = add_months(today(), -7), 1
		doc.save()
		doc.follow_up_date = today()
		with self.assertRaisesRegex(frappe.ValidationError, "occupata al follow-up"):
			doc.save()
		doc.reload()
		doc.follow_up_date, doc.follow_up_employed, doc.follow_up_improved = today(), "Yes", "Unknown"
		doc.save()
		self.assertEqual(frappe.db.get_value("Participation", doc.name, "follow_up_employed"), "Yes")

	def test_the_reminder_goes_once_to_the_case_manager(self):
		frappe.set_user("Administrator")
		other = make_funding_programme(from_date=add_years(today(), -2)).name
		frappe.set_user(self.cm)
		doc = make_participation(
			self.citizen.name, other, labour_status="Employed", entry_date=add_months(today(), -9)
		)
		doc.exit_date, doc.result_employed = add_months(today(), -6), 1
		doc.save()
		not_due = self.left(2)
		frappe.set_user("Administrator")
		logs = {"document_type": "Participation", "document_name": doc.name, "for_user": self.cm}
		self.assertGreaterEqual(remind_follow_ups(), 1)
		self.assertEqual(frappe.db.count("Notification Log", logs), 1)
		self.assertEqual(
			getdate(frappe.db.get_value("Participation", doc.name, "follow_up_reminded_on")), getdate(today())
		)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": not_due.name}))
		self.assertEqual(remind_follow_ups(), 0)
		self.assertEqual(remind_follow_ups(add_days(today(), 1)), 0)
		self.assertEqual(frappe.db.count("Notification Log", logs), 1)
		# a follow-up recorded: nothing more, even when the reminder is reset
		frappe.set_user(self.cm)
		doc.reload()
		doc.exit_date = add_months(today(), -7)
		doc.save()
		self.assertIsNone(doc.follow_up_reminded_on)
		doc.follow_up_date, doc.follow_up_employed = today(), "No"
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(remind_follow_ups(), 0)
		self.assertEqual(frappe.db.count("Notification Log", logs), 1)

	# --- the work pathway

	def test_a_hire_in_a_work_measure_feeds_the_open_participation(self):
		frappe.set_user("Administrator")
		host = make_provider(f"Ospite {uid()}")
		frappe.set_user(self.cm)
		doc = self.enter(
			labour_status="Unemployed",
			unemployed_since=add_months(today(), -3),
			entry_date=add_months(today(), -2),
		)
		measure = make_work_measure(self.citizen.name, host)
		measure.status, measure.outcome_date = "Hired", today()
		measure.contract_type, measure.employer = "Fixed-term", "Azienda"
		measure.save()
		doc.reload()
		self.assertEqual(doc.result_employed, 1)
		self.assertIn(measure.name, doc.measure_outcomes)
		# the exit confirms it
		doc.exit_date = today()
		doc.save()
		self.assertEqual(doc.status, "Ended")

	def test_a_measure_completed_is_listed_not_taken_as_a_result(self):
		frappe.set_user("Administrator")
		host = make_provider(f"Ospite {uid()}")
		frappe.set_user(self.cm)
		doc = self.enter(entry_date=add_months(today(), -2))
		measure = make_work_measure(self.citizen.name, host)
		measure.status, measure.outcome_date = "Completed", today()
		measure.save()
		doc.reload()
		self.assertIn(measure.name, doc.measure_outcomes)
		self.assertEqual([doc.get(f) for f in participation.RESULTS], [0] * len(participation.RESULTS))
		# an ended participation is not touched
		doc.exit_date, doc.no_result = today(), 1
		doc.save()
		other = make_work_measure(self.citizen.name, host)
		other.status, other.outcome_date, other.contract_type = "Hired", today(), "Permanent"
		other.save()
		doc.reload()
		self.assertEqual((doc.result_employed, doc.no_result), (0, 1))
		self.assertNotIn(other.name, doc.measure_outcomes)
