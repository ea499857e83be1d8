"""Queues under a burst (black box, real Redis and real workers): bulk jobs on their own queue
never delay the short jobs and the scheduler's heartbeat, and the health check reports the backlog
with its size and age instead of a dead scheduler."""

import ast
import os
import time
from unittest import mock

import frappe
import requests
from frappe.utils.background_jobs import create_job_id, get_queue, get_queues_timeout, get_redis_conn
from frappe.utils.scheduler import disable_scheduler, enable_scheduler
from rq import Queue
from rq.job import Job

from tolink import health
from tolink.care_path import notifications as care_path_notifications
from tolink.devtools.factories import uid
from tolink.devtools.live_server import BENCH_DIR, api_url, site_headers, start_worker
from tolink.devtools.wait import eventually
from tolink.network.notifications import BULK_QUEUE, bulk_queue
from tolink.tests.case import CommittingTestCase

STATUS = "/api/method/tolink.api.public.health"
BURST = 3000
# the workers of the Procfile: time-critical queues, long jobs, bulk
PROCFILE_WORKERS = ("short,default", "long,default,short", "bulk")


def heartbeat() -> float:
	frappe.local.cache.clear()  # the value in Redis, not this process's copy
	return float(frappe.cache.get_value(health.HEARTBEAT_KEY) or 0)


def delete_jobs(job_ids) -> None:
	conn = get_redis_conn()
	for ids in frappe.utils.create_batch(list(job_ids), 500):
		for job in Job.fetch_many([create_job_id(i) for i in ids], connection=conn):
			if job:
				job.delete()


class TestBulkQueue(CommittingTestCase):
	"""Where the app's bulk jobs go."""

	def test_the_bench_declares_the_bulk_queue(self):
		# written by migrate (tolink.setup.install.ensure_bulk_queue)
		self.assertIn(BULK_QUEUE, get_queues_timeout())
		self.assertEqual(bulk_queue(), BULK_QUEUE)

	def test_the_procfile_runs_a_worker_per_queue_and_bulk_apart(self):
		with open(os.path.join(BENCH_DIR, "Procfile")) as f:
			workers = [
				set(line.split("--queue", 1)[1].split()[0].split(","))
				for line in f
				if line.startswith("worker") and "--queue" in line
			]
		self.assertTrue(workers)
		# every queue is served, and no worker of the time-critical queues takes bulk jobs
		self.assertEqual(set().union(*workers), set(get_queues_timeout()))
		for queues in workers:
			if queues & {"short", "default"}:
				self.assertNotIn(BULK_QUEUE, queues)

	def test_every_job_of_the_app_names_its_queue(self):
		"""A job enqueued without a queue lands on `default`, beside the scheduler's: name it
		(bulk_queue() for notifications and other work made in bursts)."""
		app = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
		unnamed = []
		for folder, _dirs, files in os.walk(app):
			if any(part in folder for part in ("/tests", "/benchmarks", "/devtools")):
				continue
			for file in files:
				if not file.endswith(".py") or file.startswith("test_"):
					continue
				path = os.path.join(folder, file)
				with open(path) as f:
					tree = ast.parse(f.read())
				for node in ast.walk(tree):
					if not isinstance(node, ast.Call):
						continue
					name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
					if name in ("enqueue", "enqueue_doc") and "queue" not in {k.arg for k in node.keywords}:
						unnamed.append(f"{os.path.relpath(path, app)}:{node.lineno}")
		self.assertEqual(unnamed, [], "jobs enqueued without naming their queue")

	def test_referral_notifications_go_to_the_bulk_queue(self):
		referral = frappe._dict(name="REF-X", status="Accepted")
		referral.get_doc_before_save = lambda: frappe._dict(status="Sent")
		with mock.patch.object(care_path_notifications.frappe, "enqueue") as enqueue:
			care_path_notifications.notify_referral_change(referral)
		self.assertEqual(enqueue.call_args.kwargs["queue"], BULK_QUEUE)
		self.assertEqual(enqueue.call_args.kwargs["referral"], "REF-X")


class TestHealthTellsBacklogFromStopped(CommittingTestCase):
	"""The scheduler's check against real Redis."""

	def setUp(self):
		enable_scheduler()
		frappe.db.commit()

	def tearDown(self):
		disable_scheduler()
		frappe.cache.delete_value(health.HEARTBEAT_KEY)
		frappe.db.commit()

	def test_stale_heartbeat_with_nothing_waiting_is_a_stopped_scheduler(self):
		frappe.cache.set_value(health.HEARTBEAT_KEY, time.time() - 3600)
		check = health.check_scheduler()
		self.assertEqual(check["status"], health.ERROR)
		self.assertIn("stopped", check["detail"])

	def test_stale_heartbeat_whose_job_waits_is_a_backlog(self):
		"""The scheduler enqueued its heartbeat and the job waits: running behind, not dead."""
		frappe.cache.set_value(health.HEARTBEAT_KEY, time.time() - 3600)
		# a queue no worker serves holds the heartbeat job, as a long default queue would
		queue = Queue(f"tolink-test-nobody-{uid()}", connection=get_redis_conn())
		job = queue.enqueue_call(
			"frappe.ping", job_id=create_job_id(f"scheduled_job::{health.HEARTBEAT_METHOD}")
		)
		self.addCleanup(queue.delete, delete_jobs=True)
		self.addCleanup(job.delete)
		check = health.check_scheduler()
		self.assertEqual(check["status"], health.BACKLOG, check)
		self.assertIn("backlog", check["detail"])
		self.assertIn(queue.name, check["detail"])

	def test_fresh_heartbeat_is_ok(self):
		health.record_scheduler_heartbeat()
		self.assertEqual(health.check_scheduler()["status"], health.OK)


class TestBurstOfBulkJobs(CommittingTestCase):
	"""A few thousand bulk notification jobs at once, the Procfile's workers serving them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		assert BULK_QUEUE in get_queues_timeout(), "the bench does not declare the bulk queue: run migrate"
		for queues in PROCFILE_WORKERS:
			start_worker(queues)
		cls.url = api_url() + STATUS
		cls.s = uid()
		cls.job_ids = []
		cls.addClassCleanup(cls.clean_up)

	@classmethod
	def clean_up(cls):
		delete_jobs(cls.job_ids)
		disable_scheduler()
		frappe.cache.delete_value(health.HEARTBEAT_KEY)
		frappe.db.commit()

	def enqueue_burst(self) -> None:
		"""The job a referral answer enqueues, for referrals that no longer exist: each is tiny (one
		query), so the test measures the queueing, not the work."""
		for i in range(BURST):
			job_id = f"tolink-queue-test-{self.s}-{i}"
			self.job_ids.append(job_id)
			frappe.enqueue(
				"tolink.care_path.notifications.deliver_referral_notifications",
				queue=bulk_queue(),
				job_id=job_id,
				referral=f"QUEUE-TEST-{self.s}-{i}",
				change="decision",
				actor="Administrator",
			)

	def test_short_jobs_and_the_heartbeat_pass_a_burst_of_bulk_jobs(self):
		enable_scheduler()
		frappe.cache.set_value(health.HEARTBEAT_KEY, 0)  # stale: the scheduler must prove itself
		frappe.db.commit()
		bulk = get_queue(BULK_QUEUE)

		self.enqueue_burst()
		burst_done = time.monotonic()
		self.assertGreaterEqual(bulk.count, BURST // 2)

		# a short job, and the heartbeat enqueued the way the scheduler does every minute
		# (the queues are the bench's: jobs other sites left in them are served first, so the
		# time allowed grows with them; on a bench of its own nothing is ahead)
		ahead = get_queue("short").count + get_queue("default").count
		short_id = f"tolink-queue-test-{self.s}-short"
		self.job_ids.append(short_id)
		frappe.enqueue("frappe.ping", queue="short", job_id=short_id)
		frappe.get_doc("Scheduled Job Type", {"method": health.HEARTBEAT_METHOD}).enqueue(force=True)
		started = time.time()
		allowed = min(30 + 3 * ahead, 75)

		def short_done():
			job = Job.fetch(create_job_id(short_id), connection=get_redis_conn())
			return job.get_status() == "finished"

		eventually(short_done, timeout=allowed, interval=0.2, message="the short job")
		left_to_wait = max(5, allowed - (time.time() - started))
		eventually(
			lambda: heartbeat() >= started, timeout=left_to_wait, interval=0.2, message="the heartbeat"
		)
		waited = time.monotonic() - burst_done
		left = bulk.count
		print(
			f"short job and heartbeat done {waited:.1f} s after a burst of {BURST} bulk jobs"
			f" ({ahead} jobs of other sites ahead of them); {left} bulk jobs left"
		)
		# they did not wait for the burst: the bulk queue is still long
		self.assertGreaterEqual(left, health.BACKLOG_SIZE, "the bulk queue drained before the check")

		# the health check: a backlog with its size and age, the scheduler up
		time.sleep(1)  # the oldest bulk job is at least a second old
		r = requests.get(self.url, headers=site_headers(), timeout=30)
		self.assertEqual(r.status_code, 200, r.text)
		report = r.json()["message"]
		self.assertEqual(report["status"], health.BACKLOG, report)
		self.assertEqual(report["checks"]["scheduler"]["status"], health.OK, report)
		self.assertEqual(report["checks"]["workers"]["status"], health.OK, report)
		queues = report["checks"]["queues"]
		self.assertEqual(queues["status"], health.BACKLOG, queues)
		self.assertTrue(queues["detail"].startswith("backlog on "), queues)
		self.assertIn("bulk: ", queues["detail"])
		self.assertGreaterEqual(queues["queues"]["bulk"]["size"], health.BACKLOG_SIZE)
		self.assertGreaterEqual(queues["queues"]["bulk"]["oldest_age"], 1)
		self.assertLess(queues["queues"]["short"]["size"], health.BACKLOG_SIZE)
		for word in ("dead", "stopped"):
			self.assertNotIn(word, r.text.lower())
