"""Benchmark of the request gate (tolink.permissions.gate): what deny-by-default costs per request.

Against a gunicorn server (4 workers), in alternating blocks of 10 on the same server:
  - ping as Administrator, whom the gate lets through at once: the baseline;
  - ping as a reception operator: the gate resolves the call and checks the allowlist
    (target: within 1.1x the baseline);
  - a list of citizens with fields, filters and an order (GET /api/resource/Citizen) as the
    reception operator: the full request, for scale.
Then, in this process, the gate alone on that list request (resolve, allowlist, query grammar),
timed over many runs, as a share of ping.

Run: scripts/benchmark.sh gate   (uses the site bench.tolink.localhost)
"""

import json
import statistics
import time

import frappe
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from tolink.benchmarks.common import report, time_alternating
from tolink.devtools.factories import make_citizen
from tolink.devtools.live_server import api_url
from tolink.devtools.rest import Client, make_api_key, make_user
from tolink.permissions.gate import check_request

ORG = "Bench Gate Org"
LIST_PARAMS = {
	"fields": json.dumps(["name", "full_name", "codice_fiscale", "district", "status"]),
	"filters": json.dumps([["district", "in", ["1", "2", "3"]], ["status", "=", "Active"]]),
	"or_filters": json.dumps({"first_name": ["like", "M%"], "last_name": ["like", "R%"]}),
	"order_by": "modified desc",
	"limit_page_length": 20,
}


def gate_alone(user: str, params: dict, runs: int = 2000) -> list[float]:
	"""The gate's own time on GET /api/resource/Citizen?<params>, in this process."""
	from frappe.app import make_form_dict

	environ = EnvironBuilder(
		path="/api/resource/Citizen", method="GET", query_string=params, headers={"Host": frappe.local.site}
	).get_environ()
	frappe.set_user(user)
	samples = []
	try:
		for _ in range(runs):
			frappe.local.request = Request(environ)
			make_form_dict(frappe.local.request)
			t = time.perf_counter()
			check_request()
			samples.append(time.perf_counter() - t)
	finally:
		frappe.local.request = None
		frappe.set_user("Administrator")
	return samples


def run(rounds: int = 400) -> None:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Provider", ORG):
		frappe.get_doc({"doctype": "Provider", "provider_name": ORG, "provider_type": "Association"}).insert(
			ignore_permissions=True
		)
	reception = make_user("bench-gate-reception@bench.test", ["Reception Operator"], ORG)
	if frappe.db.count("Citizen", {"provider": ORG}) < 50:
		for _ in range(50):
			make_citizen(ORG)
	frappe.db.commit()

	base = api_url()
	admin = Client.with_token(*make_api_key("Administrator"))
	staff = Client.with_token(*make_api_key(reception))
	params = LIST_PARAMS

	def ping_admin():
		return admin.request("GET", "/api/method/ping")

	def ping_staff():
		return staff.request("GET", "/api/method/ping")

	def list_staff():
		return staff.request("GET", "/api/resource/Citizen", params=params)

	for _ in range(20):  # warm every worker
		ping_admin(), ping_staff(), list_staff()
	base_ping, gated_ping = time_alternating(ping_admin, ping_staff, rounds)
	base_ping_2, listed = time_alternating(ping_admin, list_staff, rounds)
	alone = gate_alone(reception, params)

	print(f"\nRequest gate benchmark on {frappe.local.site} via {base}")
	print("pings and calls in alternating blocks of 10 on the same server; ratios of the medians")
	report("ping (Administrator, no gate)", base_ping, base_ping)
	report("ping through the gate (staff)", gated_ping, base_ping, target=1.1)
	report("Citizen list (staff, gated)", listed, base_ping_2)
	gate_ms = statistics.median(alone) * 1000
	ping_ms = statistics.median(base_ping + base_ping_2) * 1000
	print(
		f"{'gate alone on that list request':<34} p50 {gate_ms:8.3f} ms"
		f"   (ping + gate) / ping = {(ping_ms + gate_ms) / ping_ms:5.3f}x"
	)
