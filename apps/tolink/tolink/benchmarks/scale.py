"""City-scale benchmark (issue 11): the same operations timed at 10,000 and at N citizens.

Seeds the city-sized dataset (tolink.benchmarks.scale_seed) to 10,000 citizens, measures, grows
it to N (default 1,000,000) and measures again, in one run against one gunicorn server (4
workers). Every figure is a ratio to /api/method/ping measured in alternating blocks in the same
run (tolink.benchmarks.common). Requests are sent as Desk and the apps send them, as staff of
the largest organisation (the City) and of a small one, through the request gate and row rules.

Targets: every interactive operation <= 10x ping at N and <= 1.5x its own figure at 10,000.
Then the plans (EXPLAIN) of the five slowest queries seen while the operations ran in-process
with the same user, row rules applied.

Run: scripts/benchmark.sh scale [--citizens N]   (site scale.tolink.localhost)
Environment: TOLINK_SCALE_CITIZENS (N), TOLINK_SCALE_FIRST (the small point, 10,000),
TOLINK_SCALE_ALSO (more points between, comma-separated), TOLINK_SCALE_SEED_ONLY=1 (seed and
stop), TOLINK_SCALE_CHUNK (rows per insert chunk).
"""

import json
import os
import statistics
import time
from datetime import date, timedelta

import frappe

from tolink.api import endpoints
from tolink.benchmarks import scale_seed, vouchers
from tolink.benchmarks.common import time_calls
from tolink.devtools.factories import make_consent
from tolink.devtools.live_server import api_url
from tolink.devtools.rest import Client, make_user

PING_TARGET = 10
GROWTH_TARGET = 1.5
BUDGET_S = 1.5  # time spent per operation (at least MIN_ROUNDS calls)
MIN_ROUNDS, MAX_ROUNDS = 4, 12
SLOW_S = 5
SMALL_ORG = f"{scale_seed.PREFIX} Ente 59"
BIG_BANK = f"{scale_seed.PREFIX} Ente 01"
SMALL_BANK = f"{scale_seed.PREFIX} Ente 03"
# the personal-data lists of Desk, with the filter a user typically sets first
LISTS = {
	"Citizen": ("district", "3"),
	"Household": ("status", "Active"),
	"Consent": ("purpose", "Sharing with partner"),
	"Intake": ("status", "Open"),
	"Welfare Plan": ("status", "Active"),
	"Referral": ("status", "Sent"),
	"Case Note": ("visibility", "Network"),
	"Helpline Call": ("reason", "Food"),
	"Parcel Delivery": ("delivery_mode", "Home delivery"),
	"Voucher": ("status", "Partially Redeemed"),
}
HUB_LISTS = ("Parcel Delivery",)
FOOD_BANKS_AND_SHOPS = scale_seed.FOOD_BANKS + scale_seed.SHOPS


class Capture:
	"""Every query run in-process while an operation runs, with its time (to EXPLAIN the slowest)."""

	def __init__(self):
		self.queries: dict[str, tuple[float, str, str]] = {}

	def run(self, label: str, user: str, fn) -> None:
		original = frappe.db.sql
		seen = self.queries

		def timed(query, *args, **kwargs):
			t = time.perf_counter()
			try:
				return original(query, *args, **kwargs)
			finally:
				elapsed = time.perf_counter() - t
				values = args[0] if args else kwargs.get("values")
				text = str(query).strip()
				if text.lower().startswith("select") and len(text) < 20000:
					try:
						sql = frappe.db.mogrify(text, values) if values else text
					except Exception:
						sql = text
					key = " ".join(sql.split())
					if key not in seen or seen[key][0] < elapsed:
						seen[key] = (elapsed, label, sql)

		frappe.set_user(user)
		# a query the server already found slow must not hold the run for minutes here
		original("set session max_statement_time = 20")
		frappe.db.sql = timed
		try:
			fn()
		except Exception as e:
			print(f"   (in-process {label}: {type(e).__name__}: {str(e)[:120]})")
		finally:
			frappe.db.sql = original
			frappe.db.rollback()
			original("set session max_statement_time = 0")
			frappe.set_user("Administrator")
			frappe.local.form_dict = frappe._dict()

	def explain(self, top: int = 5) -> None:
		slowest = sorted(self.queries.values(), key=lambda q: -q[0])[:top]
		print(f"\nPlans of the {top} slowest queries (in-process, the user's row rules applied)")
		for elapsed, label, sql in slowest:
			print(f"\n-- {elapsed * 1000:.1f} ms   {label}\n   {' '.join(sql.split())[:700]}")
			try:
				for row in frappe.db.sql(f"explain {sql}", as_dict=True):  # explain does not run it
					print(
						f"   {row.get('table') or '':<28} {row.get('type') or '':<7} key={row.get('key') or '-':<28}"
						f" rows={row.get('rows')}  {row.get('Extra') or ''}"
					)
			except Exception as e:
				print(f"   (explain failed: {str(e)[:200]})")


def desk_list_params(doctype: str, filters: list | None = None, count: bool = False) -> dict:
	"""What Desk's list view sends (frappe.desk.reportview.get / get_count) for its first page."""
	meta = frappe.get_meta(doctype)
	t = f"`tab{doctype}`"
	if count:
		return {
			"doctype": doctype,
			"filters": json.dumps(filters or []),
			"fields": "[]",
			"distinct": "false",
			"limit": 1001,
		}
	fields = [
		"name",
		"owner",
		"creation",
		"modified",
		"modified_by",
		"_user_tags",
		"_comments",
		"_assign",
		"_liked_by",
		"docstatus",
		"idx",
	]
	for f in meta.fields:
		if (
			(f.in_list_view or f.fieldname in (meta.title_field, "status"))
			and f.fieldtype not in ("Table", "Table MultiSelect", "Text Editor")
			and f.fieldname not in fields
		):
			fields.append(f.fieldname)
	order = f"{t}.`{meta.sort_field or 'modified'}` {(meta.sort_order or 'desc').lower()}"
	return {
		"doctype": doctype,
		"fields": json.dumps([f"{t}.`{f}`" for f in fields]),
		"filters": json.dumps(filters or []),
		"order_by": order,
		"start": 0,
		"page_length": 20,
		"view": "List",
		"group_by": "",
		"with_comment_count": 1,
	}


class Bench:
	def __init__(self):
		self.figures: dict[str, float] = {}  # name -> ratio to ping
		self.ms: dict[str, float] = {}
		self.capture = Capture()
		self.interactive: set[str] = set()

	def time(
		self,
		name: str,
		client: Client,
		method: str,
		params: dict,
		http: str = "GET",
		local: tuple[str, callable] | None = None,
		interactive: bool = True,
		expect=(200,),
	) -> None:
		def call():
			if http == "GET":
				r = client.request("GET", f"/api/method/{method}", params=params)
			else:
				r = client.request("POST", f"/api/method/{method}", json=params)
			if r.status_code not in expect:
				raise RuntimeError(f"{name}: {r.status_code} {r.text[:300]}")
			r.status_code = 200
			return r

		def ping():
			return client.request("GET", "/api/method/ping")

		try:
			t = time.perf_counter()
			call()
			first = time.perf_counter() - t
		except Exception as e:
			print(f"{name:<52} FAILED {str(e)[:200]}")
			return
		rounds = max(MIN_ROUNDS, min(MAX_ROUNDS, int(BUDGET_S / max(first, 1e-3))))
		if first > SLOW_S:
			rounds = 1  # far above any target: one more sample is enough
		pings, samples = [], []
		try:
			while len(samples) < rounds:
				k = min(5, rounds - len(samples))
				pings.extend(time_calls(ping, k))
				samples.extend(time_calls(call, k))
		except Exception as e:
			print(f"{name:<52} FAILED {str(e)[:200]}")
			return
		ratio = statistics.median(samples) / statistics.median(pings)
		self.figures[name] = ratio
		self.ms[name] = statistics.median(samples) * 1000
		if interactive:
			self.interactive.add(name)
		print(f"{name:<52} {self.ms[name]:9.1f} ms {ratio:8.2f}x ping", flush=True)
		if local:
			user, fn = local
			self.capture.run(name, user, lambda: fn(method, params))


def local_call(method: str, params: dict):
	frappe.local.form_dict = frappe._dict(params)
	return frappe.call(frappe.get_attr(method), **params)


def workspace_counts() -> list[tuple[str, str, list]]:
	"""(workspace, label, filters) of every shortcut showing a count, filters as Desk evaluates them."""
	user_expr = "frappe.session.user"
	week = (date.today() + timedelta(days=7)).isoformat()
	out = []
	for ws in frappe.get_all(
		"Workspace", filters={"module": ("in", frappe.get_module_list("tolink"))}, pluck="name"
	):
		doc = frappe.get_doc("Workspace", ws)
		for s in doc.shortcuts:
			if s.type != "DocType" or not s.stats_filter:
				continue
			text = s.stats_filter.replace(user_expr, '"__USER__"').replace(
				"frappe.datetime.add_days(frappe.datetime.get_today(), 7)", f'"{week}"'
			)
			try:
				out.append((ws, s.label or s.link_to, s.link_to, json.loads(text)))
			except ValueError:
				print(f"   (workspace {ws}: {s.label}: filter not understood)")
	return out


def measure(n: int) -> Bench:
	frappe.set_user("Administrator")
	frappe.db.commit()
	b = Bench()
	city, small = scale_seed.CITY, SMALL_ORG
	roles = ["Reception Operator", "Case Manager"]
	big_user = make_user("scale-city@bench.test", roles, city)
	small_user = make_user("scale-small@bench.test", roles, small)
	hub_users = {}
	for org in (BIG_BANK, SMALL_BANK):
		user = make_user(f"scale-hub-{org[-2:]}@bench.test", ["Hub Manager"], org)
		hub = frappe.db.get_value("Distribution Hub", {"provider": org}, "name", order_by="name")
		doc = frappe.get_doc("Distribution Hub", hub)
		if not any(s.user == user for s in doc.staff):
			doc.append("staff", {"user": user, "hub_role": "Hub Manager"})
			doc.save(ignore_permissions=True)
		hub_users[org] = (user, hub)
	frappe.db.commit()
	clients = {u: Client(u) for u in (big_user, small_user, *(u for u, _h in hub_users.values()))}
	for _ in range(20):
		clients[big_user].request("GET", "/api/method/ping")
	print(f"\n=== {n:,} citizens on {frappe.local.site} via {api_url()} ===")
	print(f"{'operation':<52} {'p50':>12} {'ratio':>13}")

	# reception: the codice fiscale typed in the search, and registering someone (duplicate checks)
	sample = frappe.db.get_value(
		"Citizen",
		{"provider": city, "name": ("like", "SCL-CIT-%")},
		["name", "codice_fiscale", "first_name", "last_name", "birth_date", "household"],
		as_dict=True,
		order_by="name desc",
	)
	cf_filter = [["Citizen", "codice_fiscale", "=", sample.codice_fiscale]]
	b.time(
		"reception: codice fiscale lookup (list filter)",
		clients[big_user],
		"frappe.desk.reportview.get",
		desk_list_params("Citizen", cf_filter),
		local=(big_user, local_call),
	)
	b.time(
		"reception: codice fiscale in the Citizen link",
		clients[big_user],
		"frappe.desk.search.search_link",
		{"doctype": "Citizen", "txt": sample.codice_fiscale, "page_length": 10},
		local=(big_user, local_call),
	)
	counter = iter(range(10**6))

	def register():
		i = next(counter) + n * 10 + int(time.time()) % 1000 * 10**4
		birth = sample.birth_date
		cf = scale_seed.codice_fiscale_of(10**8 + i, "M", birth, "L219")
		return {
			"doctype": "Citizen",
			"first_name": sample.first_name,
			"last_name": sample.last_name,
			"codice_fiscale": cf,
			"birth_date": str(birth),
			"sex": "M",
			"district": "3",
		}

	client = clients[big_user]
	samples_reg, pings_reg = [], []
	for _ in range(12):
		pings_reg.extend(time_calls(lambda: client.request("GET", "/api/method/ping"), 1))
		doc = register()
		t = time.perf_counter()
		r = client.request("POST", "/api/resource/Citizen", json=doc)
		samples_reg.append(time.perf_counter() - t)
		if r.status_code != 200:
			print("   register:", r.status_code, r.text[:200])
			break
	if samples_reg:
		name = "reception: register a person (duplicate checks)"
		b.figures[name] = statistics.median(samples_reg) / statistics.median(pings_reg)
		b.ms[name] = statistics.median(samples_reg) * 1000
		b.interactive.add(name)
		print(f"{name:<52} {b.ms[name]:9.1f} ms {b.figures[name]:8.2f}x ping")
	# the duplicate check's queries, in-process
	b.capture.run(
		"reception: duplicate checks",
		big_user,
		lambda: frappe.get_doc(register()).run_method("check_duplicates"),
	)

	# the hub counter: a household's card
	for org, (user, hub) in hub_users.items():
		card = frappe.db.get_value(
			"Household", {"name": ("like", "SCL-HH-%")}, "card_code", order_by="name desc"
		)
		b.time(
			f"hub counter lookup (card) [{org[-7:]}]",
			clients[user],
			"tolink.api.partner.counter_lookup",
			{"hub": hub, "code": card},
			local=(user, local_call),
		)

	# every personal-data list of Desk: first page and count, default sort and one filter
	for doctype, (field, value) in LISTS.items():
		users = (
			[(u, o) for o, (u, _h) in hub_users.items()]
			if doctype in HUB_LISTS
			else [(big_user, "City"), (small_user, "small")]
		)
		for user, who in users:
			who = who if isinstance(who, str) and len(who) < 8 else who[-7:]
			for label, filters in (("", []), (f" {field}=", [[doctype, field, "=", value]])):
				b.time(
					f"list {doctype}{label} [{who}]",
					clients[user],
					"frappe.desk.reportview.get",
					desk_list_params(doctype, filters),
					local=(user, local_call),
				)
				b.time(
					f"count {doctype}{label} [{who}]",
					clients[user],
					"frappe.desk.reportview.get_count",
					desk_list_params(doctype, filters, count=True),
					local=(user, local_call),
				)

	# link search
	for doctype, txt in (("Citizen", "Rossi"), ("Household", "Nucleo Rossi")):
		for user, who in ((big_user, "City"), (small_user, "small")):
			b.time(
				f"search_link {doctype} '{txt}' [{who}]",
				clients[user],
				"frappe.desk.search.search_link",
				{"doctype": doctype, "txt": txt, "page_length": 10},
				local=(user, local_call),
			)

	# the intake form: overview of the person and suggested services
	busy = frappe.db.get_value("Referral", {"provider": city}, "citizen", order_by="name desc")
	b.time(
		"intake: citizen_overview",
		clients[big_user],
		"tolink.api.desk.citizen_overview",
		{"citizen": busy},
		local=(big_user, local_call),
	)
	intake = frappe.db.get_value("Intake", {"provider": city}, "name", order_by="name desc")
	b.time(
		"intake: suggest_services",
		clients[big_user],
		"tolink.api.desk.suggest_services",
		{"intake": intake},
		local=(big_user, local_call),
	)

	# referral respond, by the receiving organisation
	try:
		respond_referrals(b, n, city, small, clients)
	except Exception as e:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		print(f"referral respond FAILED {type(e).__name__}: {str(e)[:200]}")

	# workspace counts, as the City's staff (Desk counts without a limit here)
	for ws, label, doctype, filters in workspace_counts():
		filters = json.loads(json.dumps(filters).replace("__USER__", big_user))
		b.time(
			f"workspace {ws}: {label}",
			clients[big_user],
			"frappe.desk.reportview.get_count",
			{"doctype": doctype, "filters": json.dumps(filters)},
			local=(big_user, local_call),
		)

	# the workspaces' number cards and charts (tolink.api.desk.card_*, chart_*), as the City's staff
	roles = set(frappe.get_roles(big_user))
	for path, e in sorted(endpoints().items()):
		if e.name.startswith(("card_", "chart_")) and roles & e.roles:
			b.time(f"dashboard {e.name}", clients[big_user], path, {}, local=(big_user, local_call))

	# the Service Directory report
	b.time(
		"report Service Directory",
		clients[big_user],
		"frappe.desk.query_report.run",
		{"report_name": "Service Directory", "filters": "{}"},
		local=(big_user, local_call),
	)
	return b


def respond_referrals(b: Bench, n: int, city: str, small: str, clients: dict) -> None:
	# a large partner (not the City): the second organisation by its services
	service, target = frappe.db.get_value(
		"Service",
		# city-wide, no income limit, no capacity limit: every person is eligible
		{
			"provider": scale_seed.organisation_names()[FOOD_BANKS_AND_SHOPS + 1],
			"status": "Active",
			"district_list": "",
			"max_isee": 0,
			"capacity": 0,
		},
		["name", "provider"],
	)
	staff = make_user("scale-partner@bench.test", ["Provider Staff"], target)
	citizen = frappe.db.get_value("Citizen", {"provider": city}, "name", order_by="name desc")
	if not frappe.db.exists(
		"Consent",
		{"citizen": citizen, "partner": target, "purpose": "Sharing with partner", "status": "Active"},
	):
		make_consent(citizen, city, partner=target)
	frappe.set_user("scale-city@bench.test")
	referrals = [
		frappe.get_doc({"doctype": "Referral", "citizen": citizen, "service": service, "provider": city})
		.insert(ignore_permissions=True)
		.name
		for _ in range(MAX_ROUNDS + 2)
	]
	frappe.set_user("Administrator")
	frappe.db.commit()
	client = Client(staff)
	it = iter(referrals)
	pings, samples = [], []
	for _ in range(MAX_ROUNDS):
		pings.extend(time_calls(lambda: client.request("GET", "/api/method/ping"), 1))
		ref = next(it)
		samples.extend(
			time_calls(
				lambda ref=ref: client.request(
					"POST",
					"/api/method/tolink.api.partner.respond_to_referral",
					json={"referral": ref, "decision": "accept"},
				),
				1,
			)
		)
	name = "referral respond (accept)"
	b.figures[name] = statistics.median(samples) / statistics.median(pings)
	b.ms[name] = statistics.median(samples) * 1000
	b.interactive.add(name)
	print(f"{name:<52} {b.ms[name]:9.1f} ms {b.figures[name]:8.2f}x ping")


def vouchers_at_scale() -> None:
	try:
		vouchers.run()
	except Exception as e:
		print(f"voucher benchmark failed: {type(e).__name__}: {str(e)[:300]}")


def database_size() -> tuple[float, list[tuple[str, float, int]]]:
	rows = frappe.db.sql(
		"""select table_name, (data_length + index_length) / 1048576, table_rows
		from information_schema.tables where table_schema = database()
		order by data_length + index_length desc"""
	)
	return sum(r[1] for r in rows), [(r[0], float(r[1]), int(r[2] or 0)) for r in rows]


def run() -> None:
	n = int(os.environ.get("TOLINK_SCALE_CITIZENS") or 1_000_000)
	first = int(os.environ.get("TOLINK_SCALE_FIRST") or 10_000)
	chunk = int(os.environ.get("TOLINK_SCALE_CHUNK") or scale_seed.CHUNK)
	middle = [int(x) for x in (os.environ.get("TOLINK_SCALE_ALSO") or "").split(",") if x.strip()]
	points = sorted({p for p in (first, *middle, n) if p <= n})
	print(f"City-scale benchmark, {date.today()}: points {', '.join(f'{p:,}' for p in points)} citizens")
	results = {}
	for point in points:
		print(f"\nSeeding to {point:,} citizens")
		t = time.perf_counter()
		scale_seed.seed(point, chunk=chunk)
		seconds = time.perf_counter() - t
		total, tables = database_size()
		print(
			f"database: {total:,.0f} MB; largest tables: "
			+ ", ".join(f"{name} {mb:,.0f} MB" for name, mb, _rows in tables[:6])
		)
		if os.environ.get("TOLINK_SCALE_SEED_ONLY"):
			continue
		bench = measure(point)
		print("\nVoucher redemptions at 32 clients (tolink.benchmarks.vouchers) on this dataset")
		vouchers_at_scale()
		results[point] = (bench, seconds, total)
		if point == points[-1]:
			bench.capture.explain()
	if len(results) >= 2:
		summary(results, min(results), max(results))


def summary(results: dict, first: int, n: int) -> None:
	a, b = results[first][0], results[n][0]
	print(
		f"\nSummary: ratio to ping at {first:,} and at {n:,} citizens; targets <= {PING_TARGET}x ping "
		f"at {n:,} and <= {GROWTH_TARGET}x the figure at {first:,}"
	)
	print(f"{'operation':<52} {first:>10,} {n:>10,} {'growth':>7}  verdict")
	failing = 0
	for name in b.figures:
		r1, r2 = a.figures.get(name), b.figures[name]
		growth = r2 / r1 if r1 else float("nan")
		ok = r2 <= PING_TARGET and (r1 is None or growth <= GROWTH_TARGET)
		failing += not ok
		verdict = "OK" if ok else ("ABOVE 10x" if r2 > PING_TARGET else "GREW")
		print(f"{name:<52} {r1 or float('nan'):9.2f}x {r2:9.2f}x {growth:6.2f}x  {verdict}")
	print(f"\n{len(b.figures) - failing} of {len(b.figures)} operations within both targets")
	for point, (_bench, seconds, total) in sorted(results.items()):
		print(f"seeding to {point:,}: {seconds:,.0f} s; database {total:,.0f} MB")
