"""Proof by attack: every whitelisted method of Frappe and of the app, enumerated at runtime, called
over HTTP as every role of another organisation (and as Guest) with hostile arguments: sub-queries
and functions in fields, order and group, string, nested, child and link filters, switches such as
ignore_user_permissions, foreign users and A's record names. Every doctype is also listed, read and
written through /api/resource and /api/v2.

The test fails when an answer (body or headers) holds a canary of organisation A (a codice fiscale,
note texts, an ISEE value, a voucher code), when a filter on A's record only is answered with a
positive count, when the server answers 5xx (malformed input must get a 4xx), or when one of A's
records, the traces around them or the fuzzing users' own accounts changed.

It does not depend on the exact refusal codes: 403, 404 and 417 are all fine."""

import json
import time
from collections import Counter, defaultdict

import frappe

from tolink.api import endpoints
from tolink.devtools.factories import make_provider, uid
from tolink.devtools.live_server import api_url
from tolink.devtools.rest import Client, make_user
from tolink.tests import fuzz
from tolink.tests.case import CommittingTestCase
from tolink.tests.e2e.test_access_matrix import OUTSIDERS, build_records

ISEE = 7123.45


class TestAPIFuzzer(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.s = s
		cls.org_a, cls.org_b = make_provider(f"Fuzz A {s}"), make_provider(f"Fuzz B {s}")
		cls.records = build_records(cls.org_a, s)
		cls.canaries = seed_canaries(cls.records, s)
		cls.insiders = {
			"case_manager_a": f"cm-a-{s}@matrix.test",
			"psychologist_a": f"psy-a-{s}@matrix.test",
			"reception_a": make_user(f"fz-reception-a-{s}@fuzz.test", ["Reception Operator"], cls.org_a),
		}
		cls.users = {
			who: make_user(f"fz-{who}-{s}@fuzz.test", roles, None if who == "no_organisation" else cls.org_b)
			for who, roles in OUTSIDERS.items()
		}
		frappe.db.commit()

	def test_no_method_leaks_or_changes_another_organisations_records(self):
		started = time.monotonic()
		for who, user in self.users.items():
			self.assertNotIn("System Manager", frappe.get_roles(user), f"{who} must be an ordinary user")
		base = api_url()
		clients = {who: Client(user) for who, user in self.users.items()}
		clients["guest"] = Client()
		insider_clients = {who: Client(user) for who, user in self.insiders.items()}
		runner = fuzz.Runner(base, {**clients, **insider_clients}, list(self.canaries.values()))

		# the detector works: A's own staff do get every canary through ordinary calls
		self.assert_insiders_see_the_canaries(runner)

		failed_imports = fuzz.import_everything()
		functions, controller = fuzz.whitelisted_methods()
		by_module = doctypes_by_module()
		controller = [(m, by_module.get(m.fn.__module__)) for m in controller]
		doctypes = frappe.get_all("DocType", filters={"issingle": 0}, pluck="name", order_by="name")
		hub = frappe.db.get_value("Parcel Delivery", self.records["Parcel Delivery"], "hub")
		ctx = {
			"records": self.records,
			"org_a": self.org_a,
			"insider": self.insiders["case_manager_a"],
			"card_code": frappe.db.get_value("Household", self.records["Household"], "card_code"),
			"hub": hub,
			"record_params": {frappe.scrub(dt): name for dt, name in self.records.items()} | {"hub": hub},
			"write": {"notes": "fuzz", "provider": self.org_b},
			"write_by_doctype": writes(self.org_b),
		}
		calls = fuzz.build_calls(functions, controller, doctypes, {**self.users, "guest": "Guest"}, ctx)
		enumerated = time.monotonic()

		watched = list(self.users.values())
		before = fuzz.snapshot(self.records, watched)
		# end the transaction: its metadata locks would block a DDL a method runs (adding _user_tags
		# to a table), and every query behind that DDL
		frappe.db.commit()
		outcomes = fuzz.Runner(base, clients, list(self.canaries.values())).run(calls)
		frappe.db.rollback()  # a new transaction: see what the server committed
		after = fuzz.snapshot(self.records, watched)
		finished = time.monotonic()

		leaks = sorted({describe(o) for o in outcomes if o.leak})
		errors = sorted(
			{
				describe(o)
				for o in outcomes
				if o.status >= 500 and fuzz.EXPECTED_5XX.get(o.call.method, (None,))[0] != o.status
			}
		)
		unanswered = sorted({describe(o) for o in outcomes if o.status <= 0})
		changed = fuzz.differences(before, after)
		sessions = [who for who, c in clients.items() if who != "guest" and logged_user(c) != self.users[who]]

		statuses = Counter(o.status for o in outcomes)
		methods = {o.call.method for o in outcomes}
		# every endpoint of the registry (tolink.api) was found among the whitelisted methods and
		# called (answered), the public ones also as Guest
		registry = endpoints()
		answered = {o.call.method for o in outcomes if o.status > 0}
		as_guest = {o.call.method for o in outcomes if o.status > 0 and o.call.who == "guest"}
		not_enumerated = sorted(set(registry) - {m.path for m in functions})
		not_called = sorted(set(registry) - answered)
		not_called += sorted(p for p, e in registry.items() if e.allow_guest and p not in as_guest)
		slow = sorted(outcomes, key=lambda o: -o.elapsed)[:5]
		lines = [
			f"fuzzed {len(functions)} whitelisted functions + {len(controller)} controller methods + "
			f"{len(doctypes)} doctypes ({len(methods)} targets) x {len(clients)} roles = "
			f"{len(outcomes):,} calls in {finished - enumerated:.0f}s (setup {enumerated - started:.0f}s): "
			f"{len(leaks)} leaks, {len(errors)} server errors, {len(changed)} changed records",
			"answers by status: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(statuses.items())),
			f"modules that did not import: {len(failed_imports)}",
			"skipped methods: "
			+ "; ".join(f"{path} ({reason})" for path, reason in fuzz.SKIPPED_METHODS.items()),
			"slowest: " + "; ".join(f"{o.call.method} {o.elapsed:.1f}s" for o in slow),
			f"registry endpoints called: {len(registry) - len(set(not_called))} of {len(registry)}",
		]
		print("\n".join(lines))
		report = [
			*lines,
			*grouped("LEAK", leaks),
			*grouped("5xx", errors),
			*(f"UNANSWERED {u}" for u in unanswered[:30]),
			*(f"CHANGED {c}" for c in changed),
			*(f"SESSION LOST {who}" for who in sessions),
			*(f"NOT ENUMERATED {path}" for path in not_enumerated),
			*(f"NOT CALLED {path}" for path in not_called),
		]
		write_report(report)
		self.assertEqual(not_enumerated, [], "registry endpoints missing from frappe.whitelisted")
		self.assertEqual(not_called, [], "registry endpoints the fuzzer did not call")
		self.assertEqual(sessions, [], "a fuzzing session was ended: later calls were blind")
		self.assertEqual(changed, [], "\n".join(report))
		self.assertEqual(leaks, [], "\n".join(report))
		self.assertEqual(errors, [], "\n".join(report))

	def assert_insiders_see_the_canaries(self, runner: fuzz.Runner):
		r = self.records
		controls = [
			("case_manager_a", f"/api/resource/Citizen/{r['Citizen']}", "codice_fiscale"),
			("case_manager_a", f"/api/resource/Citizen/{r['Citizen']}", "last_name"),
			("case_manager_a", f"/api/resource/Citizen/{r['Citizen']}", "citizen_notes"),
			("case_manager_a", f"/api/resource/Household/{r['Household']}", "isee"),
			("case_manager_a", f"/api/resource/Case Note/{r['Case Note']}", "case_note"),
			("case_manager_a", f"/api/resource/Helpline Call/{r['Helpline Call']}", "helpline_call"),
			("psychologist_a", f"/api/resource/Support Session/{r['Support Session']}", "support_session"),
			("case_manager_a", f"/api/resource/Voucher/{r['Voucher']}", "voucher_code"),
		]
		for who, path, canary in controls:
			outcome = runner.one(fuzz.Call(who, "GET", path, {}, path, "control"))
			self.assertEqual(outcome.status, 200, f"{who} {path}")
			self.assertTrue(outcome.leak, f"the detector misses {canary} in {path} read by {who}")
		# the sub-query form itself works against the database (Frappe passes it to SQL as sent)
		row = frappe.db.sql(
			"select " + fuzz.subquery_fields("Citizen")[1] + " from `tabCitizen` limit 1", as_dict=True
		)
		self.assertIn(self.canaries["codice_fiscale"], row[0]["leak_0"])


def seed_canaries(records: dict[str, str], s: str) -> dict[str, str]:
	"""Distinctive values in A's records; none of them is ever sent by the fuzzer."""
	cit = records["Citizen"]
	values = {
		"citizen_notes": f"CANARINO{s}".upper(),
		"case_note": f"NOTARISERVATA{s}".upper(),
		"helpline_call": f"TELEFONATARISERVATA{s}".upper(),
		"support_session": f"SEDUTARISERVATA{s}".upper(),
	}
	frappe.db.set_value("Citizen", cit, "notes", values["citizen_notes"], update_modified=False)
	frappe.db.set_value("Case Note", records["Case Note"], "note", values["case_note"], update_modified=False)
	frappe.db.set_value(
		"Helpline Call", records["Helpline Call"], "notes", values["helpline_call"], update_modified=False
	)
	frappe.db.set_value(
		"Support Session",
		records["Support Session"],
		"notes",
		values["support_session"],
		update_modified=False,
	)
	frappe.db.set_value("Household", records["Household"], "isee_value", ISEE, update_modified=False)
	frappe.db.commit()
	values |= {
		"codice_fiscale": frappe.db.get_value("Citizen", cit, "codice_fiscale"),
		"last_name": f"Segreto{s}",
		"isee": f"{ISEE}",
		"voucher_code": frappe.db.get_value("Voucher", records["Voucher"], "code"),
	}
	return values


def writes(org_b: str) -> dict[str, dict]:
	"""What an outsider tries to write into A's records: server-owned fields, the owning
	organisation, personal data."""
	common = {"provider": org_b}
	return {
		"Citizen": {**common, "notes": "fuzz", "status": "Anonymised", "codice_fiscale": ""},
		"Household": {**common, "isee_value": 1, "card_code": "FUZZ"},
		"Consent": {**common, "status": "Withdrawn"},
		"Intake": {**common, "status": "Closed"},
		"Welfare Plan": {**common, "status": "Closed"},
		"Referral": {**common, "status": "Accepted", "escalation_level": 3},
		"Case Note": {**common, "note": "fuzz", "visibility": "Network"},
		"Helpline Call": {**common, "notes": "fuzz"},
		"Support Session": {**common, "notes": "fuzz"},
		"Voucher": {
			**common,
			"balance": 99999,
			"value": 99999,
			"expiry_date": "2099-12-31",
			"status": "Active",
		},
		"Voucher Application": {
			**common,
			"status": "Approved",
			"proposed_amount": 99999,
			"voucher": "VCH-FUZZ",
			"refusal_reason": "fuzz",
		},
		"Parcel Delivery": {**common, "docstatus": 2},
		"Distribution Round": {**common, "status": "Closed"},
		"Personal Data Access Log": {"user": "Administrator", "endpoint": "fuzz"},
	}


def doctypes_by_module() -> dict[str, str]:
	"""The Python module of each doctype's controller -> the doctype."""
	from frappe.modules.utils import get_module_name

	out = {}
	for name, module in frappe.get_all(
		"DocType", filters={"custom": 0}, fields=["name", "module"], as_list=True
	):
		app = frappe.local.module_app.get(frappe.scrub(module))
		if app:
			out[get_module_name(name, module, app=app)] = name
	return out


def logged_user(client: Client) -> str | None:
	r = client.request("GET", "/api/method/frappe.auth.get_logged_user")
	return r.json().get("message") if r.status_code == 200 else None


def describe(o: fuzz.Outcome) -> str:
	c = o.call
	args = json.dumps(c.args, default=str)
	return (
		f"{c.method} | {c.who} | {c.verb} {c.path} [{c.variant}] -> {o.status} {o.leak or ''} | {args[:400]}"
	)


def grouped(tag: str, items: list[str]) -> list[str]:
	"""One line per method with the roles and the first example, then the count."""
	by_method = defaultdict(list)
	for item in items:
		by_method[item.split(" | ", 1)[0]].append(item)
	out = []
	for method, rows in sorted(by_method.items()):
		roles = sorted({row.split(" | ")[1] for row in rows})
		out.append(f"{tag} {method} ({len(rows)} calls; roles: {', '.join(roles)})\n    e.g. {rows[0]}")
	return out


def write_report(lines: list[str]) -> None:
	import os

	path = os.path.join(frappe.utils.get_bench_path(), ".test-results", frappe.local.site)
	os.makedirs(path, exist_ok=True)
	with open(os.path.join(path, "api-fuzzer.txt"), "w") as f:
		f.write("\n".join(lines) + "\n")
