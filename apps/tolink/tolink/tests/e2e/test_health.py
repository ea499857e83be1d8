"""The health endpoint, over HTTP against a real server, and its checks against real services."""

import frappe
import requests
from frappe.utils.scheduler import disable_scheduler, enable_scheduler

from tolink import health
from tolink.devtools.live_server import api_url, ensure_worker, site_headers
from tolink.tests.case import CommittingTestCase

STATUS = "/api/method/tolink.api.public.health"


class TestHealthEndpoint(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_worker()
		cls.url = api_url() + STATUS

	def tearDown(self):
		disable_scheduler()
		frappe.cache.delete_value(health.HEARTBEAT_KEY)
		frappe.db.commit()

	def get(self):
		# no session: monitors call it as Guest
		return requests.get(self.url, headers=site_headers(), timeout=30)

	def test_disabled_scheduler_is_an_error(self):
		disable_scheduler()
		frappe.db.commit()
		r = self.get()
		self.assertEqual(r.status_code, 503)
		report = r.json()["message"]
		self.assertEqual(report["status"], "error")
		self.assertEqual(report["checks"]["scheduler"]["status"], "error")
		for name in ("database", "cache", "queue", "workers"):
			self.assertEqual(report["checks"][name]["status"], "ok", name)

	def test_all_up_is_ok(self):
		enable_scheduler()
		health.record_scheduler_heartbeat()  # what the scheduler runs every minute
		frappe.db.commit()
		r = self.get()
		self.assertEqual(r.status_code, 200, r.text)
		report = r.json()["message"]
		# the queues are the bench's: another site's burst may leave a backlog (still 200)
		self.assertIn(report["status"], ("ok", "backlog"))
		self.assertEqual(
			set(report["checks"]), {"database", "cache", "queue", "scheduler", "workers", "queues"}
		)
		for name in ("database", "cache", "queue", "scheduler", "workers"):
			self.assertEqual(report["checks"][name]["status"], "ok", name)
		self.assertLessEqual({"short", "default", "long"}, set(report["checks"]["queues"]["queues"]))

	def test_stale_heartbeat_is_an_error(self):
		enable_scheduler()
		frappe.cache.set_value(health.HEARTBEAT_KEY, 0)
		frappe.db.commit()
		r = self.get()
		self.assertEqual(r.status_code, 503)
		scheduler = r.json()["message"]["checks"]["scheduler"]
		self.assertEqual(scheduler["status"], "error")
		self.assertIn("stopped", scheduler["detail"])

	def test_reveals_no_details(self):
		text = self.get().text.lower()
		for secret in ("version", "redis://", "127.0.0.1", frappe.conf.db_name.lower()):
			self.assertNotIn(secret, text)

	def test_only_get(self):
		r = requests.post(self.url, headers=site_headers(), timeout=30)
		self.assertNotEqual(r.status_code, 200)


class TestHealthChecks(CommittingTestCase):
	def test_unreachable_cache_redis_is_reported(self):
		original = frappe.conf.redis_cache
		frappe.conf.redis_cache = "redis://127.0.0.1:1/0"  # nothing listens on port 1
		try:
			report = health.collect(include_processes=False)
		finally:
			frappe.conf.redis_cache = original
		self.assertEqual(report["checks"]["cache"]["status"], "error")
		self.assertEqual(report["checks"]["queue"]["status"], "ok")
		self.assertEqual(report["status"], "error")

	def test_unreachable_queue_redis_is_reported(self):
		original = frappe.conf.redis_queue
		frappe.conf.redis_queue = "redis://127.0.0.1:1/0"
		try:
			report = health.collect(include_processes=False)
		finally:
			frappe.conf.redis_queue = original
		self.assertEqual(report["checks"]["queue"]["status"], "error")
		self.assertEqual(report["status"], "error")

	def test_missing_configuration_is_reported(self):
		original = frappe.conf.redis_cache
		frappe.conf.redis_cache = None
		try:
			self.assertEqual(health.check_redis("redis_cache")["status"], "error")
		finally:
			frappe.conf.redis_cache = original
