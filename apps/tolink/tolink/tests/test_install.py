"""What install puts on every site: roles, the user's organisation field, Italian secure defaults."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.permissions import ROLES, USER_PROVIDER_FIELD
from tolink.setup import install


class TestInstall(FrappeTestCase):
	def test_roles_exist_with_desk_access(self):
		for role in ROLES:
			self.assertTrue(frappe.db.exists("Role", role), role)
			expected = 0 if role == "Merchant" else 1
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), expected, role)

	def test_the_site_has_its_encryption_key_from_install(self):
		"""Made at install, not by whichever worker first encrypts (two of them raced)."""
		self.assertTrue(frappe.get_site_config().get("encryption_key"))

	def test_user_has_organisation_field(self):
		meta = frappe.get_meta("User")
		field = meta.get_field(USER_PROVIDER_FIELD)
		self.assertIsNotNone(field)
		self.assertEqual(field.options, "Provider")

	def test_italian_and_secure_defaults(self):
		settings = frappe.get_single("System Settings")
		self.assertEqual(settings.language, "it")
		self.assertEqual(settings.time_zone, "Europe/Rome")
		self.assertEqual(frappe.db.get_default("currency"), "EUR")
		self.assertTrue(settings.setup_complete)
		self.assertTrue(settings.apply_strict_user_permissions)
		self.assertEqual(int(settings.minimum_password_score), 3)
		self.assertFalse(settings.enable_telemetry)

	def test_install_is_idempotent(self):
		before = frappe.db.count("Role")
		install.after_migrate()
		install.after_migrate()
		self.assertEqual(frappe.db.count("Role"), before)


class TestNamingSeries(FrappeTestCase):
	def test_counters_exist_before_first_use(self):
		"""Two first uses of a series at the same moment deadlock in Frappe: counters are made ahead."""
		from frappe.utils import getdate, today

		year = getdate(today()).year
		frappe.db.delete("Series", {"name": f"PCL-{year + 1}-"})
		install.ensure_naming_series()
		for key in (f"PCL-{year}-", f"PCL-{year + 1}-", f"CIT-{year + 1}-", "SRV-"):
			self.assertTrue(frappe.db.sql("select 1 from `tabSeries` where name=%s", key), key)
