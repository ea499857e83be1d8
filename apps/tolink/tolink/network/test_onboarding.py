"""Partner onboarding by a Network Administrator (tolink.network.onboarding): the Provider's agreement
and RUNTS number, users invited with partners' roles only, integration users' API keys and their
limits, the append-only log; and what the administrator may not do."""

import frappe
from frappe.utils import add_days, today
from frappe.utils.password import get_decrypted_password

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import make_user
from tolink.network import onboarding
from tolink.network.doctype.partner_account_log.partner_account_log import AppendOnlyError
from tolink.network.onboarding import OnboardingError
from tolink.security import api_keys
from tolink.tests.case import CommittingTestCase


class TestProviderAgreement(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.db.rollback()

	def provider(self, **kw):
		return frappe.get_doc(
			{
				"doctype": "Provider",
				"provider_name": f"Coop {uid()}",
				"provider_type": "Social Cooperative",
				**kw,
			}
		)

	def test_agreement_cannot_end_before_it_starts(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			self.provider(agreement_start="2026-05-01", agreement_end="2026-04-30").insert()
		# the message names both dates (in the user's language: Italian in Desk)
		self.assertIn("30/04/2026", str(ctx.exception))
		self.assertIn("01/05/2026", str(ctx.exception))
		self.assertEqual(
			frappe._("The agreement cannot end ({0}) before it starts ({1}).", lang="it"),
			"La convenzione non può finire ({0}) prima di iniziare ({1}).",
		)
		doc = self.provider(
			agreement_number="CONV-1", agreement_start="2026-05-01", agreement_end="2026-05-01"
		)
		doc.insert()
		self.assertEqual(doc.agreement_number, "CONV-1")

	def test_agreement_state(self):
		doc = self.provider(agreement_end=add_days(today(), -1))
		self.assertEqual(doc.agreement_state(), "expired")
		doc.agreement_end = add_days(today(), 30)
		self.assertEqual(doc.agreement_state(), "expiring")
		doc.agreement_end = add_days(today(), 365)
		self.assertEqual(doc.agreement_state(), "in force")

	def test_runts_number_only_for_third_sector_bodies_and_digits_only(self):
		doc = self.provider(runts_number=" 123 456 ").insert()
		self.assertEqual(doc.runts_number, "123456")
		for bad in ("12-34", "ABC", "12345678901", "1e5"):
			with self.assertRaises(frappe.ValidationError, msg=bad):
				self.provider(runts_number=bad).insert()
		for provider_type in ("Public Service", "Shop"):
			with self.assertRaises(frappe.ValidationError, msg=provider_type):
				self.provider(provider_type=provider_type, runts_number="123").insert()
		for provider_type in ("Association", "Parish", "Food Bank"):
			self.provider(provider_type=provider_type, runts_number="77").insert()

	def test_signed_agreement_is_a_private_file_of_this_provider(self):
		doc = self.provider().insert()
		doc.agreement_file = "/files/convenzione.pdf"
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		# a private file of another record: its readers would read it through the provider
		other = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"other-{uid()}.txt",
				"content": b"segreto",
				"is_private": 1,
				"attached_to_doctype": "Provider",
				"attached_to_name": make_provider(),
			}
		).insert(ignore_permissions=True)
		doc.reload()
		doc.agreement_file = other.file_url
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		own = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"convenzione-{uid()}.pdf",
				"content": b"%PDF-1.4 firmato",
				"is_private": 1,
				"attached_to_doctype": "Provider",
				"attached_to_name": doc.name,
				"attached_to_field": "agreement_file",
			}
		).insert(ignore_permissions=True)
		doc.reload()
		doc.agreement_file = own.file_url
		doc.save()
		self.assertTrue(doc.agreement_file.startswith("/private/files/"))

	def test_coordinator_is_a_user_of_the_organisation(self):
		doc = self.provider().insert()
		other = make_user(f"coord-{uid()}@onb.test", ["Provider Staff"], make_provider())
		doc.coordinator = other
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		doc.reload()
		doc.coordinator = make_user(f"coord-{uid()}@onb.test", ["Provider Staff"], doc.name)
		doc.save()


class TestOnboarding(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = cls.s = uid()
		cls.city = make_provider(f"Onboarding City {s}", provider_type="Public Service")
		cls.coop = make_provider(f"Onboarding Coop {s}", provider_type="Social Cooperative")
		cls.admin = make_user(f"na-{s}@onb.test", ["Network Administrator"], cls.city)
		cls.other_admin = make_user(f"na2-{s}@onb.test", ["Network Administrator"], cls.city)
		cls.case_manager = make_user(f"cm-{s}@onb.test", ["Case Manager"], cls.city)
		cls.no_org = make_user(f"noorg-{s}@onb.test", ["Provider Staff"])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user(self.admin)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def invite(self, roles=("Provider Staff",), integration=0, **kw):
		args = {
			"provider": self.coop,
			"email": f"u-{uid()}@coop.test",
			"first_name": "Anna",
			"last_name": "D'Angelo",
			"roles": list(roles),
			"integration": integration,
			**kw,
		}
		return onboarding.invite_user(**args)

	def logged(self, account, action):
		return frappe.get_all(
			"Partner Account Log",
			filters={"account": account, "action": action},
			fields=["done_by", "provider", "details", "ip_address"],
		)

	def test_invites_a_person_with_the_welcome_email(self):
		out = self.invite(["Provider Staff", "Case Manager"], coordinator=1)
		user = frappe.get_doc("User", out["user"])
		self.assertEqual(user.tolink_provider, self.coop)
		self.assertEqual(user.tolink_integration_user, 0)
		self.assertEqual({r.role for r in user.roles}, {"Provider Staff", "Case Manager"})
		self.assertEqual(user.last_name, "D'Angelo")
		self.assertEqual(frappe.db.get_value("Provider", self.coop, "coordinator"), user.name)
		self.assertTrue(
			frappe.db.exists("Email Queue Recipient", {"recipient": user.name}),
			"the welcome email is queued",
		)
		(entry,) = self.logged(user.name, "User Invited")
		self.assertEqual(entry.done_by, self.admin)
		self.assertEqual(entry.provider, self.coop)
		self.assertIn("Provider Staff", entry.details)

	def test_an_integration_user_gets_no_email_and_no_login(self):
		out = self.invite(integration=1)
		self.assertEqual(out["welcome_email"], 0)
		self.assertEqual(frappe.db.get_value("User", out["user"], "tolink_integration_user"), 1)
		self.assertFalse(frappe.db.exists("Email Queue Recipient", {"recipient": out["user"]}))

		class Login:
			user = out["user"]

		with self.assertRaises(frappe.AuthenticationError):
			api_keys.refuse_interactive_login(Login())
		Login.user = self.case_manager
		api_keys.refuse_interactive_login(Login())  # a person logs in

	def test_no_role_beyond_partners_staff(self):
		for roles in (
			["System Manager"],
			["Administrator"],
			["Network Administrator"],
			["Provider Staff", "System Manager"],
			["Guest"],
			["All"],
			["Website Manager"],
			["Nonexistent Role"],
			[],
		):
			with self.assertRaises(OnboardingError, msg=roles):
				self.invite(roles)
		# an integration user skips the second factor: no role that asks for one
		with self.assertRaises(OnboardingError):
			self.invite(["Psychologist"], integration=1)
		self.assertFalse(frappe.db.exists("User", {"tolink_provider": self.coop, "name": ("like", "u-%")}))

	def test_bad_input_is_refused(self):
		cases = [
			{"email": "not-an-email"},
			{"email": ""},
			{"email": ["a@b.test"]},
			{"first_name": ""},
			{"first_name": "<script>x</script>"},
			{"provider": "No Such Org"},
			{"provider": ""},
			{"coordinator": 1, "integration": 1},
		]
		for kw in cases:
			with self.assertRaises(frappe.ValidationError, msg=kw):
				self.invite(**kw)
		frappe.db.set_value("Provider", self.coop, "is_active", 0)
		with self.assertRaises(OnboardingError):
			self.invite()

	def test_an_email_in_use_is_refused_without_saying_whose(self):
		with self.assertRaises(OnboardingError) as ctx:
			self.invite(email=self.case_manager.upper())
		self.assertNotIn(self.city, str(ctx.exception))
		self.assertIn("already in use", str(ctx.exception))

	def test_only_network_administrators(self):
		frappe.set_user(self.case_manager)
		with self.assertRaises(frappe.PermissionError):
			self.invite()
		for fn, args in (
			(onboarding.accounts, (self.coop,)),
			(onboarding.set_roles, (self.no_org, ["Provider Staff"])),
			(onboarding.issue_key, (self.no_org,)),
			(onboarding.revoke_key, (self.no_org,)),
			(onboarding.set_key_limits, (self.no_org,)),
		):
			with self.assertRaises(frappe.PermissionError, msg=fn.__name__):
				fn(*args)

	def test_roles_change_within_the_list_and_is_logged(self):
		user = self.invite()["user"]
		out = onboarding.set_roles(user, ["Hub Manager", "Hub Volunteer"])
		self.assertEqual(out["roles"], ["Hub Manager", "Hub Volunteer"])
		self.assertEqual(set(frappe.get_roles(user)) & {"Provider Staff", "Hub Manager"}, {"Hub Manager"})
		(entry,) = self.logged(user, "Roles Changed")
		self.assertIn("Provider Staff", entry.details)
		with self.assertRaises(OnboardingError):
			onboarding.set_roles(user, ["Hub Manager", "System Manager"])
		self.assertNotIn("System Manager", frappe.get_roles(user))

	def test_accounts_out_of_reach(self):
		"""Administrator, System Managers, Network Administrators, users without an organisation."""
		it = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"it-{uid()}@onb.test",
				"first_name": "IT",
				"send_welcome_email": 0,
				"roles": [{"role": "System Manager"}],
			}
		).insert(ignore_permissions=True)
		for user in ("Administrator", "Guest", it.name, self.other_admin, self.no_org, "nobody@x.test", ""):
			for fn in (
				lambda u: onboarding.set_roles(u, ["Provider Staff"]),
				onboarding.issue_key,
				onboarding.revoke_key,
			):
				with self.assertRaises(OnboardingError, msg=user):
					fn(user)
		self.assertIsNone(frappe.db.get_value("User", "Administrator", "api_key"))

	def test_keys_for_integration_users_only(self):
		person = self.invite()["user"]
		with self.assertRaises(OnboardingError):
			onboarding.issue_key(person)
		self.assertIsNone(frappe.db.get_value("User", person, "api_key"))

	def test_key_created_rotated_limited_revoked(self):
		user = self.invite(integration=1)["user"]
		out = onboarding.issue_key(user, "203.0.113.0/24\n2001:db8::/32, 198.51.100.7", add_days(today(), 30))
		self.assertEqual(out["action"], "Key Created")
		self.assertEqual(frappe.db.get_value("User", user, "api_key"), out["api_key"])
		self.assertEqual(get_decrypted_password("User", user, "api_secret"), out["api_secret"])
		key = frappe.get_doc("Integration Key", user)
		self.assertEqual(key.status, "Active")
		self.assertEqual(key.provider, self.coop)
		self.assertEqual(
			key.allowed_ip_ranges.split(), ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7/32"]
		)

		rotated = onboarding.issue_key(user)
		self.assertEqual(rotated["action"], "Key Rotated")
		self.assertNotEqual(rotated["api_key"], out["api_key"])
		self.assertNotEqual(rotated["api_secret"], out["api_secret"])
		key.reload()
		self.assertIsNone(key.allowed_ip_ranges)

		onboarding.set_key_limits(user, "10.0.0.0/8", add_days(today(), 1))
		key.reload()
		self.assertEqual(key.allowed_ip_ranges, "10.0.0.0/8")

		onboarding.revoke_key(user)
		self.assertIsNone(frappe.db.get_value("User", user, "api_key"))
		self.assertIsNone(get_decrypted_password("User", user, "api_secret", raise_exception=False))
		self.assertEqual(frappe.db.get_value("Integration Key", user, "status"), "Revoked")
		with self.assertRaises(OnboardingError):
			onboarding.revoke_key(user)
		with self.assertRaises(OnboardingError):
			onboarding.set_key_limits(user, "10.0.0.0/8")
		again = onboarding.issue_key(user)
		self.assertEqual(again["action"], "Key Created")

		actions = frappe.get_all("Partner Account Log", filters={"account": user}, pluck="action")
		self.assertEqual(
			sorted(actions),
			sorted(
				[
					"User Invited",
					"Key Created",
					"Key Rotated",
					"Key Limits Changed",
					"Key Revoked",
					"Key Created",
				]
			),
		)
		details = " ".join(frappe.get_all("Partner Account Log", filters={"account": user}, pluck="details"))
		for secret in (out["api_secret"], rotated["api_secret"], again["api_secret"]):
			self.assertNotIn(secret, details)

	def test_limits_are_checked(self):
		user = self.invite(integration=1)["user"]
		for ranges, expiry in (
			("10.0.0.0/33", None),
			("not-an-ip", None),
			("0.0.0.0/0", None),
			("::/0", None),
			("10.0.0.1; drop table", None),
			(None, add_days(today(), -1)),
			(None, "31/12/2099x"),
			(["10.0.0.0/8"], None),
		):
			with self.assertRaises(frappe.ValidationError, msg=(ranges, expiry)):
				onboarding.issue_key(user, ranges, expiry)
		self.assertIsNone(frappe.db.get_value("User", user, "api_key"))

	def test_the_log_is_append_only(self):
		user = self.invite()["user"]
		name = frappe.get_all("Partner Account Log", filters={"account": user}, pluck="name")[0]
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Partner Account Log", name)
		doc.details = "rewritten"
		with self.assertRaises(AppendOnlyError):
			doc.save(ignore_permissions=True)
		with self.assertRaises(AppendOnlyError):
			frappe.delete_doc("Partner Account Log", name, ignore_permissions=True)
		self.assertTrue(frappe.db.exists("Partner Account Log", name))

	def test_a_deleted_user_takes_its_key_record_and_leaves_its_log(self):
		user = self.invite(integration=1)["user"]
		onboarding.issue_key(user)
		frappe.set_user("Administrator")
		frappe.delete_doc("User", user, ignore_permissions=True)
		self.assertFalse(frappe.db.exists("Integration Key", user))
		self.assertTrue(frappe.db.exists("Partner Account Log", {"account": user}))


class TestKeyLimits(CommittingTestCase):
	def test_ranges(self):
		self.assertEqual(
			api_keys.parse_ip_ranges(" 10.1.2.3 , 10.0.0.0/8\n2001:DB8::/32 "),
			[
				"10.1.2.3/32",
				"10.0.0.0/8",
				"2001:db8::/32",
			],
		)
		self.assertEqual(api_keys.parse_ip_ranges(""), [])
		ranges = ["10.0.0.0/8", "2001:db8::/32"]
		self.assertTrue(api_keys.address_allowed("10.200.1.1", ranges))
		self.assertTrue(api_keys.address_allowed("::ffff:10.0.0.1", ranges))
		self.assertTrue(api_keys.address_allowed("2001:db8::1", ranges))
		self.assertFalse(api_keys.address_allowed("11.0.0.1", ranges))
		self.assertFalse(api_keys.address_allowed("garbage", ranges))

	def test_refusal(self):
		key = frappe._dict(status="Active", expires_on=today(), allowed_ip_ranges="127.0.0.1/32")
		self.assertIsNone(api_keys.refusal(key, "127.0.0.1"))
		self.assertIn("outside", api_keys.refusal(key, "127.0.0.2"))
		self.assertEqual(api_keys.refusal(key, "127.0.0.1", on=add_days(today(), 1)), "expired")
		key.status = "Revoked"
		self.assertEqual(api_keys.refusal(key, "127.0.0.1"), "revoked")

	def test_key_in_header(self):
		import base64

		self.assertEqual(api_keys.key_in_header("token abc:def"), "abc")
		basic = base64.b64encode(b"abc:def").decode()
		self.assertEqual(api_keys.key_in_header(f"Basic {basic}"), "abc")
		for header in (None, "", "Bearer xyz", "token", "Basic !!!", "token :x"):
			self.assertIsNone(api_keys.key_in_header(header), header)
