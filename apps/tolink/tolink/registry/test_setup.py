"""Reference data of the registry."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.registry.setup import VULNERABILITY_FLAGS, seed_registry_master_data


class TestRegistrySetup(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_seed_creates_missing_flags_once(self):
		frappe.db.delete("Vulnerability Flag", {"name": "Homeless"})
		seed_registry_master_data()
		seed_registry_master_data()  # idempotent
		for flag in VULNERABILITY_FLAGS:
			self.assertTrue(frappe.db.exists("Vulnerability Flag", flag), flag)
		self.assertEqual(frappe.db.count("Vulnerability Flag", {"name": ("in", VULNERABILITY_FLAGS)}), 10)

	def test_edited_flag_is_kept(self):
		seed_registry_master_data()
		frappe.db.set_value("Vulnerability Flag", "Disability", "description", "Edited by an administrator")
		seed_registry_master_data()
		self.assertEqual(
			frappe.db.get_value("Vulnerability Flag", "Disability", "description"),
			"Edited by an administrator",
		)

	def test_citizen_takes_flags_and_languages(self):
		from tolink.devtools.factories import make_citizen, make_provider

		seed_registry_master_data()
		doc = make_citizen(
			make_provider(),
			vulnerability_flags=[{"flag": "Lives alone"}, {"flag": "Low income"}],
			languages=[{"language": "it"}],
		)
		doc.reload()
		self.assertEqual({r.flag for r in doc.vulnerability_flags}, {"Lives alone", "Low income"})
		self.assertEqual([r.language for r in doc.languages], ["it"])
