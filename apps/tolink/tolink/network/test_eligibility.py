"""Eligibility rules and their plain-language reasons (Italian for Italian users)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from tolink.network.eligibility import evaluate, format_eur, join_words


def person(**kw):
	base = {
		"age": 40,
		"district": "6",
		"isee": 5000,
		"isee_valid_until": add_days(today(), 90),
		"household_size": 3,
		"resident_in_turin": True,
	}
	base.update(kw)
	return base


class TestEligibility(FrappeTestCase):
	def setUp(self):
		self.previous_lang = frappe.local.lang
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = self.previous_lang

	def test_no_rules_everyone_eligible(self):
		result = evaluate({}, person())
		self.assertTrue(result.eligible)
		self.assertEqual(result.reasons, [])

	def test_isee_threshold_in_italian(self):
		result = evaluate({"max_isee": 6000}, person(isee=9200))
		self.assertFalse(result.eligible)
		self.assertEqual(result.reasons, ["ISEE 9.200 € sopra la soglia di 6.000 €"])

	def test_isee_unknown_or_expired_is_not_eligible(self):
		self.assertFalse(evaluate({"max_isee": 6000}, person(isee=None)).eligible)
		expired = evaluate({"max_isee": 6000}, person(isee=1000, isee_valid_until=add_days(today(), -1)))
		self.assertFalse(expired.eligible)
		self.assertIn("ISEE scaduto", expired.reasons[0])

	def test_outside_the_area(self):
		result = evaluate({"districts": ["5", "6"]}, person(district="2"))
		self.assertEqual(result.reasons, ["fuori zona: serve le circoscrizioni 5 e 6"])
		self.assertTrue(evaluate({"districts": ["5", "6"]}, person(district="6")).eligible)

	def test_age(self):
		self.assertIn("età 16", evaluate({"min_age": 18}, person(age=16)).reasons[0])
		self.assertFalse(evaluate({"min_age": 18, "max_age": 64}, person(age=70)).eligible)
		self.assertFalse(evaluate({"min_age": 18}, person(age=None)).eligible)

	def test_household_size_and_residency(self):
		self.assertFalse(evaluate({"min_household_size": 4}, person(household_size=2)).eligible)
		self.assertFalse(evaluate({"max_household_size": 2}, person(household_size=5)).eligible)
		self.assertFalse(evaluate({"residency_required": 1}, person(resident_in_turin=False)).eligible)

	def test_full_service_is_explained_not_excluded(self):
		result = evaluate(
			{"capacity": 10, "capacity_used": 10, "available_from": "2027-01-12"},
			person(),
			on_date="2026-12-01",
		)
		self.assertTrue(result.eligible)
		self.assertEqual(result.reasons, ["posti esauriti fino al 12/01"])

	def test_suspended_service(self):
		self.assertFalse(evaluate({"status": "Suspended"}, person()).eligible)

	def test_several_reasons_are_all_given(self):
		result = evaluate({"max_isee": 6000, "districts": ["5"], "min_age": 50}, person(isee=9200))
		self.assertEqual(len(result.reasons), 3)

	def test_formatting(self):
		self.assertEqual(format_eur(9200), "9.200 €")
		self.assertEqual(format_eur(6000.5), "6.000,50 €")
		self.assertEqual(join_words(["5"]), "5")
		self.assertEqual(join_words(["1", "2", "3"]), "1, 2 e 3")


class TestWorkHousingFamilyRules(FrappeTestCase):
	"""Labour status, months unemployed, eviction, minors and disability (tolink.pathways keeps the
	facts on the Citizen and the Household), with their reasons in Italian."""

	def setUp(self):
		self.previous_lang = frappe.local.lang
		frappe.local.lang = "it"

	def tearDown(self):
		frappe.local.lang = self.previous_lang

	def test_labour_status(self):
		rules = {"labour_status_required": "Unemployed"}
		self.assertTrue(evaluate(rules, person(labour_status="Unemployed")).eligible)
		result = evaluate(rules, person(labour_status="Employed"))
		self.assertEqual(
			result.reasons, ["condizione lavorativa: occupato; il servizio è riservato a: disoccupato"]
		)
		self.assertFalse(evaluate(rules, person()).eligible)

	def test_months_unemployed(self):
		rules = {"min_months_unemployed": 12}
		since = "2025-06-15"
		self.assertTrue(
			evaluate(
				rules, person(labour_status="Unemployed", unemployed_since=since), on_date="2026-06-15"
			).eligible
		)
		short = evaluate(
			rules, person(labour_status="Unemployed", unemployed_since=since), on_date="2026-06-14"
		)
		self.assertEqual(short.reasons, ["disoccupato da 11 mesi: il servizio ne richiede almeno 12"])
		self.assertFalse(evaluate(rules, person(labour_status="Unemployed")).eligible)
		self.assertFalse(evaluate(rules, person(labour_status="Employed", unemployed_since=since)).eligible)

	def test_eviction_minors_disability(self):
		self.assertEqual(
			evaluate({"eviction_required": 1}, person()).reasons,
			["nessuno sfratto in corso: il servizio è per nuclei sotto sfratto"],
		)
		self.assertTrue(evaluate({"eviction_required": 1}, person(eviction_pending=True)).eligible)
		self.assertFalse(evaluate({"minors_required": 1}, person(minors=0)).eligible)
		self.assertTrue(evaluate({"minors_required": 1}, person(minors=2)).eligible)
		self.assertFalse(evaluate({"disability_required": 1}, person()).eligible)
		self.assertTrue(evaluate({"disability_required": 1}, person(disability=True)).eligible)

	def test_single_parent_and_dependent_care(self):
		self.assertEqual(
			evaluate({"single_parent_required": 1}, person()).reasons,
			["nucleo non monogenitoriale: il servizio è per nuclei monogenitoriali"],
		)
		self.assertTrue(evaluate({"single_parent_required": 1}, person(single_parent=True)).eligible)
		self.assertEqual(
			evaluate({"dependent_care_required": 1}, person(single_parent=True)).reasons,
			["nessun familiare assistito: il servizio è per nuclei che assistono un familiare"],
		)
		self.assertTrue(evaluate({"dependent_care_required": 1}, person(cares_for_dependent=True)).eligible)
		both = {"single_parent_required": 1, "dependent_care_required": 1}
		self.assertEqual(len(evaluate(both, person()).reasons), 2)
		self.assertTrue(evaluate(both, person(single_parent=1, cares_for_dependent=1)).eligible)
