"""Real servers for black-box tests and benchmarks: gunicorn (as production runs it), `bench serve` (Desk with
assets, for the browser) and one background worker.

scripts/test.sh lets the first test that needs a server start it; the processes live until the test
run ends. TOLINK_TEST_URL / TOLINK_TEST_DESK_URL point the tests at servers already running instead.
"""

import atexit
import os
import signal
import socket
import subprocess

import frappe
import requests

from tolink.devtools.wait import eventually

BENCH_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
ENV_BIN = os.path.join(BENCH_DIR, "env", "bin")
LOG_DIR = os.path.join(BENCH_DIR, "logs")

_processes: dict[str, subprocess.Popen] = {}


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def _spawn(name: str, args: list[str]) -> subprocess.Popen:
	os.makedirs(LOG_DIR, exist_ok=True)
	log = open(os.path.join(LOG_DIR, f"test-{name}.log"), "ab")
	env = dict(os.environ, PATH=f"{ENV_BIN}:{os.environ.get('PATH', '')}")
	proc = subprocess.Popen(
		args,
		cwd=os.path.join(BENCH_DIR, "sites"),
		stdout=log,
		stderr=subprocess.STDOUT,
		env=env,
		start_new_session=True,
	)
	_processes[name] = proc
	return proc


def _wait_http(url: str, proc: subprocess.Popen, name: str, timeout: float = 90) -> None:
	def answers() -> bool:
		if proc.poll() is not None:
			return True  # no point waiting: reported below
		try:
			requests.get(url, headers=site_headers(), timeout=2)
			return True
		except requests.RequestException:
			return False

	try:
		eventually(answers, timeout=timeout, interval=0.3, message=f"{name} at {url}")
	except TimeoutError as e:
		raise RuntimeError(f"{e}: see logs/test-{name}.log") from e
	if proc.poll() is not None:
		raise RuntimeError(f"{name} exited with {proc.returncode}: see logs/test-{name}.log")


def site_headers() -> dict:
	return {"X-Frappe-Site-Name": frappe.local.site}


def api_url() -> str:
	"""Base URL of a gunicorn server for the test site (started on first use)."""
	if os.environ.get("TOLINK_TEST_URL"):
		return os.environ["TOLINK_TEST_URL"].rstrip("/")
	if "gunicorn" not in _processes:
		port = _free_port()
		proc = _spawn(
			"gunicorn",
			[
				os.path.join(ENV_BIN, "gunicorn"),
				"-b",
				f"127.0.0.1:{port}",
				"-w",
				os.environ.get("TOLINK_TEST_GUNICORN_WORKERS", "4"),
				"-t",
				"120",
				"--preload",
				"frappe.app:application",
			],
		)
		proc.tolink_url = f"http://127.0.0.1:{port}"
		_wait_http(proc.tolink_url + "/api/method/ping", proc, "gunicorn")
	return _processes["gunicorn"].tolink_url


def desk_url() -> str:
	"""Base URL of `bench serve` for the test site: Desk with its assets, for the browser."""
	if os.environ.get("TOLINK_TEST_DESK_URL"):
		return os.environ["TOLINK_TEST_DESK_URL"].rstrip("/")
	if "serve" not in _processes:
		port = _free_port()
		proc = _spawn(
			"serve",
			[
				os.path.join(ENV_BIN, "python"),
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				frappe.local.site,
				"serve",
				"--port",
				str(port),
				"--noreload",
			],
		)
		proc.tolink_url = f"http://127.0.0.1:{port}"
		_wait_http(proc.tolink_url + "/api/method/ping", proc, "serve")
	return _processes["serve"].tolink_url


def ensure_worker() -> None:
	"""One background worker for the bench, as `bench worker` runs it."""
	if "worker" in _processes and _processes["worker"].poll() is None:
		return
	_spawn(
		"worker",
		[os.path.join(ENV_BIN, "python"), "-m", "frappe.utils.bench_helper", "frappe", "worker"],
	)
	from frappe.utils.background_jobs import get_workers

	try:
		eventually(get_workers, timeout=60, interval=0.3, message="the background worker")
	except TimeoutError as e:
		raise RuntimeError(f"{e}: see logs/test-worker.log") from e


def start_worker(queues: str) -> None:
	"""A worker of the bench listening only to `queues` ("short,default", "bulk"...), as the Procfile
	runs them; waits until it has registered."""
	name = "worker-" + queues.replace(",", "-")
	if name in _processes and _processes[name].poll() is None:
		return
	proc = _spawn(
		name,
		[
			os.path.join(ENV_BIN, "python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"worker",
			"--queue",
			queues,
		],
	)
	from frappe.utils.background_jobs import get_workers

	def registered() -> bool:
		if proc.poll() is not None:
			raise RuntimeError(f"worker {queues} exited with {proc.returncode}: see logs/test-{name}.log")
		return any(w.pid == proc.pid for w in get_workers())

	try:
		eventually(registered, timeout=60, interval=0.3, message=f"the worker of {queues}")
	except TimeoutError as e:
		raise RuntimeError(f"{e}: see logs/test-{name}.log") from e


def stop_all() -> None:
	for proc in _processes.values():
		if proc.poll() is None:
			try:
				os.killpg(proc.pid, signal.SIGTERM)
			except ProcessLookupError:
				pass
	for proc in _processes.values():
		try:
			proc.wait(timeout=15)
		except subprocess.TimeoutExpired:
			os.killpg(proc.pid, signal.SIGKILL)
	_processes.clear()


atexit.register(stop_all)
