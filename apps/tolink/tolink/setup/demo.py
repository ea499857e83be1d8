"""A demo network you would believe, for demo sites only (`bench --site SITE tolink-demo`).

Six organisations, twenty services across the districts, 200 citizens in 80 households with valid
codici fiscali, and one demo user per role. Deterministic (fixed seed) and idempotent: a second run
adds nothing. Never called by install: production sites get no demo data.
"""

import random
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, add_months, getdate, today
from frappe.utils.password import update_password

from tolink.registry.codice_fiscale import generate
from tolink.security.accounts import remove_system_manager_from_staff
from tolink.setup.install import TWO_FACTOR_ROLES

DEMO_PASSWORD = "Tolink-Demo-2026!"
DEMO_DOMAIN = "demo.tolink.example"
SEED = 2020

PROVIDERS = [
	# name, type, district, tax id
	("Città di Torino – Servizi Sociali", "Public Service", "1", "00514490010"),
	("Banco Alimentare Torino Nord", "Food Bank", "6", "97512380015"),
	("Parrocchia San Gioacchino – Caritas", "Parish", "7", "97533720017"),
	("Cooperativa Sociale La Rondine", "Social Cooperative", "5", "08753410012"),
	("Associazione Spazio Ascolto", "Association", "8", "97745260018"),
	("Market Borgo Dora", "Shop", "7", "11223340011"),
]

# user, first name, last name, role, provider index
USERS = [
	("accoglienza", "Giulia", "Ferrero", "Reception Operator", 0),
	("casemanager", "Marco", "Bianchi", "Case Manager", 0),
	("ente", "Sara", "Gallo", "Provider Staff", 3),
	("ente2", "Paolo", "Conti", "Provider Staff", 4),
	("snodo", "Luca", "Marino", "Hub Manager", 1),
	("volontario", "Anna", "Greco", "Hub Volunteer", 1),
	("psicologa", "Elena", "Rinaldi", "Psychologist", 4),
	("negozio", "Davide", "Costa", "Merchant", 5),
	("admin", "Chiara", "Fontana", "Network Administrator", 0),
	("monitoraggio", "Roberto", "Barbieri", "Monitoring Officer", 0),
	("approvatore", "Francesca", "Ricci", "Voucher Approver", 0),
]

# name, provider index, need categories, districts, max ISEE, min/max age, capacity, weekdays
SERVICES = [
	(
		"Distribuzione panieri alimentari – Barriera",
		1,
		["Food parcels"],
		["6"],
		9000,
		None,
		None,
		120,
		"Tuesday Friday",
	),
	(
		"Distribuzione panieri alimentari – Vallette",
		1,
		["Food parcels"],
		["5"],
		9000,
		None,
		None,
		80,
		"Wednesday Saturday",
	),
	(
		"Emporio solidale Aurora",
		2,
		["Food parcels", "Shopping vouchers"],
		["7"],
		6000,
		None,
		None,
		60,
		"Monday Thursday",
	),
	(
		"Mensa serale San Gioacchino",
		2,
		["Canteens"],
		[],
		None,
		18,
		None,
		40,
		"Monday Tuesday Wednesday Thursday Friday",
	),
	("Buoni spesa comunali", 0, ["Shopping vouchers"], [], 6000, 18, None, 0, "Monday Wednesday"),
	("Contributo affitto", 0, ["Rent support"], [], 12000, 18, None, 150, "Tuesday"),
	(
		"Pronta accoglienza notturna",
		0,
		["Emergency accommodation"],
		[],
		None,
		18,
		None,
		30,
		"Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
	),
	("Sportello bollette", 3, ["Utility bills"], ["5", "6"], 15000, None, None, 50, "Thursday"),
	(
		"Orientamento al lavoro",
		3,
		["Job search"],
		["4", "5", "6"],
		None,
		18,
		64,
		40,
		"Monday Wednesday Friday",
	),
	(
		"Corso di italiano e cittadinanza digitale",
		3,
		["Digital inclusion", "Education"],
		[],
		None,
		16,
		None,
		25,
		"Tuesday Thursday",
	),
	("Tirocini di inclusione", 3, ["Training"], [], 9360, 18, 64, 20, "Monday"),
	(
		"Supporto psicologico telefonico",
		4,
		["Psychological support"],
		[],
		None,
		18,
		None,
		0,
		"Monday Tuesday Wednesday Thursday Friday",
	),
	("Sportello legale gratuito", 4, ["Legal advice"], ["8"], 15000, 18, None, 30, "Wednesday"),
	(
		"Spazio famiglie e doposcuola",
		4,
		["Family and children", "Education"],
		["8", "1"],
		20000,
		None,
		None,
		35,
		"Monday Wednesday Friday",
	),
	("Ambulatorio solidale", 2, ["Health services"], ["7", "6"], None, None, None, 0, "Saturday"),
	("Reddito di inclusione comunale", 0, ["Income support"], [], 6000, 18, None, 100, "Tuesday Thursday"),
	("Consegna a domicilio anziani soli", 1, ["Food parcels"], ["2", "3"], 9000, 75, None, 40, "Thursday"),
	(
		"Sportello casa Mirafiori",
		0,
		["Rent support", "Emergency accommodation"],
		["2"],
		12000,
		18,
		None,
		40,
		"Wednesday",
	),
	(
		"Laboratorio ricerca attiva del lavoro",
		0,
		["Job search", "Training"],
		["3", "4"],
		None,
		18,
		64,
		30,
		"Tuesday Friday",
	),
	(
		"Centro di ascolto San Salvario",
		4,
		["Psychological support", "Family and children"],
		["8"],
		None,
		None,
		None,
		0,
		"Monday Thursday",
	),
]

STREETS = [
	("Corso Giulio Cesare", "6"),
	("Via Sempione", "6"),
	("Via Cigna", "7"),
	("Corso Vercelli", "6"),
	("Via Nizza", "8"),
	("Via Madama Cristina", "8"),
	("Corso Grosseto", "5"),
	("Via Pietro Cossa", "5"),
	("Corso Racconigi", "3"),
	("Via di Nanni", "3"),
	("Corso Unione Sovietica", "2"),
	("Via Guido Reni", "2"),
	("Via Po", "1"),
	("Corso Vittorio Emanuele II", "1"),
	("Via Cibrario", "4"),
	("Corso Regina Margherita", "7"),
]

LAST_NAMES = [
	"Rossi",
	"Russo",
	"Ferrari",
	"Esposito",
	"Bianchi",
	"Romano",
	"Colombo",
	"Ricci",
	"Marino",
	"Greco",
	"Bruno",
	"Gallo",
	"Conti",
	"De Luca",
	"Mancini",
	"Costa",
	"Giordano",
	"Rizzo",
	"Lombardi",
	"Moretti",
	"Barbieri",
	"Fontana",
	"Santoro",
	"Mariani",
	"Rinaldi",
	"Caruso",
	"Ferrara",
	"Galli",
	"Martini",
	"Leone",
	"El Amrani",
	"Popescu",
	"Okafor",
	"Benali",
	"Ionescu",
	"Diallo",
	"Chen",
	"Hossain",
]
FIRST_NAMES_M = [
	"Giuseppe",
	"Marco",
	"Luca",
	"Andrea",
	"Francesco",
	"Mohamed",
	"Ion",
	"Ahmed",
	"Paolo",
	"Stefano",
	"Matteo",
	"Davide",
]
FIRST_NAMES_F = [
	"Maria",
	"Anna",
	"Giulia",
	"Francesca",
	"Sara",
	"Fatima",
	"Elena",
	"Ioana",
	"Chiara",
	"Laura",
	"Aisha",
	"Sofia",
]
# real Belfiore codes (the codice fiscale check refuses a place that never existed): Torino,
# Moncalieri, Napoli, Palermo, Bari, and the foreign states Romania, Marocco, Nigeria, Senegal
BIRTH_PLACES = ["L219", "L219", "L219", "F335", "F839", "G273", "A662", "Z129", "Z330", "Z335", "Z343"]


class NotADemoSiteError(frappe.ValidationError):
	pass


def install_demo() -> None:
	"""Load the demo network. Refused unless the site is marked as a demo site."""
	if not frappe.conf.get("tolink_demo_site"):
		frappe.throw(
			frappe._(
				"{0} is not a demo site: demo data goes only where site_config.json has tolink_demo_site."
			).format(frappe.local.site),
			NotADemoSiteError,
		)
	rng = random.Random(SEED)
	providers = make_providers()
	make_users(providers)
	# a demo loaded before To Link refused it made the reception operator a System Manager
	remove_system_manager_from_staff()
	enrol_two_factor()
	make_services(providers, rng)
	make_households(providers, rng)
	make_hubs(providers)
	make_vouchers(providers, rng)
	make_pathways(providers, rng)


def make_pathways(providers: list[str], rng: random.Random) -> None:
	"""Work and housing of a few people of the social services: employment profiles, an inclusion
	traineeship in progress at the cooperative, and an eviction whose hearing is within 30 days."""
	city, host = providers[0], providers[3]
	if frappe.db.count("Employment Profile", {"provider": city}):
		return
	adults = frappe.get_all(
		"Citizen",
		filters={
			"provider": city,
			"birth_date": ("<", add_days(today(), -25 * 366)),
			"household": ("is", "set"),
		},
		fields=["name", "household"],
		order_by="name",
		limit=6,
	)
	for i, c in enumerate(adults):
		status = "Unemployed" if i < 3 else rng.choice(["Unemployed", "Inactive", "Employed"])
		frappe.get_doc(
			{
				"doctype": "Employment Profile",
				"citizen": c.name,
				"labour_status": status,
				"status_since": add_days(today(), -rng.randint(90, 900)),
				"did_date": add_days(today(), -rng.randint(30, 80)) if status == "Unemployed" else None,
				"education_level": rng.choice(
					["ISCED 0-2 (up to lower secondary)", "ISCED 3-4 (upper or post-secondary)"]
				),
				"driving_licence": rng.choice(["", "B"]),
				"availability": rng.choice(["Full time", "Part time"]),
				"provider": city,
			}
		).insert(ignore_permissions=True)
	if not adults:
		return
	start = getdate(add_days(today(), -rng.randint(40, 70))).replace(day=1)
	frappe.get_doc(
		{
			"doctype": "Work Measure",
			"citizen": adults[0].name,
			"measure_type": "Inclusion traineeship",
			"status": "In progress",
			"host_organisation": host,
			"host_tutor": "Sara Gallo",
			"start_date": start,
			"end_date": add_days(add_months(start, 6), -1),
			"weekly_hours": 20,
			"monthly_allowance": 600,
			"allowance_paid_by": "Region",
			"provider": city,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Housing Situation",
			"household": adults[-1].household,
			"tenure": "Rented",
			"tenure_since": add_days(today(), -rng.randint(700, 3000)),
			"monthly_rent": rng.choice([450, 520, 610]),
			"arrears_amount": rng.choice([1800, 2400, 3100]),
			"arrears_months": rng.randint(3, 6),
			"morosita_incolpevole": 1,
			"eviction_status": "Hearing scheduled",
			"eviction_notice_date": add_days(today(), -rng.randint(30, 60)),
			"eviction_hearing_date": add_days(today(), rng.randint(8, 25)),
			"provider": city,
		}
	).insert(ignore_permissions=True)


def make_providers() -> list[str]:
	names = []
	for name, ptype, district, tax_id in PROVIDERS:
		if not frappe.db.exists("Provider", name):
			frappe.get_doc(
				{
					"doctype": "Provider",
					"provider_name": name,
					"provider_type": ptype,
					"district": district,
					"tax_id": tax_id,
					"email": f"info.{tax_id}@{DEMO_DOMAIN}",
					"phone": "011 " + str(4000000 + len(names) * 1111),
				}
			).insert(ignore_permissions=True)
		names.append(name)
	return names


def make_users(providers: list[str]) -> None:
	for login, first, last, role, pidx in USERS:
		email = f"{login}@{DEMO_DOMAIN}"
		if frappe.db.exists("User", email):
			continue
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last,
				"language": "it",
				"send_welcome_email": 0,
				"tolink_provider": providers[pidx],
				"roles": [{"role": role}],
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		update_password(email, DEMO_PASSWORD)
	# coordinators receive escalations
	for pidx, login in ((3, "ente"), (4, "ente2"), (1, "snodo"), (0, "casemanager")):
		frappe.db.set_value("Provider", providers[pidx], "coordinator", f"{login}@{DEMO_DOMAIN}")


def enrol_two_factor() -> None:
	"""Demo users whose role asks for a second factor are enrolled already: a demo machine sends no
	email, so Frappe could not deliver the enrolment QR code. `bench --site SITE tolink-demo --otp
	USER` prints their current code (and the key, to add to an authenticator app)."""
	from frappe.twofactor import get_otpsecret_for_, set_default, two_factor_is_enabled_for_

	for login, *_rest in USERS:
		user = f"{login}@{DEMO_DOMAIN}"
		if frappe.db.exists("User", user) and two_factor_is_enabled_for_(user):
			get_otpsecret_for_(user)
			set_default(user + "_otplogin", 1)


def current_otp(user: str) -> tuple[str, str]:
	"""(current code, provisioning URI) of a demo user enrolled for two-factor authentication."""
	import pyotp
	from frappe.twofactor import get_default, get_otpsecret_for_

	if not frappe.conf.get("tolink_demo_site"):
		frappe.throw(frappe._("{0} is not a demo site.").format(frappe.local.site), NotADemoSiteError)
	if not get_default(user + "_otplogin"):
		frappe.throw(frappe._("{0} is not enrolled for two-factor authentication.").format(user))
	totp = pyotp.TOTP(get_otpsecret_for_(user))
	return totp.now(), totp.provisioning_uri(user, issuer_name="To Link (demo)")


def make_services(providers: list[str], rng: random.Random) -> None:
	for name, pidx, needs, districts, max_isee, min_age, max_age, capacity, days in SERVICES:
		if frappe.db.exists("Service", {"service_name": name}):
			continue
		street, street_district = rng.choice(STREETS)
		location = f"Sede {providers[pidx].split(' – ')[0]}"
		service = frappe.get_doc(
			{
				"doctype": "Service",
				"service_name": name,
				"provider": providers[pidx],
				"status": "Active",
				"description": f"<p>{name}: servizio della rete To Link.</p>",
				"how_to_apply": "Presentarsi allo sportello con documento d'identità, oppure tramite invio di un operatore.",
				"eligibility_description": eligibility_text(max_isee, min_age, max_age, districts),
				"need_categories": [{"need_category": n} for n in needs],
				"districts": [{"district": d} for d in districts],
				"max_isee": max_isee or 0,
				"min_age": min_age or 0,
				"max_age": max_age or 0,
				"residency_required": int(bool(max_isee)),
				"required_documents": "Documento d'identità; attestazione ISEE in corso di validità"
				if max_isee
				else "",
				"capacity": capacity,
				"response_deadline_days": rng.choice([3, 5, 7]),
				"locations": [
					{
						"location_name": location,
						"address": f"{street} {rng.randint(1, 180)}, Torino",
						"district": (districts or [street_district])[0],
					}
				],
				"schedules": [
					{
						"location_name": location,
						"weekday": day,
						"opens_at": "09:00:00",
						"closes_at": "12:30:00",
					}
					for day in days.split()
				],
			}
		)
		service.insert(ignore_permissions=True)


def eligibility_text(max_isee, min_age, max_age, districts) -> str:
	parts = []
	if max_isee:
		parts.append(f"ISEE fino a {max_isee:,.0f} €".replace(",", "."))
	if min_age and max_age:
		parts.append(f"età {min_age}-{max_age} anni")
	elif min_age:
		parts.append(f"dai {min_age} anni")
	if districts:
		parts.append("residenti nelle circoscrizioni " + ", ".join(districts))
	return "; ".join(parts) or "Aperto a tutti"


def make_households(providers: list[str], rng: random.Random, households: int = 80, citizens: int = 200):
	# organisations that register people: social services, parish, cooperative, association
	registering = [providers[i] for i in (0, 2, 3, 4)]
	if frappe.db.count("Citizen", {"provider": ("in", registering)}) >= citizens:
		return
	sizes = [1] * households
	for _ in range(citizens - households):
		sizes[rng.randrange(households)] += 1
	used_cf = set()
	for idx, size in enumerate(sizes):
		provider = registering[idx % len(registering)]
		last = rng.choice(LAST_NAMES)
		street, district = rng.choice(STREETS)
		address = f"{street} {rng.randint(1, 200)}, Torino"
		members = []
		head_age = rng.randint(24, 82)
		for m in range(size):
			sex = rng.choice("MF") if m != 1 else ("F" if members and members[0][1] == "M" else "M")
			if m == 0:
				age, relation = head_age, "Head of household"
			elif m == 1 and head_age > 25:
				age, relation = max(19, head_age + rng.randint(-6, 6)), "Spouse/Partner"
			else:
				age, relation = rng.randint(0, max(1, head_age - 19)), "Child"
			first = rng.choice(FIRST_NAMES_M if sex == "M" else FIRST_NAMES_F)
			# never in the future (a baby born "this year" may be due later in the year)
			birth = min(
				date(today_year() - age, rng.randint(1, 12), rng.randint(1, 28)),
				getdate(today()) - timedelta(days=1),
			)
			place = rng.choice(BIRTH_PLACES)
			cf = generate(last, first, birth, sex, place)
			while cf in used_cf:
				birth = birth - timedelta(days=1)
				cf = generate(last, first, birth, sex, place)
			used_cf.add(cf)
			citizen = frappe.get_doc(
				{
					"doctype": "Citizen",
					"first_name": first,
					"last_name": last,
					"codice_fiscale": cf,
					"birth_date": birth,
					"sex": sex,
					"phone": f"3{rng.randint(20, 49)} {rng.randint(1000000, 9999999)}" if age >= 18 else None,
					"address": address,
					"city": "Torino",
					"district": district,
					"resident_in_turin": 1,
					"provider": provider,
				}
			)
			citizen.insert(ignore_permissions=True)
			members.append((citizen.name, sex, relation))
		isee = rng.choice([0, 1800, 3500, 4800, 5900, 7200, 9200, 11500, 14800, 22000])
		frappe.get_doc(
			{
				"doctype": "Household",
				"household_name": f"Nucleo {last}",
				"head_of_household": members[0][0],
				"members": [{"citizen": c, "relation": r, "is_active": 1} for c, _s, r in members],
				"isee_value": isee,
				"isee_valid_until": add_days(today(), rng.randint(-30, 300)),
				"housing_situation": rng.choice(
					["Rented", "Rented", "Social housing", "Hosted", "Precarious", "Owned"]
				),
				"district": district,
				"address": address,
				"provider": provider,
			}
		).insert(ignore_permissions=True)


HUBS = (
	# name, district, address
	("Snodo Barriera di Milano", "6", "Via Sempione 40, Torino"),
	("Snodo Vallette", "5", "Piazza Montale 18, Torino"),
)
HUB_SERVICES = (
	("Distribuzione panieri alimentari – Barriera", "Snodo Barriera di Milano"),
	("Distribuzione panieri alimentari – Vallette", "Snodo Vallette"),
)
STOCK = (
	("Pasta", 300, None),
	("Rice", 120, None),
	("Olive oil", 60, None),
	("Canned tomatoes", 200, None),
	("Legumes", 150, None),
	("UHT milk", 90, 20),
	("UHT milk", 30, 5),
	("Baby food", 40, 60),
	("Hygiene kit", 25, None),
)


def make_hubs(providers: list[str]) -> None:
	"""Two hubs of the food bank, staffed by the demo hub users, with stock and a parcel template."""
	bank = providers[1]
	for name, district, address in HUBS:
		if frappe.db.exists("Distribution Hub", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Distribution Hub",
				"hub_name": name,
				"provider": bank,
				"district": district,
				"address": address,
				"opening_hours": [
					{"weekday": day, "opens_at": "09:00:00", "closes_at": "12:30:00"}
					for day in ("Tuesday", "Friday")
				],
				"staff": [
					{"user": f"snodo@{DEMO_DOMAIN}", "hub_role": "Hub Manager"},
					{"user": f"volontario@{DEMO_DOMAIN}", "hub_role": "Hub Volunteer"},
				],
			}
		).insert(ignore_permissions=True)
		for item, qty, expiry_days in STOCK:
			frappe.get_doc(
				{
					"doctype": "Stock Movement",
					"movement_type": "Receipt",
					"hub": name,
					"source": "Food bank",
					"items": [
						{
							"aid_item": item,
							"qty": qty,
							"lot": f"L{expiry_days}" if expiry_days else None,
							"expiry_date": add_days(today(), expiry_days) if expiry_days else None,
						}
					],
				}
			).submit()
	# the food bank's parcel services are handed out at its hubs: referrals to them reach the hub
	for service_name, hub in HUB_SERVICES:
		service = frappe.db.get_value("Service", {"service_name": service_name}, "name")
		if service and not frappe.db.get_value("Service", service, "distribution_hub"):
			doc = frappe.get_doc("Service", service)
			doc.distribution_hub = hub
			doc.save(ignore_permissions=True)
	for low, high, label, items in (
		(
			1,
			2,
			"Paniere 1-2 persone",
			(("Pasta", 2), ("Canned tomatoes", 2), ("Legumes", 2), ("UHT milk", 2)),
		),
		(
			3,
			0,
			"Paniere famiglia",
			(
				("Pasta", 4),
				("Rice", 2),
				("Canned tomatoes", 4),
				("Legumes", 4),
				("UHT milk", 4),
				("Olive oil", 1),
			),
		),
	):
		if not frappe.db.exists("Parcel Template", label):
			frappe.get_doc(
				{
					"doctype": "Parcel Template",
					"template_name": label,
					"min_household_size": low,
					"max_household_size": high,
					"items": [{"aid_item": i, "qty": q} for i, q in items],
				}
			).insert(ignore_permissions=True)


def make_vouchers(providers: list[str], rng: random.Random) -> None:
	"""A programme of the City taken by the demo shop, and vouchers for a dozen eligible households."""
	name = "Buoni spesa solidali 2026"
	if frappe.db.exists("Voucher Programme", name):
		return
	city, shop = providers[0], providers[5]
	frappe.get_doc(
		{
			"doctype": "Voucher Programme",
			"programme_name": name,
			"funding_source": "OCDPC 658/2020 e fondi comunali",
			"provider": city,
			"budget": 20000,
			"valid_from": add_days(today(), -30),
			"valid_to": add_days(today(), 150),
			"validity_days": 60,
			"max_isee": 9360,
			"amount_rules": [
				{"household_size": 1, "amount": 150},
				{"household_size": 3, "amount": 250},
				{"household_size": 5, "amount": 350},
			],
			"merchants": [{"merchant": shop}],
		}
	).insert(ignore_permissions=True)
	households = frappe.get_all(
		"Household",
		filters={"provider": city, "isee_value": ("<=", 9360), "isee_valid_until": (">=", today())},
		fields=["name", "head_of_household"],
		order_by="name",
		limit=12,
	)
	for i, h in enumerate(households):
		frappe.get_doc(
			{
				"doctype": "Consent",
				"citizen": h.head_of_household,
				"purpose": "Vouchers",
				"given_on": today(),
				"channel": "In person",
				"provider": city,
			}
		).insert(ignore_permissions=True)
		if i >= len(households) - WAITING_FOR_A_VOUCHER:
			continue  # eligible, with consent, no voucher yet: for the application step
		frappe.get_doc(
			{"doctype": "Voucher", "programme": name, "household": h.name, "provider": city}
		).insert(ignore_permissions=True)
	# one application waiting for the approver (approvatore@), proposed by the case manager; the
	# other household is left for a user to propose
	waiting = households[-WAITING_FOR_A_VOUCHER:]
	if waiting:
		frappe.set_user(f"casemanager@{DEMO_DOMAIN}")
		try:
			frappe.get_doc(
				{"doctype": "Voucher Application", "household": waiting[0].name, "programme": name}
			).insert()
		finally:
			frappe.set_user("Administrator")


# eligible demo households left without a voucher, for the application step
WAITING_FOR_A_VOUCHER = 2


def today_year() -> int:
	return getdate(today()).year


def print_summary() -> None:
	counts = {
		dt: frappe.db.count(dt)
		for dt in ("Provider", "Service", "Household", "Citizen", "Distribution Hub", "Voucher")
	}
	print("Demo network: " + ", ".join(f"{n} {dt}" for dt, n in counts.items()))


def print_logins() -> None:
	print(f"\n  Demo users (password {DEMO_PASSWORD}):")
	for login, _first, _last, role, pidx in USERS:
		print(f"    {login + '@' + DEMO_DOMAIN:<40} {role:<22} {PROVIDERS[pidx][0]}")
	otp = [f"{login}@{DEMO_DOMAIN}" for login, _f, _l, role, _p in USERS if role in TWO_FACTOR_ROLES]
	print(f"\n  {', '.join(otp)} also give a verification code (two-factor authentication):")
	print(f"    bench --site {frappe.local.site} tolink-demo --otp {otp[0]}")
	print()
