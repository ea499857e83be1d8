"""Benchmark of the Torino Solidale API under load (issue: vouchers and parcels).

Starts gunicorn (4 workers, as production runs it) on its own site, then:
  1. 32 concurrent clients of 8 shops redeem vouchers (10 € at a time, each voucher worth 100 €,
     more attempts than balance), and retry some requests with the same idempotency key;
  2. 32 concurrent volunteers hand out the last units of one hub's stock.
Prints throughput and p50/p95 latency as ratios against /api/method/ping measured in the same
run by the same number of clients, then verifies: no voucher below zero, no idempotency key
redeemed twice, no negative stock. Target: redemption throughput >= 1/4 of ping's.

Run: scripts/benchmark.sh vouchers
"""

import itertools
import threading
import time
import uuid
from collections import Counter

import frappe

from tolink.benchmarks.common import pct
from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.live_server import api_url
from tolink.devtools.rest import Client, RestError, make_api_key, make_user
from tolink.devtools.vouchers import issue, make_eligible_household, make_programme, make_shop
from tolink.distribution.stock import get_balance

CLIENTS = 32
SHOPS = 8
VOUCHERS = 120
SECONDS = 15


def hammer(make_request, clients: list[Client], seconds: float = SECONDS):
	"""Each client calls make_request(client) in a loop for `seconds`; returns latencies, errors."""
	latencies, errors, samples = [], Counter(), {}
	lock = threading.Lock()
	stop = time.monotonic() + seconds

	def loop(client):
		while time.monotonic() < stop:
			t = time.perf_counter()
			try:
				make_request(client)
				ok = True
			except RestError as e:
				ok = False
				with lock:
					errors[e.status_code] += 1
					samples.setdefault(e.status_code, str(e)[:300])
			elapsed = time.perf_counter() - t
			if ok:
				with lock:
					latencies.append(elapsed)

	threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
	start = time.perf_counter()
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=seconds + 60)
	if any(code >= 500 for code in errors):
		print("   server errors:", {k: v for k, v in samples.items() if k >= 500})
	return latencies, errors, time.perf_counter() - start


def line(name, latencies, elapsed, ping_rps, ping_p50, ping_p95):
	rps = len(latencies) / elapsed
	p50, p95 = pct(latencies, 50), pct(latencies, 95)
	print(
		f"{name:<28} {rps:8.1f} req/s ({rps / ping_rps:5.2f}x ping)   p50 {p50 * 1000:7.1f} ms ({p50 / ping_p50:5.2f}x)"
		f"   p95 {p95 * 1000:7.1f} ms ({p95 / ping_p95:5.2f}x)"
	)
	return rps / ping_rps


def run() -> None:
	frappe.set_user("Administrator")
	tag = uid()
	org = make_provider(f"Bench Comune {tag}")
	shops = [make_shop(f"Bench Shop {tag} {i}") for i in range(SHOPS)]
	# 1,000 € vouchers: 100 redemptions of 10 € each, so the run measures redemptions, not refusals
	programme = make_programme(
		org,
		shops,
		budget=VOUCHERS * 1000 + 1000,
		programme_name=f"Bench {tag}",
		amount_rules=[{"household_size": 1, "amount": 1000}],
	)
	codes = []
	for _ in range(VOUCHERS):
		household, _head = make_eligible_household(org)
		codes.append(issue(programme.name, household.name, org).code)
	merchants = [
		make_user(f"bench-shop-{i}-{tag}@bench.test", ["Merchant"], shop) for i, shop in enumerate(shops)
	]
	bank = make_provider(f"Bench Banco {tag}", provider_type="Food Bank")
	hub = make_hub(bank).name
	receive(hub, "Pasta", 200)
	volunteers = [make_user(f"bench-vol-{i}-{tag}@bench.test", ["Hub Volunteer"], bank) for i in range(4)]
	households = [make_household(org, [make_citizen(org)]).name for _ in range(300)]
	frappe.db.commit()
	keys = [make_api_key(m) for m in merchants]

	base = api_url()
	print(
		f"\nTorino Solidale load benchmark on {frappe.local.site} via {base}: {CLIENTS} clients, {SECONDS}s each phase"
	)
	shop_clients = [Client.with_token(*keys[i % SHOPS]) for i in range(CLIENTS)]
	ping_lat, _e, ping_elapsed = hammer(
		lambda c: c._json(c.request("GET", "/api/method/ping"), "message"), shop_clients
	)
	ping_rps = len(ping_lat) / ping_elapsed
	ping_p50, ping_p95 = pct(ping_lat, 50), pct(ping_lat, 95)
	print(
		f"{'ping':<28} {ping_rps:8.1f} req/s   p50 {ping_p50 * 1000:7.1f} ms   p95 {ping_p95 * 1000:7.1f} ms"
	)

	counter = iter(range(10**9))
	sent_keys = []
	key_lock = threading.Lock()

	def redeem(client):
		n = next(counter)
		code = codes[n % len(codes)]
		if n % 10 == 0 and sent_keys:
			key = sent_keys[-1][1]  # a retry of a recent request: must not redeem twice
			code = sent_keys[-1][0]
		else:
			key = str(uuid.uuid4())
			with key_lock:
				sent_keys.append((code, key))
		client.post("tolink.api.merchant.redeem_voucher", code=code, amount=10, idempotency_key=key)

	lat, errors, elapsed = hammer(redeem, shop_clients)
	ratio = line("redeem_voucher", lat, elapsed, ping_rps, ping_p50, ping_p95)
	print(f"   refused (balance used up: expected once vouchers run dry): {dict(errors)}")

	vol_clients = [Client(volunteers[i % len(volunteers)]) for i in range(CLIENTS)]
	hh = itertools.cycle(households)  # after the stock runs out, every attempt must be refused

	def hand_out(client):
		client.insert(
			{
				"doctype": "Parcel Delivery",
				"hub": hub,
				"household": next(hh),
				"items": [{"aid_item": "Pasta", "qty": 1}],
				"docstatus": 1,
			}
		)

	lat2, errors2, elapsed2 = hammer(hand_out, vol_clients, seconds=8)
	line("parcel delivery (last units)", lat2, elapsed2, ping_rps, ping_p50, ping_p95)
	print(f"   refused (stock exhausted: expected): {dict(errors2)}")

	frappe.db.rollback()
	negative = frappe.db.count("Voucher", {"programme": programme.name, "balance": ("<", 0)})
	over = frappe.db.sql(
		"""select count(*) from `tabVoucher` v where v.programme=%s and v.value <
		(select coalesce(sum(r.amount),0) from `tabVoucher Redemption` r where r.voucher=v.name)""",
		programme.name,
	)[0][0]
	dup = frappe.db.sql(
		"""select count(*) from (select merchant, idempotency_key from `tabVoucher Redemption`
		group by merchant, idempotency_key having count(*) > 1) d"""
	)[0][0]
	mismatch = frappe.db.sql(
		"""select count(*) from `tabVoucher` v where v.programme=%s and abs(v.value - v.balance -
		(select coalesce(sum(r.amount),0) from `tabVoucher Redemption` r where r.voucher=v.name)) > 0.001""",
		programme.name,
	)[0][0]
	stock_left = get_balance(hub, "Pasta")
	min_bin = frappe.db.get_value("Stock Bin", {"hub": hub}, "min(actual_qty)")
	print("\nVerification")
	print(
		f"   vouchers below zero: {negative}   redeemed beyond value: {over}   balance != value - redemptions: {mismatch}"
	)
	print(f"   idempotency keys redeemed twice: {dup}")
	print(f"   stock left: {stock_left}   lowest bin: {min_bin}   parcels delivered: {len(lat2)}")
	inconsistencies = negative + over + dup + mismatch + int(stock_left < 0) + int((min_bin or 0) < 0)
	print(f"   inconsistencies: {inconsistencies}")
	print(
		f"\nTarget: redemption throughput >= 0.25x ping: {'OK' if ratio >= 0.25 else 'BELOW TARGET'} ({ratio:.2f}x)"
	)
