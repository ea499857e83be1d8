"""Disabling a user revokes API keys and sessions at once; rotating a key invalidates the old one
(over HTTP, against a real server)."""

import frappe

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import Client, RestError, make_api_key, make_user
from tolink.security import accounts
from tolink.security.accounts import StaffAdministratorError
from tolink.tests.case import CommittingTestCase


class TestAccountSecurity(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.user = make_user(f"partner-{uid()}@sec.test", ["Reception Operator"], make_provider())

	def whoami(self, client: Client) -> str:
		return client.get("frappe.auth.get_logged_user")

	def test_disabling_revokes_api_keys_and_sessions(self):
		key = make_api_key(self.user)
		token_client, session_client = Client.with_token(*key), Client(self.user)
		self.assertEqual(self.whoami(token_client), self.user)
		self.assertEqual(self.whoami(session_client), self.user)

		user = frappe.get_doc("User", self.user)
		user.enabled = 0
		user.save(ignore_permissions=True)
		frappe.db.commit()

		for client in (token_client, session_client):
			with self.assertRaises(RestError) as ctx:
				self.whoami(client)
			self.assertIn(ctx.exception.status_code, (401, 403))
		self.assertIsNone(frappe.db.get_value("User", self.user, "api_key"))

	def test_disabled_user_with_a_key_restored_is_still_refused(self):
		"""Even if keys reappear (restore, direct DB edit), a disabled user is refused."""
		key = make_api_key(self.user)
		frappe.db.set_value("User", self.user, "enabled", 0)  # bypasses the revocation hook
		frappe.db.commit()
		with self.assertRaises(RestError) as ctx:
			self.whoami(Client.with_token(*key))
		self.assertIn(ctx.exception.status_code, (401, 403))

	def test_rotating_a_key_invalidates_the_old_one(self):
		old = make_api_key(self.user)
		self.assertEqual(self.whoami(Client.with_token(*old)), self.user)
		new = make_api_key(self.user)
		self.assertEqual(self.whoami(Client.with_token(*new)), self.user)
		with self.assertRaises(RestError):
			self.whoami(Client.with_token(*old))


class TestNoAccidentalAdministrators(CommittingTestCase):
	"""Frappe makes the first system user saved after setup a System Manager: never a To Link staff
	user (tolink.security.accounts)."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		# a Desk role outside To Link
		self.other_role = f"Test Desk Role {uid()}"
		frappe.get_doc({"doctype": "Role", "role_name": self.other_role, "desk_access": 1}).insert(
			ignore_permissions=True
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def first_user_situation(self):
		"""No enabled System Manager but Administrator: the next system user saved is "the first"."""
		frappe.db.delete(
			"Has Role", {"parenttype": "User", "role": "System Manager", "parent": ("!=", "Administrator")}
		)

	def new_user(self, roles, provider=None, **kw):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"u-{uid()}@admins.test",
				"first_name": "Test",
				"send_welcome_email": 0,
				"tolink_provider": provider,
				"roles": [{"role": r} for r in roles],
				**kw,
			}
		)
		user.flags.no_welcome_mail = True
		return user

	def roles_of(self, user: str) -> set[str]:
		return set(frappe.get_all("Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role"))

	def test_first_system_user_is_not_made_a_system_manager(self):
		"""Frappe made the first system user saved after setup a System Manager: with Administrator
		counted as the System Manager it asks for, no one is, To Link staff or not."""
		for roles, provider in (
			(["Reception Operator"], self.org),
			(["Case Manager"], None),
			([self.other_role], self.org),
			([self.other_role], None),
		):
			self.first_user_situation()
			user = self.new_user(roles, provider).insert(ignore_permissions=True)
			self.assertNotIn("System Manager", self.roles_of(user.name), roles)
			# saved again (e.g. by an administrator in Desk): still not
			user.reload()
			user.save(ignore_permissions=True)
			self.assertNotIn("System Manager", self.roles_of(user.name))

	def test_users_can_be_disabled_and_deleted_without_another_system_manager(self):
		"""Frappe refused both while no System Manager but Administrator existed."""
		self.first_user_situation()
		user = self.new_user(["Reception Operator"], self.org).insert(ignore_permissions=True)
		user.enabled = 0
		user.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("User", user.name, "enabled"), 0)
		frappe.delete_doc("User", user.name, ignore_permissions=True)
		self.assertFalse(frappe.db.exists("User", user.name))
		with self.assertRaises(frappe.ValidationError):
			frappe.delete_doc("User", "Administrator", ignore_permissions=True)

	def test_explicit_grant_to_staff_is_refused(self):
		with self.assertRaises(StaffAdministratorError):
			self.new_user(["Reception Operator", "System Manager"], self.org).insert(ignore_permissions=True)
		user = self.new_user(["Hub Volunteer"], self.org).insert(ignore_permissions=True)
		with self.assertRaises(StaffAdministratorError):
			user.add_roles("System Manager")
		self.assertNotIn("System Manager", self.roles_of(user.name))

	def test_only_network_administrators_set_a_users_organisation(self):
		"""Whatever the path that saves the User (found by the API fuzzer: a user moved themselves
		to another organisation over REST)."""
		other = make_provider()
		user = self.new_user(["Reception Operator"], self.org).insert(ignore_permissions=True)
		try:
			frappe.set_user(user.name)
			doc = frappe.get_doc("User", user.name)
			doc.tolink_provider = other
			with self.assertRaises(frappe.PermissionError):
				doc.save(ignore_permissions=True)
			frappe.set_user("Administrator")
			self.assertEqual(frappe.db.get_value("User", user.name, "tolink_provider"), self.org)
			admin = self.new_user(["Network Administrator"], self.org).insert(ignore_permissions=True)
			frappe.set_user(admin.name)
			doc = frappe.get_doc("User", user.name)
			doc.tolink_provider = other
			doc.save(ignore_permissions=True)
			self.assertEqual(frappe.db.get_value("User", user.name, "tolink_provider"), other)
		finally:
			frappe.set_user("Administrator")  # tearDown rolls everything back

	def test_a_system_manager_cannot_become_staff(self):
		admin = self.new_user(["System Manager"]).insert(ignore_permissions=True)
		admin.reload()
		admin.tolink_provider = self.org
		with self.assertRaises(StaffAdministratorError):
			admin.save(ignore_permissions=True)
		admin.reload()
		with self.assertRaises(StaffAdministratorError):
			admin.add_roles("Network Administrator")
		self.assertEqual(self.roles_of(admin.name), {"System Manager"})

	def test_legacy_grant_is_removed_on_save(self):
		"""A staff user who became System Manager before To Link refused it can still be saved
		(e.g. disabled): the role goes."""
		user = self.new_user(["Reception Operator"], self.org).insert(ignore_permissions=True)
		grant_directly(user.name)
		user = frappe.get_doc("User", user.name)
		user.enabled = 0
		user.save(ignore_permissions=True)
		self.assertNotIn("System Manager", self.roles_of(user.name))
		self.assertEqual(frappe.db.get_value("User", user.name, "enabled"), 0)

	def test_patch_removes_the_role_from_staff_only(self):
		from tolink.patches.v0_1 import remove_system_manager_from_staff

		by_org = self.new_user([self.other_role], self.org).insert(ignore_permissions=True).name
		by_role = self.new_user(["Case Manager"]).insert(ignore_permissions=True).name
		it_admin = self.new_user(["System Manager"]).insert(ignore_permissions=True).name
		for user in (by_org, by_role):
			grant_directly(user)
			self.assertIn("System Manager", frappe.get_roles(user))
		remove_system_manager_from_staff.execute()
		for user in (by_org, by_role):
			self.assertNotIn("System Manager", self.roles_of(user), user)
			self.assertNotIn("System Manager", frappe.get_roles(user), user)
		self.assertIn("System Manager", self.roles_of(it_admin))
		self.assertIn("System Manager", self.roles_of("Administrator"))
		self.assertEqual(accounts.remove_system_manager_from_staff(), [])


def grant_directly(user: str) -> None:
	"""As Frappe did before To Link refused it: a Has Role row, no hooks."""
	frappe.get_doc(
		{
			"doctype": "Has Role",
			"parent": user,
			"parenttype": "User",
			"parentfield": "roles",
			"role": "System Manager",
		}
	).db_insert()
	frappe.clear_cache(user=user)
