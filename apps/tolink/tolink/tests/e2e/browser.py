"""Browser tests: Debian's Chromium, headless, through Playwright, against the live test server."""

import contextlib
import os
import re
import shutil

from tolink.devtools.live_server import LOG_DIR, desk_url
from tolink.devtools.rest import TEST_PASSWORD
from tolink.tests.case import CommittingTestCase

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]


class BrowserTestCase(CommittingTestCase):
	"""One headless Chromium page per test class, in Italian (cls.page, cls.base)."""

	@classmethod
	def start_browser(cls) -> None:
		from playwright.sync_api import sync_playwright

		cls.base = desk_url()
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(
			executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
		)
		cls.page = cls.browser.new_page(locale="it-IT", extra_http_headers={"Accept-Language": "it"})
		cls.page.set_default_timeout(30_000)

	@classmethod
	def log_in(cls, user: str) -> None:
		# whoever was logged in before: logged out on the server, its cookies gone (a request still
		# under way could set them again after clear_cookies alone)
		cls.page.goto("about:blank")
		cls.page.request.get(cls.base + "/api/method/logout")
		cls.page.context.clear_cookies()
		cls.page.goto(cls.base + "/login")
		cls.page.fill("#login_email", user)
		cls.page.fill("#login_password", TEST_PASSWORD)
		cls.page.click(".btn-login")
		cls.page.wait_for_url(re.compile(r".*/app.*"))

	@classmethod
	def tearDownClass(cls):
		if getattr(cls, "browser", None):
			cls.browser.close()
			cls.playwright.stop()
		super().tearDownClass()

	@contextlib.contextmanager
	def screenshot_on_failure(self):
		"""Keep what the browser showed when a step failed (logs/test-browser-*.png)."""
		try:
			yield
		except Exception:
			self.page.screenshot(
				path=os.path.join(LOG_DIR, f"test-browser-{self._testMethodName}.png"), full_page=True
			)
			raise
