"""Benchmark of the care path (issue: matching and referrals).

Seeds 5,000 services over 50 providers and 10,000 citizens (bulk inserts, once per site), then
measures over HTTP, against a gunicorn server:
  - tolink.api.desk.suggest_services for an intake with 3 needs (target: within 10x ping)
  - tolink.api.partner.respond_to_referral (target: within 5x ping)
and prints each as a ratio against /api/method/ping in the same run.

Run: scripts/benchmark.sh care-path   (uses the site bench.tolink.localhost)
"""

import random

import frappe
from frappe.utils import add_days, now_datetime, today

from tolink.benchmarks.common import report, time_alternating
from tolink.devtools.factories import make_citizen, make_consent, make_household, make_service, random_cf
from tolink.devtools.live_server import api_url, site_headers
from tolink.devtools.rest import Client, make_user

PROVIDERS = 50
SERVICES = 5000
CITIZENS = 10000
MARK = "Bench Org"


def seed() -> None:
	if frappe.db.count("Provider", {"provider_name": ("like", f"{MARK}%")}) >= PROVIDERS:
		return
	rng = random.Random(7)
	now = now_datetime()
	leaves = frappe.get_all("Need Category", filters={"is_group": 0}, pluck="name")
	districts = [str(d) for d in range(1, 9)]
	providers = [f"{MARK} {i:02d}" for i in range(PROVIDERS)]
	base = {
		"creation": now,
		"modified": now,
		"owner": "Administrator",
		"modified_by": "Administrator",
		"docstatus": 0,
	}
	frappe.db.bulk_insert(
		"Provider",
		["name", "provider_name", "provider_type", "is_active", *base],
		[(p, p, "Association", 1, *base.values()) for p in providers],
	)
	services, needs, sdistricts, schedules = [], [], [], []
	for i in range(SERVICES):
		name = f"BENCH-SRV-{i:05d}"
		services.append(
			(
				name,
				f"Bench service {i}",
				rng.choice(providers),
				"Active",
				rng.choice([0, 0, 6000, 9000, 15000]),
				rng.choice([0, 0, 50, 200]),
				0,
				5,
				*base.values(),
			)
		)
		for j, need in enumerate(rng.sample(leaves, 2)):
			needs.append(
				(
					frappe.generate_hash(length=10),
					name,
					"Service",
					"need_categories",
					j + 1,
					need,
					*base.values(),
				)
			)
		for j, d in enumerate(rng.sample(districts, rng.choice([0, 1, 2]))):
			sdistricts.append(
				(frappe.generate_hash(length=10), name, "Service", "districts", j + 1, d, *base.values())
			)
		for j, day in enumerate(rng.sample(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], 2)):
			schedules.append(
				(
					frappe.generate_hash(length=10),
					name,
					"Service",
					"schedules",
					j + 1,
					day,
					"09:00:00",
					"12:00:00",
					*base.values(),
				)
			)
	frappe.db.bulk_insert(
		"Service",
		[
			"name",
			"service_name",
			"provider",
			"status",
			"max_isee",
			"capacity",
			"capacity_used",
			"response_deadline_days",
			*base,
		],
		services,
	)
	child = ["name", "parent", "parenttype", "parentfield", "idx"]
	frappe.db.bulk_insert("Service Need Category", [*child, "need_category", *base], needs)
	frappe.db.bulk_insert("Service District", [*child, "district", *base], sdistricts)
	frappe.db.bulk_insert("Service Schedule", [*child, "weekday", "opens_at", "closes_at", *base], schedules)
	citizens, seen = (
		[],
		set(frappe.get_all("Citizen", filters={"codice_fiscale": ("is", "set")}, pluck="codice_fiscale")),
	)
	while len(citizens) < CITIZENS:
		cf = random_cf()
		if cf in seen:
			continue
		seen.add(cf)
		i = len(citizens)
		citizens.append(
			(
				f"BENCH-CIT-{i:05d}",
				"Bench",
				f"Person {i}",
				f"Bench Person {i}",
				cf,
				rng.choice(providers),
				rng.choice(districts),
				1,
				"Active",
				*base.values(),
			)
		)
	frappe.db.bulk_insert(
		"Citizen",
		[
			"name",
			"first_name",
			"last_name",
			"full_name",
			"codice_fiscale",
			"provider",
			"district",
			"resident_in_turin",
			"status",
			*base,
		],
		citizens,
	)
	frappe.db.commit()


def fill_search_columns() -> None:
	"""What Service.validate keeps on every service (its districts and open days, comma-separated),
	for the services seeded in bulk: matching ranks on these columns, so without them every seeded
	service would look city-wide and closed. Also repairs sites seeded before this was done."""
	frappe.db.sql(
		"""
		update `tabService` s
		left join (
			select parent, group_concat(distinct district order by district) as districts
			from `tabService District` where parenttype = 'Service' group by parent
		) d on d.parent = s.name
		left join (
			select parent, group_concat(distinct weekday order by weekday) as days
			from `tabService Schedule` where parenttype = 'Service' group by parent
		) o on o.parent = s.name
		set s.district_list = coalesce(d.districts, ''), s.open_days = coalesce(o.days, '')
		where s.name like %(prefix)s
		""",
		{"prefix": "BENCH-SRV-%"},
	)
	frappe.db.commit()


def run(rounds: int = 200) -> None:
	seed()
	fill_search_columns()
	frappe.set_user("Administrator")
	org_a, org_b = f"{MARK} 00", f"{MARK} 01"
	reception = make_user("bench-reception@bench.test", ["Reception Operator", "Case Manager"], org_a)
	staff = make_user("bench-staff@bench.test", ["Provider Staff"], org_b)
	citizen = make_citizen(org_a)
	make_household(org_a, [citizen], isee=5000)
	make_consent(citizen.name, org_a, partner=org_b)
	leaves = frappe.get_all("Need Category", filters={"is_group": 0}, pluck="name", limit=3)
	intake = frappe.get_doc(
		{
			"doctype": "Intake",
			"citizen": citizen.name,
			"channel": "Front office",
			"provider": org_a,
			"needs": [{"need_category": n} for n in leaves],
		}
	).insert(ignore_permissions=True)
	service = make_service(org_b, capacity=0)
	# sent by the reception operator, as in real use: each answer notifies them
	frappe.set_user(reception)
	referrals = [
		frappe.get_doc(
			{"doctype": "Referral", "citizen": citizen.name, "service": service.name, "provider": org_a}
		)
		.insert(ignore_permissions=True)
		.name
		for _ in range(rounds)
	]
	frappe.set_user("Administrator")
	frappe.db.commit()

	base = api_url()
	rec, prov = Client(reception), Client(staff)

	def ping():
		return rec.request("GET", "/api/method/ping")

	for _ in range(20):  # warm every worker
		ping()
	ping_suggest, suggest = time_alternating(
		ping,
		lambda: rec.request(
			"GET", "/api/method/tolink.api.desk.suggest_services", params={"intake": intake.name}
		),
		rounds,
	)
	it = iter(referrals)
	ping_respond, respond = time_alternating(
		ping,
		lambda: prov.request(
			"POST",
			"/api/method/tolink.api.partner.respond_to_referral",
			json={"referral": next(it), "decision": "accept"},
		),
		rounds,
	)
	n = len(rec.get("tolink.api.desk.suggest_services", intake=intake.name)[0]["services"])
	print(
		f"\nCare path benchmark on {frappe.local.site} via {base} ({SERVICES} services, {CITIZENS} citizens)"
	)
	print(f"suggest_services: 3 needs, {n} services ranked for the first need")
	print("pings and calls in alternating blocks of 10 on the same server; ratios of the medians")
	report("ping", ping_suggest + ping_respond, ping_suggest + ping_respond)
	report("suggest_services (3 needs)", suggest, ping_suggest, target=10)
	report("respond_to_referral (accept)", respond, ping_respond, target=5)
