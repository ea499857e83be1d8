"""Shared pieces of the benchmark scripts: a gunicorn server, timing, ratios against ping.

Benchmarks print figures; they are not tests. Every figure is a ratio against Frappe's own
/api/method/ping measured on the same server in the same run, so machines compare fairly.
"""

import statistics
import time
from collections.abc import Callable

import requests


def time_calls(fn: Callable[[], requests.Response], n: int) -> list[float]:
	samples = []
	for _ in range(n):
		t = time.perf_counter()
		r = fn()
		samples.append(time.perf_counter() - t)
		if r.status_code != 200:
			raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
	return samples


def time_alternating(
	ping: Callable[[], requests.Response], fn: Callable[[], requests.Response], n: int, block: int = 10
) -> tuple[list[float], list[float]]:
	"""n pings and n calls of fn, in alternating blocks (10 pings, 10 calls, 10 pings...): both see
	the same server load over the run, so their ratio does not depend on what else the machine was
	doing at one moment; within a block, calls follow each other as in a plain loop."""
	pings, samples = [], []
	while len(samples) < n:
		k = min(block, n - len(samples))
		pings.extend(time_calls(ping, k))
		samples.extend(time_calls(fn, k))
	return pings, samples


def pct(samples: list[float], p: float) -> float:
	s = sorted(samples)
	return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def report(name: str, samples: list[float], ping: list[float], target: float | None = None) -> float:
	ratio = statistics.median(samples) / statistics.median(ping)
	verdict = "" if target is None else ("  OK" if ratio <= target else f"  ABOVE TARGET {target}x")
	print(
		f"{name:<34} p50 {statistics.median(samples) * 1000:8.2f} ms   p95 {pct(samples, 95) * 1000:8.2f} ms"
		f"   {ratio:6.2f}x ping{verdict}"
	)
	return ratio
