"""A test case for classes that commit: what they make is removed when the class ends."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.devtools import cleanup


class CommittingTestCase(FrappeTestCase):
	"""While the class runs, the factories (and make_user) record what they create; when it ends
	(even if setUpClass failed half-way) those records, the users and organisations, and everything
	owned by, linking to or attached to them are deleted (devtools.cleanup.sweep).

	`cls.sweep_users` / `cls.sweep_providers` add users and organisations made some other way."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sweep_users, cls.sweep_providers = set(), set()
		made = cleanup.start()
		cls.addClassCleanup(cls._sweep, made)

	@classmethod
	def _sweep(cls, made):
		cleanup.stop(made)
		frappe.db.rollback()
		frappe.set_user("Administrator")
		cleanup.sweep(made, users=cls.sweep_users, providers=cls.sweep_providers)


def authenticator_code(secret: str, margin: float = 8.0) -> str:
	"""The code an authenticator app shows now, taken early enough in its 30-second window that the
	server still accepts it when the login form reaches it (Frappe checks the current window only)."""
	import time

	import pyotp

	totp = pyotp.TOTP(secret)
	left = totp.interval - time.time() % totp.interval
	if left < margin:
		time.sleep(left + 0.2)
	return totp.now()
