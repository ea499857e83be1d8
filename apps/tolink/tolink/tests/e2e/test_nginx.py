"""The production nginx file (config/nginx/tolink.conf) in front of a live gunicorn: nginx accepts
it, serves assets and public files from disk, never a private file by its path, proxies the API,
and a client cannot choose the address To Link logs by writing X-Forwarded-For.

Needs Debian's nginx (`apt-get install nginx`, which setup installs when run as root); without it the
tests fail."""

import os
import re
import shutil
import socket
import subprocess
import tempfile

import frappe
import requests

from tolink.devtools.factories import uid
from tolink.devtools.live_server import BENCH_DIR, api_url
from tolink.devtools.wait import eventually
from tolink.security.client_address import clear_address_lock
from tolink.tests.case import CommittingTestCase

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
CONFIG = os.path.join(BENCH_DIR, "config", "nginx", "tolink.conf")
MAIN = """
daemon off;
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log {tmp}/access.log;
	client_body_temp_path {tmp}/body;
	proxy_temp_path {tmp}/proxy;
	fastcgi_temp_path {tmp}/fastcgi;
	uwsgi_temp_path {tmp}/uwsgi;
	scgi_temp_path {tmp}/scgi;
	include {tmp}/tolink.conf;
}}
"""


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def render(port: int, gunicorn: str) -> str:
	with open(CONFIG) as f:
		text = f.read()
	for token, value in {
		"@BENCH_DIR@": BENCH_DIR,
		"@SITE@": frappe.local.site,
		"@SERVER_NAME@": "_",
		"@GUNICORN@": gunicorn,
		"@SOCKETIO@": f"127.0.0.1:{free_port()}",
		"@LISTEN@": f"127.0.0.1:{port}",
	}.items():
		text = text.replace(token, value)
	left = re.findall(r"@[A-Z_]+@", text)
	assert not left, f"tokens of config/nginx/tolink.conf left unrendered: {left}"
	return text


class TestNginx(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# setup installs Debian's nginx when run as root: without it, fail rather than test nothing
		assert NGINX, "nginx is not installed (apt-get install nginx): the production proxy cannot be tested"
		cls.tmp = tempfile.mkdtemp(prefix="tolink-nginx-")
		cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
		gunicorn = api_url().removeprefix("http://")
		cls.port = free_port()
		with open(os.path.join(cls.tmp, "tolink.conf"), "w") as f:
			f.write(render(cls.port, gunicorn))
		cls.main = os.path.join(cls.tmp, "nginx.conf")
		# as root the workers would run as nobody, who may not read the bench's folders
		user = "user root root;" if os.geteuid() == 0 else ""
		with open(cls.main, "w") as f:
			f.write(MAIN.format(tmp=cls.tmp, user=user))
		cls.check = subprocess.run([NGINX, "-t", "-c", cls.main], capture_output=True, text=True, timeout=30)
		assert cls.check.returncode == 0, cls.check.stderr
		cls.proc = subprocess.Popen(
			[NGINX, "-c", cls.main],
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		cls.addClassCleanup(cls.stop_nginx)
		cls.url = f"http://127.0.0.1:{cls.port}"

		def answers():
			if cls.proc.poll() is not None:
				raise RuntimeError(f"nginx exited: see {cls.tmp}/error.log")
			return requests.get(cls.url + "/api/method/ping", timeout=5).status_code == 200

		eventually(answers, timeout=60, interval=0.3, message="nginx in front of gunicorn")

	@classmethod
	def stop_nginx(cls):
		if cls.proc.poll() is None:
			cls.proc.terminate()
			try:
				cls.proc.wait(timeout=15)
			except subprocess.TimeoutExpired:
				cls.proc.kill()

	def site_file(self, *parts, content: bytes) -> str:
		path = frappe.get_site_path(*parts)
		os.makedirs(os.path.dirname(path), exist_ok=True)
		with open(path, "wb") as f:
			f.write(content)
		self.addCleanup(os.remove, path)
		return path

	def test_the_configuration_is_valid(self):
		self.assertIn("syntax is ok", self.check.stderr)
		self.assertIn("test is successful", self.check.stderr)

	def test_the_api_goes_to_gunicorn(self):
		r = requests.get(self.url + "/api/method/ping", timeout=30)
		self.assertEqual(r.status_code, 200)
		self.assertEqual(r.json(), {"message": "pong"})
		self.assertEqual(r.headers.get("X-Frame-Options"), "SAMEORIGIN")

	def test_assets_come_from_disk(self):
		path = os.path.join(BENCH_DIR, "sites", "assets", "assets.json")
		r = requests.get(self.url + "/assets/assets.json", timeout=30)
		self.assertEqual(r.status_code, 200)
		with open(path, "rb") as f:
			self.assertEqual(r.content, f.read())
		self.assertIn("max-age=31536000", r.headers.get("Cache-Control", ""))
		self.assertEqual(requests.get(self.url + "/assets/no-such-file.js", timeout=30).status_code, 404)

	def test_public_files_from_disk_private_files_never_by_path(self):
		name = f"tolink-nginx-test-{uid()}.txt"
		self.site_file("public", "files", name, content=b"public text")
		secret = f"private canary {uid()}".encode()
		self.site_file("private", "files", name, content=secret)

		r = requests.get(f"{self.url}/files/{name}", timeout=30)
		self.assertEqual((r.status_code, r.content), (200, b"public text"))
		# a private file goes through Frappe's permission check: a guest gets nothing
		site = frappe.local.site
		for path in (
			f"/private/files/{name}",
			f"/protected/private/files/{name}",
			f"/{site}/private/files/{name}",
			f"/files/../private/files/{name}",
			f"/{site}/site_config.json",
			f"/assets/../{site}/site_config.json",
		):
			r = requests.get(self.url + path, timeout=30, allow_redirects=False)
			self.assertNotIn(secret, r.content, path)
			self.assertNotIn(b"db_password", r.content, path)
			self.assertNotEqual(r.status_code, 200, path)

	def test_a_spoofed_forwarded_for_is_not_the_logged_address(self):
		"""The client writes X-Forwarded-For itself: nginx replaces it with the address it saw,
		which is what To Link logs for a failed login."""
		user = f"nobody-{uid()}@nginx.test"
		spoofed = "203.0.113.77"
		self.addCleanup(clear_address_lock, "127.0.0.1")
		self.addCleanup(clear_address_lock, spoofed)
		r = requests.post(
			self.url + "/api/method/login",
			data={"usr": user, "pwd": "wrong-password"},
			headers={"X-Forwarded-For": spoofed},
			timeout=30,
		)
		self.assertEqual(r.status_code, 401, r.text)
		frappe.db.rollback()  # a fresh snapshot: the server's commit
		logged = frappe.get_all(
			"Activity Log", filters={"user": user, "status": "Failed"}, pluck="ip_address"
		)
		self.assertEqual(logged, ["127.0.0.1"])
		frappe.db.delete("Activity Log", {"user": user})
		frappe.db.commit()
