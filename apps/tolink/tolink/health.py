"""Health of a To Link site: database, cache Redis, queue Redis, scheduler, background workers, and
the background queues.

`GET /api/method/tolink.api.public.health` (no login) answers 200 when everything is up and 503
otherwise; `bench --site SITE tolink-health` prints the same checks. It reveals states only: no
versions, host names, counts of records or personal data; of the queues, how many jobs wait and
for how long (the bench's, not the site's).

A stopped scheduler and a busy one are told apart:

- **down (error, 503)**: the scheduler is disabled; its heartbeat (a job it enqueues every minute)
  is older than HEARTBEAT_MAX_AGE and no heartbeat job is waiting (the scheduler process stopped);
  or a queue has no worker listening to it (its jobs would wait for ever).
- **backlog (200)**: jobs wait, but they will be done: a queue holds more than BACKLOG_SIZE jobs or
  its oldest job has waited more than BACKLOG_AGE seconds; a stale heartbeat whose job is waiting in
  its queue is the scheduler running behind, not a dead one. Each queue's size and the age of its
  oldest job are reported.

Bulk work (notifications after a burst of referral answers) goes to its own queue
(`tolink.network.notifications.bulk_queue`), so a backlog there never delays the scheduler's jobs
(heartbeat, escalations, reminders) in `default`, served by workers that never take bulk (see the
Procfile).
"""

import time
from datetime import timezone

import frappe
import redis
from frappe.utils.background_jobs import get_job, get_queue, get_queue_list, get_redis_conn
from frappe.utils.scheduler import is_scheduler_inactive
from rq import Worker

HEARTBEAT_KEY = "tolink:scheduler_heartbeat"
HEARTBEAT_METHOD = "tolink.health.record_scheduler_heartbeat"
# the heartbeat job runs every minute; a scheduler silent for longer than this is stalled
HEARTBEAT_MAX_AGE = 5 * 60
# a queue is behind when this many jobs wait, or its oldest has waited this long (seconds)
BACKLOG_SIZE = 500
BACKLOG_AGE = 2 * 60
REDIS_TIMEOUT = 1.5

OK, BACKLOG, ERROR = "ok", "backlog", "error"


def _ok(detail=""):
	return {"status": OK, "detail": detail}


def _error(detail):
	return {"status": ERROR, "detail": detail}


def _backlog(detail):
	return {"status": BACKLOG, "detail": detail}


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


def _queue_workers() -> dict[str, int]:
	"""Live workers per queue of this bench (a worker listening to several counts for each)."""
	conn = get_redis_conn()
	counts = {name: 0 for name in get_queue_list()}
	by_qname = {get_queue(name).name: name for name in counts}
	for worker in Worker.all(connection=conn):
		for qname in worker.queue_names():
			if qname in by_qname:
				counts[by_qname[qname]] += 1
	return counts


def check_workers():
	"""Every queue has a worker listening: a queue nobody serves is down, whatever its size."""
	try:
		counts = _queue_workers()
	except Exception:
		return _error("queue unreachable")
	if not any(counts.values()):
		return _error("no background worker running")
	idle = sorted(name for name, n in counts.items() if not n)
	if idle:
		return _error("no worker for queue " + ", ".join(idle))
	return _ok()


def queue_sizes() -> dict[str, dict]:
	"""Each queue: jobs waiting and the age in seconds of the oldest (0 when empty)."""
	now = time.time()
	sizes = {}
	for name in get_queue_list():
		queue = get_queue(name)
		size = queue.count
		age = 0
		if size:
			oldest = queue.get_job_ids(0, 1)
			job = queue.fetch_job(oldest[0]) if oldest else None
			if job and job.enqueued_at:
				# rq keeps naive UTC datetimes
				enqueued = job.enqueued_at.replace(tzinfo=job.enqueued_at.tzinfo or timezone.utc)
				age = max(0, int(now - enqueued.timestamp()))
		sizes[name] = {"size": size, "oldest_age": age}
	return sizes


def check_queues():
	try:
		sizes = queue_sizes()
	except Exception:
		return _error("queue unreachable")
	behind = [
		f"{name}: {q['size']} jobs, oldest waiting {q['oldest_age']} s"
		for name, q in sizes.items()
		if q["size"] >= BACKLOG_SIZE or q["oldest_age"] >= BACKLOG_AGE
	]
	check = _backlog("backlog on " + "; ".join(behind)) if behind else _ok()
	check["queues"] = sizes
	return check


def _waiting_heartbeat_job():
	"""The heartbeat job the scheduler enqueued, if it is still waiting for a worker."""
	try:
		job = get_job(f"scheduled_job::{HEARTBEAT_METHOD}")
		return job if job and job.get_status() == "queued" else None
	except Exception:
		return None


def check_scheduler():
	if is_scheduler_inactive(verbose=False):
		return _error("scheduler disabled")
	try:
		last = frappe.cache.get_value(HEARTBEAT_KEY, shared=False)
	except Exception:
		last = None
	age = time.time() - float(last) if last else None
	if age is not None and age <= HEARTBEAT_MAX_AGE:
		return _ok()
	waiting = _waiting_heartbeat_job()
	if waiting:
		# the scheduler ticks (it enqueued the heartbeat), the workers have not got to it yet
		return _backlog(f"backlog: the scheduler's jobs wait in queue {waiting.origin.rsplit(':', 1)[-1]}")
	if age is None:
		return _error("scheduler stopped: no scheduler tick seen yet")
	return _error(f"scheduler stopped: last tick {int(age // 60)} min ago")


def collect(include_processes: bool = True) -> dict:
	checks = {
		"database": check_database(),
		"cache": check_redis("redis_cache"),
		"queue": check_redis("redis_queue"),
	}
	if include_processes:
		checks["scheduler"] = check_scheduler()
		checks["workers"] = check_workers()
		checks["queues"] = check_queues() if checks["queue"]["status"] == OK else _error("queue unreachable")
	states = {c["status"] for c in checks.values()}
	status = ERROR if ERROR in states else BACKLOG if BACKLOG in states else OK
	return {"status": status, "checks": checks}


def record_scheduler_heartbeat():
	"""Scheduled every minute (hooks.scheduler_events)."""
	frappe.cache.set_value(HEARTBEAT_KEY, time.time())
