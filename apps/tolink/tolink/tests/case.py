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
