"""Health of a To Link site: database, cache Redis, queue Redis, scheduler, background workers.

`GET /api/method/tolink.api.public.health` (no login) answers 200 when everything is up and 503
otherwise; `bench --site SITE tolink-health` prints the same checks. It reveals states only: no
versions, host names, counts of records or personal data.
"""

import time

import frappe
import redis
from frappe.utils.scheduler import is_scheduler_inactive

HEARTBEAT_KEY = "tolink:scheduler_heartbeat"
# the heartbeat job runs every minute; a scheduler silent for longer than this is stalled
HEARTBEAT_MAX_AGE = 5 * 60
REDIS_TIMEOUT = 1.5


def _ok(detail=""):
	return {"status": "ok", "detail": detail}


def _error(detail):
	return {"status": "error", "detail": detail}


def check_database():
	try:
		frappe.db.sql("select 1")
		return _ok()
	except Exception:
		return _error("database unreachable")


def _ping_redis(url):
	conn = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
	try:
		return conn.ping()
	finally:
		conn.close()


def check_redis(conf_key):
	url = frappe.conf.get(conf_key)
	if not url:
		return _error(f"{conf_key} not configured")
	try:
		_ping_redis(url)
		return _ok()
	except Exception:
		return _error("unreachable")


def check_workers():
	try:
		from frappe.utils.background_jobs import get_workers

		workers = get_workers()
	except Exception:
		return _error("queue unreachable")
	if not workers:
		return _error("no background worker running")
	return _ok()


def check_scheduler():
	if is_scheduler_inactive(verbose=False):
		return _error("scheduler disabled")
	try:
		last = frappe.cache.get_value(HEARTBEAT_KEY, shared=False)
	except Exception:
		last = None
	if not last:
		return _error("no scheduler tick seen yet")
	age = time.time() - float(last)
	if age > HEARTBEAT_MAX_AGE:
		return _error("last scheduler tick too old")
	return _ok()


def collect(include_processes: bool = True) -> dict:
	checks = {
		"database": check_database(),
		"cache": check_redis("redis_cache"),
		"queue": check_redis("redis_queue"),
	}
	if include_processes:
		checks["scheduler"] = check_scheduler()
		checks["workers"] = check_workers()
	status = "ok" if all(c["status"] == "ok" for c in checks.values()) else "error"
	return {"status": status, "checks": checks}


def record_scheduler_heartbeat():
	"""Scheduled every minute (hooks.scheduler_events)."""
	frappe.cache.set_value(HEARTBEAT_KEY, time.time())
