"""What install puts on every site: roles, the user's organisation field, Italian secure defaults."""

import frappe

from tolink.care_path.workflows import WORKFLOWS
from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import make_user
from tolink.permissions import ROLES, USER_PROVIDER_FIELD
from tolink.setup import install
from tolink.tests.case import CommittingTestCase


class TestInstall(CommittingTestCase):
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


class TestNamingSeries(CommittingTestCase):
	def test_counters_exist_before_first_use(self):
		"""Two first uses of a series at the same moment deadlock in Frappe: counters are made ahead."""
		from frappe.utils import getdate, today

		year = getdate(today()).year
		frappe.db.delete("Series", {"name": f"PCL-{year + 1}-"})
		install.ensure_naming_series()
		for key in (f"PCL-{year}-", f"PCL-{year + 1}-", f"CIT-{year + 1}-", "SRV-"):
			self.assertTrue(frappe.db.sql("select 1 from `tabSeries` where name=%s", key), key)


class TestWorkflowsOnMigrate(CommittingTestCase):
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


class TestNoAccidentalAdministrators(CommittingTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_migrate_takes_system_manager_from_staff(self):
		"""Sites where Frappe made the first staff user a System Manager: migrate takes it back."""
		org = make_provider()
		staff = make_user(f"rec-{uid()}@install.test", ["Reception Operator"], org)
		frappe.get_doc(
			{
				"doctype": "Has Role",
				"parent": staff,
				"parenttype": "User",
				"parentfield": "roles",
				"role": "System Manager",
			}
		).db_insert()
		frappe.clear_cache(user=staff)
		self.assertIn("System Manager", frappe.get_roles(staff))
		install.remove_system_manager_from_staff()
		self.assertNotIn("System Manager", frappe.get_roles(staff))
		self.assertIn("System Manager", frappe.get_roles("Administrator"))


class TestAdministratorPassword(CommittingTestCase):
	"""`bench --site SITE tolink-admin-password FILE` (setup.sh, production sites) replaces Frappe's
	'admin' with the password kept in FILE, and leaves a password of the administrator's own."""

	def setUp(self):
		auth = frappe.qb.DocType("__Auth")
		where = (auth.doctype == "User") & (auth.name == "Administrator") & (auth.fieldname == "password")
		self.saved = frappe.qb.from_(auth).select(auth.password).where(where).run(pluck=True)[0]
		self.addCleanup(self.put_back, where)

	def put_back(self, where):
		frappe.db.rollback()
		auth = frappe.qb.DocType("__Auth")
		frappe.qb.update(auth).set(auth.password, self.saved).where(where).run()
		frappe.db.commit()

	def run_command(self, password_file: str) -> str:
		import os
		import subprocess

		python = os.path.abspath(os.path.join(frappe.utils.get_bench_path(), "env", "bin", "python"))
		site = frappe.local.site
		command = [
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			site,
			"tolink-admin-password",
			password_file,
		]
		result = subprocess.run(
			[python, "-m", *command],
			cwd=os.path.join(frappe.utils.get_bench_path(), "sites"),
			capture_output=True,
			text=True,
			timeout=120,
		)
		self.assertEqual(result.returncode, 0, result.stderr)
		return result.stdout.strip().splitlines()[-1]

	def test_default_password_is_replaced_once(self):
		import os
		import tempfile

		from frappe.utils.password import check_password, update_password

		update_password("Administrator", "admin")
		frappe.db.commit()
		self.assertTrue(install.administrator_has_default_password())
		password = frappe.generate_hash(length=24)
		with tempfile.TemporaryDirectory() as tmp:
			path = os.path.join(tmp, "administrator-password")
			with open(path, "w") as f:
				f.write(password + "\n")
			self.assertEqual(self.run_command(path), "changed")
			frappe.db.rollback()  # a fresh snapshot: the command wrote in its own connection
			self.assertFalse(install.administrator_has_default_password())
			self.assertEqual(
				check_password("Administrator", password, delete_tracker_cache=False), "Administrator"
			)
			# a second run (setup.sh re-run) changes nothing
			with open(path, "w") as f:
				f.write(frappe.generate_hash(length=24))
			self.assertEqual(self.run_command(path), "unchanged")
			frappe.db.rollback()
			check_password("Administrator", password, delete_tracker_cache=False)

	def test_staff_see_to_link_workspaces_and_not_frappes(self):
		from frappe.desk.desktop import get_workspace_sidebar_items

		from tolink.setup import workspaces

		frappe_modules = set(frappe.get_all("Module Def", filters={"app_name": "frappe"}, pluck="name"))
		# as a migration leaves them: Frappe's files re-imported, with no roles
		frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": ("in", ["Users", "Tools"])})
		install.after_migrate()

		for role in ROLES:
			user = make_user(f"ws-{uid()}@install.test", [role], make_provider())
			frappe.set_user(user)
			try:
				pages = get_workspace_sidebar_items()["pages"]
			finally:
				frappe.set_user("Administrator")
			seen = {page["name"]: page.get("module") for page in pages}
			self.assertFalse({m for m in seen.values() if m in frappe_modules}, (role, seen))
			self.assertTrue(seen, role)  # and some workspace of To Link
		self.assertTrue({"Users", "Tools", "Build"} <= set(workspaces.frappe_workspaces()))
		pages = {page["name"] for page in get_workspace_sidebar_items()["pages"]}
		self.assertTrue({"Users", "Tools", "Build"} <= pages)  # the System Manager keeps them
