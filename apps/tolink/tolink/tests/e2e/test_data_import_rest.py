"""The data import over HTTP: a Network Administrator uploads a spreadsheet, checks it and imports it
as Desk does; staff in any other role (Case Manager, Provider Staff, Merchant, Reception Operator)
can neither make, read nor run an import, nor download its file."""

import io

import frappe
from openpyxl import load_workbook

from tolink.devtools.factories import random_cf, uid
from tolink.devtools.rest import RestError
from tolink.tests.e2e.case import LiveServerTestCase

OUTSIDERS = ("case_manager", "provider_staff", "merchant", "reception")


class TestDataImportOverHttp(LiveServerTestCase):
	roles = {
		"admin": ["Network Administrator"],
		"case_manager": ["Case Manager"],
		"provider_staff": ["Provider Staff"],
		"merchant": ["Merchant"],
		"reception": ["Reception Operator"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# an import of the administrator's, whose file names a person
		cls.secret = f"Segretissimo{cls.s}"
		frappe.set_user(cls.users["admin"])
		file_doc = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"segreto-{cls.s}.csv",
				"is_private": 1,
				"content": f"Nome,Cognome,Codice fiscale\nAnna,{cls.secret},{random_cf()}\n",
			}
		).insert(ignore_permissions=True)
		cls.existing = (
			frappe.get_doc(
				{
					"doctype": "To Link Import",
					"import_type": "Citizen",
					"provider": cls.org,
					"import_file": file_doc.file_url,
				}
			)
			.insert()
			.name
		)
		cls.file_url = frappe.db.get_value("To Link Import", cls.existing, "import_file")
		frappe.set_user("Administrator")
		frappe.db.commit()

	def upload(self, who: str, content: str) -> str:
		"""As Desk's Attach field does on a new form."""
		r = self.client(who).request(
			"POST",
			"/api/method/upload_file",
			data={
				"doctype": "To Link Import",
				"docname": f"new-to-link-import-{uid()}",
				"fieldname": "import_file",
				"is_private": 1,
			},
			files={"file": (f"cittadini-{uid()}.csv", content.encode(), "text/csv")},
		)
		if r.status_code != 200:
			raise RestError(r)
		return r.json()["message"]["file_url"]

	def test_the_administrator_checks_then_imports(self):
		c = self.client("admin")
		template = c.request(
			"GET", "/api/method/tolink.api.desk.import_template", params={"import_type": "Citizen"}
		)
		self.assertEqual(template.status_code, 200, template.text[:300])
		header = [cell.value for cell in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
		self.assertTrue(header[0].endswith("*"), header)

		last = f"Http{self.s}"
		rows = [["Primo", last, random_cf()], ["Secondo", last, "RSSMRA80A01L219X"]]
		content = "Nome,Cognome,Codice fiscale\n" + "".join(",".join(r) + "\n" for r in rows)
		url = self.upload("admin", content)
		doc = c.insert(
			{"doctype": "To Link Import", "import_type": "Citizen", "provider": self.org, "import_file": url}
		)
		self.assertEqual(doc["status"], "Draft")

		out = c.post("tolink.api.desk.dry_run_import", to_link_import=doc["name"])
		self.assertEqual(out["status"], "Refused")
		self.assertEqual([(e["row"], bool(e["reason"])) for e in out["errors"]], [(3, True)])
		out = c.post("tolink.api.desk.run_import", to_link_import=doc["name"])
		self.assertEqual((out["status"], out["imported_rows"]), ("Refused", 0))
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Citizen", {"last_name": last}), 0)

		# status and counts are the app's: a client cannot set them
		with self.assertRaises(RestError):
			c.update("To Link Import", doc["name"], {"status": "Imported"})

		url = self.upload("admin", content.replace("RSSMRA80A01L219X", random_cf()))
		doc = c.insert(
			{"doctype": "To Link Import", "import_type": "Citizen", "provider": self.org, "import_file": url}
		)
		self.assertEqual(
			c.post("tolink.api.desk.dry_run_import", to_link_import=doc["name"])["status"], "Ready to Import"
		)
		out = c.post("tolink.api.desk.run_import", to_link_import=doc["name"])
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 2), out["errors"])
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Citizen", {"last_name": last, "provider": self.org}), 2)
		self.assertTrue(
			frappe.db.get_value("To Link Import", doc["name"], "import_file").startswith("/private/")
		)
		with self.assertRaises(RestError):
			c.post("tolink.api.desk.run_import", to_link_import=doc["name"])

	def test_other_roles_are_refused(self):
		for who in OUTSIDERS:
			with self.subTest(who=who):
				c = self.client(who)
				with self.assertRaises(RestError) as e:
					c.insert({"doctype": "To Link Import", "import_type": "Citizen", "provider": self.org})
				self.assertIn(e.exception.status_code, (403, 404, 417))
				try:
					listed = c.get_list("To Link Import", fields=["name"])
				except RestError as e:
					self.assertIn(e.status_code, (403, 404))
					listed = []
				self.assertEqual(listed, [])
				with self.assertRaises(RestError):
					c.get_doc("To Link Import", self.existing)
				for method in ("dry_run_import", "run_import"):
					r = c.request(
						"POST",
						f"/api/method/tolink.api.desk.{method}",
						data={"to_link_import": self.existing},
					)
					self.assertIn(r.status_code, (403, 404), f"{method}: {r.text[:200]}")
					self.assertNotIn(self.secret, r.text)
				r = c.request(
					"GET", "/api/method/tolink.api.desk.import_template", params={"import_type": "Citizen"}
				)
				self.assertIn(r.status_code, (403, 404))
				r = c.request("GET", self.file_url)
				self.assertNotEqual(r.status_code, 200)
				self.assertNotIn(self.secret, r.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("To Link Import", self.existing, "status"), "Draft")
		self.assertEqual(
			frappe.db.count("To Link Import", {"owner": ("in", [self.users[w] for w in OUTSIDERS])}), 0
		)
