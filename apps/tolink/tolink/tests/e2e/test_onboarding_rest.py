"""Partner onboarding over HTTP: a Network Administrator onboards a new cooperative (agreement, RUNTS,
two users, an integration key) without System Manager; the key's limits hold at request time (401
outside its ranges, after expiry, after revocation, the old key after rotation); other roles, and the
administrator with requests Desk never sends, get nothing."""

import json

import frappe
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import TEST_PASSWORD, Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase

DESK = "tolink.api.desk."
ENDPOINTS = (
	"partner_accounts",
	"invite_partner_user",
	"set_partner_user_roles",
	"issue_integration_key",
	"set_integration_key_limits",
	"revoke_integration_key",
)


class TestPartnerOnboarding(LiveServerTestCase):
	roles = {
		"admin": ["Network Administrator"],
		"case_manager": ["Case Manager"],
		"merchant": ["Merchant"],
		"reception": ["Reception Operator"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.other_org = make_provider(f"Onboarding other {cls.s}")
		cls.staff_b = make_user(f"staff-b-{cls.s}@onboarding.test", ["Provider Staff"], cls.other_org)
		frappe.db.commit()

	def post(self, who, method, **data):
		return self.client(who).post(DESK + method, **data)

	def refused(self, client: Client, method: str, verb: str = "POST", **data) -> int:
		kw = {"data": data} if verb == "POST" else {"params": data}
		r = client.request(verb, f"/api/method/{DESK}{method}", **kw)
		self.assertNotEqual(r.status_code, 200, f"{method} {data}: {r.text[:300]}")
		self.assertLess(r.status_code, 500, f"{method} {data}: {r.text[:300]}")
		return r.status_code

	def whoami(self, client: Client) -> str:
		return client.get("frappe.auth.get_logged_user")

	def new_cooperative(self) -> str:
		name = f"Cooperativa Sociale Il Ponte {uid()}"
		self.client("admin").insert(
			{
				"doctype": "Provider",
				"provider_name": name,
				"provider_type": "Social Cooperative",
				"agreement_number": "CONV-2026-17",
				"agreement_start": today(),
				"agreement_end": add_days(today(), 365),
				"runts_number": "104233",
			}
		)
		self.sweep_providers.add(name)
		return name

	def invite(self, provider, roles=("Provider Staff",), integration=0, **kw):
		out = self.post(
			"admin",
			"invite_partner_user",
			provider=provider,
			email=kw.pop("email", f"u-{uid()}@ponte.test"),
			first_name=kw.pop("first_name", "Giulia"),
			last_name="Rossi",
			roles=json.dumps(list(roles)),
			integration=integration,
			**kw,
		)
		self.sweep_users.add(out["user"])
		return out

	def test_a_network_administrator_onboards_a_cooperative(self):
		"""The issue's "done when": a new cooperative, two users and an integration key."""
		self.assertNotIn("System Manager", frappe.get_roles(self.users["admin"]))
		coop = self.new_cooperative()
		# the agreement cannot end before it starts (the Italian message is in it.po)
		with self.assertRaises(RestError) as ctx:
			self.client("admin").update("Provider", coop, {"agreement_end": add_days(today(), -1)})
		self.assertEqual(ctx.exception.status_code, 417)

		person = self.invite(coop, ["Provider Staff", "Case Manager"], coordinator=1)
		machine = self.invite(coop, ["Provider Staff"], integration=1)
		self.assertEqual(person["welcome_email"], 1)
		self.assertEqual(machine["welcome_email"], 0)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", person["user"], "tolink_provider"), coop)
		self.assertEqual(frappe.db.get_value("Provider", coop, "coordinator"), person["user"])
		self.assertTrue(frappe.db.exists("Email Queue Recipient", {"recipient": person["user"]}))

		key = self.post(
			"admin", "issue_integration_key", account=machine["user"], allowed_ip_ranges="127.0.0.1"
		)
		integration = Client.with_token(key["api_key"], key["api_secret"])
		self.assertEqual(self.whoami(integration), machine["user"])

		accounts = self.client("admin").get(DESK + "partner_accounts", provider=coop)
		by_user = {u["user"]: u for u in accounts["users"]}
		self.assertEqual(set(by_user), {person["user"], machine["user"]})
		self.assertEqual(by_user[machine["user"]]["key"]["api_key"], key["api_key"])
		self.assertNotIn(key["api_secret"], json.dumps(accounts))
		self.assertNotIn("System Manager", accounts["partner_roles"])
		self.assertNotIn("Network Administrator", accounts["partner_roles"])
		self.assertNotIn("Psychologist", accounts["integration_roles"])

		# the integration user never logs in with a password, even one set behind the admin's back
		update_password(machine["user"], TEST_PASSWORD)
		frappe.db.commit()
		with self.assertRaises(RestError) as ctx:
			Client(machine["user"])
		self.assertEqual(ctx.exception.status_code, 401)
		# the control: the same password opens a session once the user is no integration user
		frappe.db.set_value("User", machine["user"], "tolink_integration_user", 0)
		frappe.db.commit()
		self.assertEqual(self.whoami(Client(machine["user"])), machine["user"])
		frappe.db.set_value("User", machine["user"], "tolink_integration_user", 1)
		frappe.db.commit()

		# every act is in the log, which the administrator reads and nobody changes
		log = self.client("admin").get_list(
			"Partner Account Log",
			fields=["name", "action", "account", "details"],
			filters={"provider": coop},
		)
		self.assertEqual(
			sorted(e["action"] for e in log), ["Key Created", "User Invited", "User Invited"], log
		)
		self.assertNotIn(key["api_secret"], json.dumps(log))
		entry = log[0]["name"]
		for attempt in (
			lambda: self.client("admin").update("Partner Account Log", entry, {"details": "x"}),
			lambda: self.client("admin").delete("Partner Account Log", entry),
			lambda: self.client("admin").insert(
				{"doctype": "Partner Account Log", "action": "Key Revoked", "account": person["user"]}
			),
			lambda: self.client("admin").update(
				"Integration Key", machine["user"], {"allowed_ip_ranges": "0.0.0.0/1"}
			),
		):
			with self.assertRaises(RestError):
				attempt()
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Partner Account Log", {"provider": coop}), 3)
		self.assertEqual(
			frappe.db.get_value("Integration Key", machine["user"], "allowed_ip_ranges"), "127.0.0.1/32"
		)

	def test_key_limits_hold_at_request_time(self):
		coop = self.new_cooperative()
		user = self.invite(coop, integration=1)["user"]

		def issue(**kw):
			out = self.post("admin", "issue_integration_key", account=user, **kw)
			return Client.with_token(out["api_key"], out["api_secret"])

		def via(client: Client, address: str) -> Client:
			client.session.headers["X-Forwarded-For"] = address
			return client

		def status(client: Client) -> int:
			return client.request("GET", "/api/method/frappe.auth.get_logged_user").status_code

		# outside its range: 401; inside (an address nginx forwarded): it works
		client = issue(allowed_ip_ranges="10.0.0.0/8\n2001:db8::/32")
		self.assertEqual(status(client), 401)
		self.assertEqual(status(via(client, "192.0.2.1")), 401)
		self.assertEqual(status(via(client, "10.20.30.40")), 200)
		self.assertEqual(status(via(client, "2001:db8::7")), 200)
		# Basic authentication with the same key meets the same limits
		basic = Client()
		import base64

		token = client.session.headers["Authorization"].split(" ", 1)[1]
		basic.session.headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
		self.assertEqual(status(basic), 401)
		self.assertEqual(status(via(basic, "10.0.0.1")), 200)

		# new limits take effect at once, the key unchanged
		self.post("admin", "set_integration_key_limits", account=user, allowed_ip_ranges="127.0.0.1/32")
		self.assertEqual(status(via(client, "10.20.30.40")), 401)
		client.session.headers.pop("X-Forwarded-For")
		self.assertEqual(status(client), 200)

		# after its expiry date (set in the past directly: the endpoint refuses a past date)
		frappe.db.set_value("Integration Key", user, "expires_on", add_days(today(), -1))
		frappe.db.commit()
		self.assertEqual(status(client), 401)
		frappe.db.set_value("Integration Key", user, "expires_on", today())
		frappe.db.commit()
		self.assertEqual(status(client), 200, "a key works through its expiry day")

		# rotation: the old key stops at once, the new one works
		rotated = issue()
		self.assertEqual(status(client), 401)
		self.assertEqual(status(rotated), 200)

		# revocation: at once
		self.post("admin", "revoke_integration_key", account=user)
		self.assertEqual(status(rotated), 401)
		# a key put back behind the admin's back (a restore) is still refused: the record says revoked
		frappe.db.set_value(
			"User", user, "api_key", rotated.session.headers["Authorization"][6:].split(":")[0]
		)
		from frappe.utils.password import set_encrypted_password

		set_encrypted_password(
			"User", user, rotated.session.headers["Authorization"].split(":")[1], "api_secret"
		)
		frappe.db.commit()
		self.assertEqual(status(rotated), 401)

	def test_other_roles_get_nothing(self):
		coop = self.new_cooperative()
		machine = self.invite(coop, integration=1)["user"]
		args = {
			"partner_accounts": {"provider": coop},
			"invite_partner_user": {
				"provider": self.org,
				"email": f"x-{uid()}@ponte.test",
				"first_name": "X",
				"roles": json.dumps(["Case Manager"]),
			},
			"set_partner_user_roles": {
				"account": self.users["reception"],
				"roles": json.dumps(["Case Manager"]),
			},
			"issue_integration_key": {"account": machine},
			"set_integration_key_limits": {"account": machine, "allowed_ip_ranges": "0.0.0.0/1"},
			"revoke_integration_key": {"account": machine},
		}
		outsiders = {
			"case_manager": self.client("case_manager"),
			"merchant": self.client("merchant"),
			"staff_b": Client(self.staff_b),
			"guest": Client(),
		}
		for who, client in outsiders.items():
			for method in ENDPOINTS:
				verb = "GET" if method == "partner_accounts" else "POST"
				code = self.refused(client, method, verb, **args[method])
				self.assertIn(code, (401, 403), f"{who} {method}")
		frappe.db.rollback()
		self.assertIsNone(frappe.db.get_value("User", machine, "api_key"))
		self.assertFalse(frappe.db.exists("User", args["invite_partner_user"]["email"]))
		self.assertEqual(frappe.get_roles(self.users["reception"]).count("Case Manager"), 0)
		# the log and the keys are the administrators' only
		for who in ("case_manager", "merchant", "reception"):
			for doctype in ("Partner Account Log", "Integration Key"):
				try:
					rows = self.client(who).get_list(doctype, fields=["name"])
				except RestError as e:
					self.assertIn(e.status_code, (403, 404), f"{who} {doctype}")
					rows = []
				self.assertEqual(rows, [], f"{who} {doctype}")
		# nor can they edit the agreement
		with self.assertRaises(RestError):
			self.client("case_manager").update("Provider", coop, {"agreement_number": "FAKE"})

	def test_no_escalation_by_the_administrator(self):
		"""What Desk never sends: roles beyond partners' staff, keys for administrators or people,
		foreign input, an email in use."""
		coop = self.new_cooperative()
		admin = self.client("admin")
		for roles in (
			["System Manager"],
			["Administrator"],
			["Network Administrator"],
			["Guest"],
			["Website Manager"],
			["Provider Staff", "System Manager"],
			"System Manager",
			"[]",
			'{"role": "System Manager"}',
		):
			data = {
				"provider": coop,
				"email": f"esc-{uid()}@ponte.test",
				"first_name": "Eve",
				"roles": roles if isinstance(roles, str) else json.dumps(roles),
			}
			self.assertEqual(self.refused(admin, "invite_partner_user", **data), 417, roles)
		# an integration user with a role that asks for a second factor
		self.assertEqual(
			self.refused(
				admin,
				"invite_partner_user",
				provider=coop,
				email=f"esc-{uid()}@ponte.test",
				first_name="Eve",
				roles=json.dumps(["Psychologist"]),
				integration=1,
			),
			417,
		)
		# an email in use: refused without naming its organisation
		r = admin.request(
			"POST",
			f"/api/method/{DESK}invite_partner_user",
			data={
				"provider": coop,
				"email": self.staff_b,
				"first_name": "Eve",
				"roles": json.dumps(["Provider Staff"]),
			},
		)
		self.assertEqual(r.status_code, 417)
		self.assertNotIn(self.other_org, r.text)
		# extra fields Desk never sends are not parameters: the organisation is the one named
		sneaky = self.invite(coop, tolink_provider=self.other_org, send_welcome_email=0, enabled=0)["user"]
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", sneaky, "tolink_provider"), coop)
		# keys and roles of accounts out of reach: Administrator, a Network Administrator, nobody
		person = self.invite(coop)["user"]
		for user in ("Administrator", self.users["admin"], person, "nobody@nowhere.test", ""):
			self.assertEqual(self.refused(admin, "issue_integration_key", account=user), 417, user)
		for user in ("Administrator", self.users["admin"], "nobody@nowhere.test", "Guest"):
			self.assertEqual(
				self.refused(admin, "set_partner_user_roles", account=user, roles=json.dumps(["Merchant"])),
				417,
				user,
			)
		self.assertEqual(
			self.refused(
				admin, "set_partner_user_roles", account=person, roles=json.dumps(["System Manager"])
			),
			417,
		)
		machine = self.invite(coop, integration=1)["user"]
		for ranges in ("0.0.0.0/0", "10.0.0.0/99", "' or 1=1 --", json.dumps(["10.0.0.0/8"])):
			self.assertEqual(
				self.refused(admin, "issue_integration_key", account=machine, allowed_ip_ranges=ranges),
				417,
				ranges,
			)
		self.assertEqual(
			self.refused(admin, "issue_integration_key", account=machine, expires_on=add_days(today(), -1)),
			417,
		)
		frappe.db.rollback()
		self.assertIsNone(frappe.db.get_value("User", "Administrator", "api_key"))
		self.assertIsNone(frappe.db.get_value("User", machine, "api_key"))
		self.assertNotIn("System Manager", frappe.get_roles(person))
		self.assertFalse(
			frappe.db.exists("User", {"tolink_provider": coop, "name": ("like", "esc-%")}), "nothing made"
		)
