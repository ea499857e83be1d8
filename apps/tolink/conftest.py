"""pytest entry point: connect to the test site the way `bench run-tests` does.

The site comes from TOLINK_TEST_SITE (scripts/test.sh sets it). Tests are Frappe tests
(FrappeTestCase), so `bench --site SITE run-tests --app tolink` runs them as well.
"""

import os
import sys

import pytest

BENCH_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SITES_DIR = os.path.join(BENCH_DIR, "sites")


def pytest_configure(config):
	import frappe

	site = os.environ.get("TOLINK_TEST_SITE")
	if not site:
		raise pytest.UsageError("Set TOLINK_TEST_SITE to the test site (scripts/test.sh does).")
	os.chdir(SITES_DIR)
	if SITES_DIR not in sys.path:
		sys.path.insert(0, SITES_DIR)
	frappe.init(site=site, sites_path=SITES_DIR)
	if not frappe.conf.get("allow_tests"):
		raise pytest.UsageError(
			f"{site} does not allow tests: bench --site {site} set-config allow_tests true"
		)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.clear_cache()
	from frappe.utils.scheduler import disable_scheduler

	disable_scheduler()
	for fn in frappe.get_hooks("before_tests", app_name="tolink"):
		frappe.get_attr(fn)()
	frappe.db.commit()


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "site", None):
		frappe.db.rollback()
		frappe.destroy()
