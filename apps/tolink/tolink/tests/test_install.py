"""What install puts on every site: roles, the user's organisation field, Italian secure defaults."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.care_path.workflows import WORKFLOWS
from tolink.permissions import ROLES, USER_PROVIDER_FIELD
from tolink.setup import install
from tolink.tests.factories import make_provider, uid
from tolink.tests.rest import make_user


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


class TestWorkflowsOnMigrate(FrappeTestCase):
	"""after_migrate commits (its schema changes end the transaction): these tests put back what they
	changed themselves."""

	def test_network_administrators_may_edit_workflows(self):
		install.after_migrate()
		install.after_migrate()
		org = make_provider()
		admin = make_user(f"na-{uid()}@install.test", ["Network Administrator"], org)
		reception = make_user(f"rec-{uid()}@install.test", ["Reception Operator"], org)
		for doctype in ("Workflow", "Workflow State", "Workflow Action Master"):
			rules = frappe.get_all(
				"Custom DocPerm",
				filters={"parent": doctype, "role": "Network Administrator"},
				fields=["read", "write", "create", "delete"],
			)
			self.assertEqual([(r.read, r.write, r.create, r.delete) for r in rules], [(1, 1, 1, 0)], doctype)
			# the standard rules are kept: System Managers still do everything
			self.assertTrue(
				frappe.db.exists(
					"Custom DocPerm",
					{"parent": doctype, "role": "System Manager", "write": 1, "create": 1, "delete": 1},
				),
				doctype,
			)
			for ptype in ("read", "write", "create"):
				self.assertTrue(frappe.has_permission(doctype, ptype, user=admin), (doctype, ptype))
				self.assertFalse(frappe.has_permission(doctype, ptype, user=reception), (doctype, ptype))
		# picking a transition's role: its name, nothing else of the role
		self.assertTrue(frappe.has_permission("Role", "select", user=admin))
		self.assertFalse(frappe.has_permission("Role", "read", user=admin))
		# Workflow State keeps Frappe's rule for every Desk user (the state of a form)
		self.assertTrue(
			frappe.db.exists("Custom DocPerm", {"parent": "Workflow State", "role": "Desk User", "select": 1})
		)

	def test_migrate_keeps_the_workflow_an_administrator_built_instead(self):
		"""An administrator deleted our Referral workflow and built their own: migrate does not bring
		ours back next to theirs. Once no workflow is left for referrals, migrate creates ours."""
		frappe.set_user("Administrator")
		shipped = frappe.get_doc("Workflow", "Referral")
		own_name = f"Invii del Comune {uid()}"
		self.addCleanup(self.put_back, shipped, own_name)

		frappe.delete_doc("Workflow", "Referral", ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": own_name,
				"document_type": "Referral",
				"workflow_state_field": "status",
				"is_active": 1,
				"override_status": 1,
				"states": [
					{"state": "Sent", "doc_status": "0", "allow_edit": "Case Manager"},
					{"state": "Cancelled", "doc_status": "0", "allow_edit": "Network Administrator"},
				],
				"transitions": [
					{
						"state": "Sent",
						"action": "Cancel",
						"next_state": "Cancelled",
						"allowed": "Case Manager",
					}
				],
			}
		).insert(ignore_permissions=True)
		install.after_migrate()
		self.assertEqual(frappe.get_all("Workflow", {"document_type": "Referral"}, pluck="name"), [own_name])
		self.assertEqual(len(frappe.get_doc("Workflow", own_name).transitions), 1)

		frappe.delete_doc("Workflow", own_name, ignore_permissions=True)
		install.after_migrate()
		self.assertEqual(
			frappe.get_all("Workflow", {"document_type": "Referral"}, pluck="name"), ["Referral"]
		)
		self.assertEqual(
			len(frappe.get_doc("Workflow", "Referral").transitions), len(WORKFLOWS["Referral"]["transitions"])
		)

	def put_back(self, shipped, own_name):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		if frappe.db.exists("Workflow", own_name):
			frappe.delete_doc("Workflow", own_name, ignore_permissions=True)
		if frappe.db.exists("Workflow", "Referral"):
			frappe.delete_doc("Workflow", "Referral", ignore_permissions=True)
		frappe.copy_doc(shipped).insert(ignore_permissions=True)
		frappe.db.commit()
