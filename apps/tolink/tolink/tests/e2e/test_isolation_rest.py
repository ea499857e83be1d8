"""Partner isolation over HTTP: each role against a real server, on every standard REST path.

Organisation A registers a person; staff of organisation B, a Merchant and a Monitoring Officer
must get nothing of it: not from lists, documents, counts, link search, link validation, values
or the report view. Staff of A and Network Administrators see it.
"""

import json

import frappe

from tolink.devtools.factories import make_citizen, make_consent, make_household, make_provider, uid
from tolink.devtools.rest import RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase


class TestPartnerIsolationOverREST(LiveServerTestCase):
	roles = {  # staff of organisation A (cls.org)
		"staff_a": ["Provider Staff"],
		"reception_a": ["Reception Operator"],
		"monitoring": ["Monitoring Officer"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.org_a, cls.org_b = cls.org, make_provider(f"Org B {s}")
		cls.citizen = make_citizen(cls.org_a, first_name="Lucia", last_name=f"Riservata{s}")
		cls.household = make_household(cls.org_a, [cls.citizen], isee=4000)
		cls.consent = make_consent(cls.citizen.name, cls.org_a, purpose="Reception")
		cls.records = {
			"Citizen": cls.citizen.name,
			"Household": cls.household.name,
			"Consent": cls.consent.name,
		}
		cls.users.update(
			{
				"staff_b": make_user(f"staff-b-{s}@iso.test", ["Provider Staff"], cls.org_b),
				"reception_b": make_user(f"reception-b-{s}@iso.test", ["Reception Operator"], cls.org_b),
				"case_manager_b": make_user(f"cm-b-{s}@iso.test", ["Case Manager"], cls.org_b),
				"merchant": make_user(f"merchant-{s}@iso.test", ["Merchant"], cls.org_b),
				"admin": make_user(f"admin-{s}@iso.test", ["Network Administrator"], cls.org_b),
				"no_org": make_user(f"no-org-{s}@iso.test", ["Reception Operator"], None),
			}
		)
		frappe.db.commit()

	# --- what each path returns
	def sees(self, who: str, doctype: str, name: str) -> dict[str, bool]:
		c = self.client(who)
		seen = {}

		def attempt(path, fn):
			try:
				seen[path] = bool(fn())
			except RestError as e:
				self.assertIn(e.status_code, (403, 404, 417), f"{path}: {e}")
				seen[path] = False

		attempt("list", lambda: name in [r["name"] for r in c.get_list(doctype, filters={"name": name})])
		attempt("list_fields", lambda: c.get_list(doctype, fields=["*"], filters=[["name", "=", name]]))
		attempt("get", lambda: c.get_doc(doctype, name))
		attempt("count", lambda: c.count(doctype, {"name": name}))
		attempt("search_link", lambda: name in c.search_link(doctype, name))
		attempt("validate_link", lambda: (c.validate_link(doctype, name) or {}).get("name"))
		attempt(
			"get_value",
			lambda: c.get(
				"frappe.client.get_value",
				doctype=doctype,
				fieldname="name",
				filters=json.dumps({"name": name}),
			),
		)
		attempt(
			"reportview",
			lambda: (
				c.post(
					"frappe.desk.reportview.get",
					doctype=doctype,
					fields=[f"`tab{doctype}`.`name`"],
					filters=[[doctype, "name", "=", name]],
				)
				or {}
			).get("values"),
		)
		attempt("getdoc", lambda: c.getdoc(doctype, name))
		return seen

	def assert_sees_nothing(self, who: str):
		for doctype, name in self.records.items():
			seen = self.sees(who, doctype, name)
			leaks = [path for path, ok in seen.items() if ok]
			self.assertEqual(leaks, [], f"{who} sees {doctype} {name} through {leaks}")

	def assert_sees_all(self, who: str):
		for doctype, name in self.records.items():
			seen = self.sees(who, doctype, name)
			blind = [path for path, ok in seen.items() if not ok]
			self.assertEqual(blind, [], f"{who} cannot see own {doctype} {name} through {blind}")

	def test_own_organisation_sees_its_records(self):
		self.assert_sees_all("staff_a")
		self.assert_sees_all("reception_a")

	def test_network_administrator_sees_the_network(self):
		self.assert_sees_all("admin")

	def test_other_organisation_sees_nothing(self):
		for who in ("staff_b", "reception_b", "case_manager_b"):
			self.assert_sees_nothing(who)

	def test_merchant_and_monitoring_officer_see_no_personal_data(self):
		self.assert_sees_nothing("merchant")
		self.assert_sees_nothing("monitoring")

	def test_user_without_organisation_sees_nothing(self):
		self.assert_sees_nothing("no_org")

	def test_codice_fiscale_is_no_oracle(self):
		"""Counting or filtering by codice fiscale must not tell B that A knows the person."""
		c = self.client("staff_b")
		cf = self.citizen.codice_fiscale
		self.assertEqual(c.count("Citizen", {"codice_fiscale": cf}), 0)
		self.assertEqual(c.get_list("Citizen", filters={"codice_fiscale": cf}), [])

	def test_records_belong_to_the_creators_organisation(self):
		c = self.client("reception_b")
		last_name = f"Iscritto{uid(4)}"
		with self.assertRaises(RestError) as ctx:
			c.insert(
				{
					"doctype": "Citizen",
					"first_name": "Nuovo",
					"last_name": last_name,
					"has_no_codice_fiscale": 1,
					"provider": self.org_a,
				}
			)
		# the organisation is set by the app: naming another one is refused by the request gate
		self.assertEqual(ctx.exception.status_code, 417)
		self.assertFalse(frappe.db.exists("Citizen", {"last_name": last_name}))
		doc = c.insert(
			{"doctype": "Citizen", "first_name": "Nuovo", "last_name": last_name, "has_no_codice_fiscale": 1}
		)
		self.assertEqual(doc["provider"], self.org_b)
		self.assertTrue(doc["provisional_id"])
		# naming one's own organisation is what the app would set anyway (a partner's client may)
		own = c.insert(
			{
				"doctype": "Citizen",
				"first_name": "Nuova",
				"last_name": last_name,
				"has_no_codice_fiscale": 1,
				"provider": self.org_b,
			}
		)
		self.assertEqual(own["provider"], self.org_b)

	def test_cannot_move_a_record_to_another_organisation(self):
		c = self.client("staff_a")
		with self.assertRaises(RestError):
			c.update("Citizen", self.citizen.name, {"provider": self.org_b})
		self.assertEqual(frappe.db.get_value("Citizen", self.citizen.name, "provider"), self.org_a)

	def test_other_organisation_cannot_write(self):
		c = self.client("staff_b")
		with self.assertRaises(RestError) as ctx:
			c.update("Citizen", self.citizen.name, {"phone": "3330000000"})
		# not yours answers like not there
		self.assertEqual(ctx.exception.status_code, 404)
		frappe.db.rollback()
		self.assertNotEqual(frappe.db.get_value("Citizen", self.citizen.name, "phone"), "3330000000")
