"""The eligibility rules are written once (tolink.network.eligibility.RULES) and used twice: judged in
Python (referrals, vouchers, the flags and reasons shown) and as SQL (matching ranks in the
database). On random people and random services, the database says eligible exactly when Python
does, and ranks with the score Python orders by. The generator is seeded: a failure names the
seed, the person and the service, and reproduces."""

import random
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from tolink.care_path.matching import RANKING_FIELDS, rank_candidates, score
from tolink.devtools.factories import make_need, make_provider, make_service
from tolink.network import eligibility
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS
from tolink.network.eligibility import Person

SEED = 20260115
SERVICES = 50
PEOPLE = 16  # 800 pairs

# values at and around the thresholds the services use, so the boundaries are tried
AGES = (None, 0, 17, 18, 19, 24, 25, 26, 40, 63, 64, 65, 66, 99)
ISEE = (None, 0, 5999.99, 6000, 6000.01, 9200, 9200.5, 15000.5, 15000.51, 40000)
SIZES = (None, 0, 1, 2, 3, 4, 5, 7)
LABOUR = (None, "Unemployed", "Unemployed", "Employed", "Inactive", "Student")
# days unemployed around 3, 12 and 24 months
UNEMPLOYED_DAYS = (0, 89, 92, 364, 366, 729, 731, 2000)


def random_service(rng: random.Random, provider: str, need: str, districts: list[str]):
	"""Each criterion set on about one service in four: all kinds of combinations, eligible or not."""

	def some(*values):
		return rng.choice(values) if rng.random() < 0.25 else 0

	def rarely(*values):
		# the criteria of work, housing and family: fewer, so enough pairs stay eligible
		return rng.choice(values) if rng.random() < 0.12 else 0

	min_age, max_age = some(18, 25, 65), some(25, 64, 99)
	if min_age and max_age and min_age > max_age:
		min_age, max_age = max_age, min_age
	min_size, max_size = some(2, 3), some(2, 4)
	if min_size and max_size and min_size > max_size:
		min_size, max_size = max_size, min_size
	capacity = rng.choice((0, 0, 1, 3))
	return make_service(
		provider,
		needs=(need,),
		districts=rng.sample(districts, some(1, 2, 3)),
		status=rng.choice(("Active",) * 6 + ("Suspended", "Closed")),
		min_age=min_age,
		max_age=max_age,
		max_isee=some(6000, 9200.5, 15000.5),
		min_household_size=min_size,
		max_household_size=max_size,
		residency_required=some(1),
		labour_status_required=rarely("Unemployed", "Employed", "Inactive") or "",
		min_months_unemployed=rarely(3, 12, 24),
		eviction_required=rarely(1),
		minors_required=rarely(1),
		disability_required=rarely(1),
		single_parent_required=rarely(1),
		dependent_care_required=rarely(1),
		capacity=capacity,
		capacity_used=rng.randint(0, capacity + 1),
		available_from=rng.choice((None, add_days(today(), 10))),
		schedules=[
			{"weekday": day, "opens_at": "09:00:00", "closes_at": "12:00:00"}
			for day in rng.sample(WEEKDAYS, rng.choice((0, 1, 3)))
		],
	).name


def random_person(rng: random.Random, districts: list[str]) -> tuple[dict, Person]:
	on_date = getdate(add_days(today(), rng.randint(-3, 3)))
	valid_for = rng.choice((None, -1, 0, 1, 90))
	profile = {
		"age": rng.choice(AGES),
		"district": rng.choice((None, *districts)),
		"isee": rng.choice(ISEE),
		"isee_valid_until": None if valid_for is None else add_days(on_date, valid_for),
		"household_size": rng.choice(SIZES),
		"resident_in_turin": rng.random() < 0.7,
		"labour_status": rng.choice(LABOUR),
		"unemployed_since": rng.choice((None, *(add_days(on_date, -d) for d in UNEMPLOYED_DAYS))),
		"eviction_pending": rng.random() < 0.4,
		"minors": rng.choice((0, 0, 1, 3)),
		"disability": rng.random() < 0.3,
		"single_parent": rng.random() < 0.3,
		"cares_for_dependent": rng.random() < 0.3,
	}
	return profile, Person.from_profile(profile, on_date)


class TestMatchingRules(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.db.rollback()

	def test_sql_and_python_agree_on_random_people_and_services(self):
		started = time.monotonic()
		rng = random.Random(SEED)
		districts = sorted(frappe.get_all("District", pluck="name"))
		self.assertTrue(districts)
		provider, need = make_provider(), make_need()
		names = [random_service(rng, provider, need, districts) for _ in range(SERVICES)]
		rules = eligibility.load_rules(names, extra_fields=RANKING_FIELDS)
		service = frappe.qb.DocType("Service")
		pairs = eligible = 0
		for i in range(PEOPLE):
			profile, person = random_person(rng, districts)
			# the rules' SQL alone, on every service (taking referrals or not)
			eligible_in_sql = set(
				frappe.qb.from_(service)
				.select(service.name)
				.where(service.name.isin(names) & eligibility.condition(service, person))
				.run(pluck=True)
			)
			# matching's query: the services taking referrals, with their score
			ranked = {r.service: r for r in rank_candidates([need], person, limit=SERVICES)[need]}
			for name in names:
				pairs += 1
				result = eligibility.evaluate(rules[name], person)
				eligible += result.eligible
				where = (
					f"seed {SEED}, person {i} {profile} on {person.on_date}, service {name} "
					f"{rules[name]}: Python says {result.eligible} {result.reasons}"
				)
				self.assertEqual(name in eligible_in_sql, result.eligible, where)
				self.assertEqual(
					name in ranked, eligibility.TAKING_REFERRALS_RULE.passes(rules[name], person), where
				)
				if name in ranked:
					self.assertEqual(int(ranked[name].score) >= 1000, result.eligible, where)
					self.assertEqual(int(ranked[name].score), score(rules[name], person), where)
		# both answers were tried often enough to mean something
		self.assertEqual(pairs, SERVICES * PEOPLE)
		self.assertGreater(eligible, pairs // 5)
		self.assertGreater(pairs - eligible, pairs // 5)
		print(f"{pairs} pairs ({eligible} eligible) in {time.monotonic() - started:.1f} s")
		self.assertLess(time.monotonic() - started, 30)
