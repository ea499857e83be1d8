"""Restricted case notes over HTTP: invisible to everyone but the author and the named roles, on
every path (list, get, count, link search, report view, export, print), and every read logged."""

import json

import frappe

from tolink.devtools.factories import make_citizen, make_provider
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase

SECRET = "Contenuto clinico riservato"


class TestRestrictedNotesOverREST(LiveServerTestCase):
	roles = {
		"psychologist": ["Psychologist"],
		"colleague": ["Case Manager"],
		"admin": ["Network Administrator"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.psychologist, cls.colleague, cls.admin = (
			cls.users[k] for k in ("psychologist", "colleague", "admin")
		)
		cls.other_psy = make_user(f"psy2-{s}@notes.test", ["Psychologist"], make_provider())
		# a System Manager is never staff (no organisation, no To Link role): an account of its own
		cls.system_manager = make_user(f"sysman-{s}@notes.test", ["System Manager"])
		cls.citizen = make_citizen(cls.org)
		frappe.db.commit()
		author = Client(cls.psychologist)
		cls.note = author.insert(
			{
				"doctype": "Case Note",
				"citizen": cls.citizen.name,
				"visibility": "Restricted",
				"subject": f"Colloquio {s}",
				"note": SECRET,
				"allowed_roles": [{"role": "Psychologist"}],
			}
		)["name"]
		cls.subject = f"Colloquio {s}"

	def paths(self, c: Client) -> dict:
		name = self.note
		out = {}

		def attempt(path, fn):
			try:
				out[path] = fn()
			except RestError as e:
				self.assertIn(e.status_code, (403, 404, 417), f"{path}: {e}")
				out[path] = None

		attempt(
			"list",
			lambda: c.get_list("Case Note", fields=["name", "note"], filters={"citizen": self.citizen.name}),
		)
		attempt("get", lambda: c.get_doc("Case Note", name))
		attempt("count", lambda: c.count("Case Note", {"subject": self.subject}))
		attempt("search_link", lambda: c.search_link("Case Note", self.subject))
		attempt(
			"reportview",
			lambda: c.post(
				"frappe.desk.reportview.get",
				doctype="Case Note",
				fields=["`tabCase Note`.`name`", "`tabCase Note`.`note`"],
				filters=[["Case Note", "citizen", "=", self.citizen.name]],
			),
		)
		attempt("getdoc", lambda: c.getdoc("Case Note", name))

		def export():
			r = c.request(
				"POST",
				"/api/method/frappe.desk.reportview.export_query",
				data={
					"doctype": "Case Note",
					"file_format_type": "CSV",
					"fields": json.dumps(["`tabCase Note`.`name`", "`tabCase Note`.`note`"]),
					"filters": json.dumps([["Case Note", "citizen", "=", self.citizen.name]]),
				},
			)
			return r.text if r.status_code == 200 else None

		attempt("export", export)

		def printview():
			r = c.request(
				"GET", "/printview", params={"doctype": "Case Note", "name": name, "format": "Standard"}
			)
			return r.text if r.status_code == 200 else None

		attempt("print", printview)
		return out

	def assert_invisible(self, c: Client):
		for path, value in self.paths(c).items():
			text = json.dumps(value, default=str) if value is not None else ""
			self.assertNotIn(SECRET, text, f"secret leaked through {path}")
			self.assertNotIn(self.note, text, f"note name leaked through {path}")
		self.assertIn(self.paths(c)["count"] or 0, (0,))

	def test_author_reads_it(self):
		c = Client(self.psychologist)
		self.assertIn(SECRET, c.get_doc("Case Note", self.note)["note"])

	def test_colleague_without_the_role_sees_nothing(self):
		self.assert_invisible(Client(self.colleague))

	def test_network_and_system_administrators_see_nothing(self):
		self.assert_invisible(Client(self.admin))
		self.assert_invisible(Client(self.system_manager))

	def test_same_role_in_another_organisation_sees_nothing(self):
		self.assert_invisible(Client(self.other_psy))

	def test_reads_are_logged(self):
		Client(self.psychologist).get_doc("Case Note", self.note)
		frappe.db.rollback()
		logs = frappe.get_all(
			"Personal Data Access Log",
			filters={
				"reference_doctype": "Case Note",
				"reference_name": self.note,
				"user": self.psychologist,
			},
			fields=["endpoint", "citizen", "provider"],
		)
		self.assertTrue(logs)
		self.assertEqual(logs[0].citizen, self.citizen.name)
		self.assertEqual(logs[0].provider, self.org)
		self.assertIn("/api/resource/Case Note", logs[0].endpoint)

	def test_sharing_is_refused(self):
		c = Client(self.psychologist)
		with self.assertRaises(RestError):
			c.post(
				"frappe.share.add_docshare",
				doctype="Case Note",
				name=self.note,
				user=self.colleague,
				read=1,
			)
		self.assert_invisible(Client(self.colleague))
