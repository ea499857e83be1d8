"""The right of access over HTTP: a request, its export and who may read it."""

import json

import frappe

from tolink.devtools.factories import (
	make_citizen,
	make_household,
	make_provider,
	uid,
)
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.case import CommittingTestCase


class TestAccessRequestOverHttp(CommittingTestCase):
	"""The export of everything held on a person (restricted notes included) reaches the Network
	Administrator who made it, and no colleague of the organisation."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org = make_provider(f"Accesso {s}")
		cls.citizen = make_citizen(cls.org)
		make_household(cls.org, [cls.citizen])
		cls.secret = f"Riservatissimo{s}"
		frappe.set_user(make_user(f"psy-{s}@sar.test", ["Psychologist"], cls.org))
		cls.note = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": cls.citizen.name,
				"visibility": "Restricted",
				"subject": "s",
				"note": cls.secret,
			}
		).insert()
		frappe.set_user("Administrator")
		cls.admin = make_user(f"adm-{s}@sar.test", ["Network Administrator"], cls.org)
		cls.reception = make_user(f"rec-{s}@sar.test", ["Reception Operator"], cls.org)
		# Frappe's rule, the reason the export is not stored: a colleague who reads the citizen
		# downloads any file attached to it, private or not
		cls.attached = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"allegato-{s}.txt",
				"attached_to_doctype": "Citizen",
				"attached_to_name": cls.citizen.name,
				"is_private": 1,
				"content": f"Allegato {s}",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	def test_a_colleague_gets_no_copy_of_the_export(self):
		reception = Client(self.reception)
		self.assertEqual(reception.get_doc("Citizen", self.citizen.name)["name"], self.citizen.name)
		r = reception.request("GET", self.attached.file_url)
		self.assertEqual(r.status_code, 200, r.text[:300])  # the premise: attachments reach colleagues

		result = Client(self.admin).post("tolink.api.desk.export_citizen", citizen=self.citizen.name)
		exported = json.loads(result["content"])
		self.assertEqual([n["note"] for n in exported["records"]["Case Note"]], [self.secret])
		self.assertNotIn("file_url", result)
		frappe.db.rollback()  # a fresh snapshot: what the server committed
		self.assertTrue(
			frappe.db.exists(
				"Personal Data Access Log",
				{"citizen": self.citizen.name, "user": self.admin, "endpoint": "access request export"},
			)
		)

		# nothing stored, so nothing for the colleague to list or download
		self.assertFalse(frappe.db.exists("File", {"file_name": result["file_name"]}))
		self.assertFalse(frappe.db.exists("File", {"file_name": ("like", f"%{self.citizen.name}%.json")}))
		listed = reception.get_list(
			"File",
			fields=["name", "file_name", "file_url"],
			filters={"attached_to_doctype": "Citizen", "attached_to_name": self.citizen.name},
		)
		self.assertEqual([f["name"] for f in listed], [self.attached.name])
		r = reception.request(
			"GET",
			"/api/method/frappe.desk.form.load.getdoc",
			params={"doctype": "Citizen", "name": self.citizen.name},
		)
		self.assertEqual(r.status_code, 200, r.text[:300])
		self.assertEqual([a["name"] for a in r.json()["docinfo"]["attachments"]], [self.attached.name])
		for url in (
			f"/private/files/{result['file_name']}",
			f"/files/{result['file_name']}",
		):
			r = reception.request("GET", url)
			self.assertIn(r.status_code, (403, 404), f"{url}: {r.status_code}")
			self.assertNotIn(self.secret, r.text)

		# the restricted note itself stays out of reach, and the colleague cannot export
		for call in (
			lambda: reception.get_doc("Case Note", self.note.name),
			lambda: reception.get_list(
				"Case Note", fields=["name", "note"], filters={"citizen": self.citizen.name}
			),
			lambda: reception.post("tolink.api.desk.export_citizen", citizen=self.citizen.name),
		):
			try:
				self.assertNotIn(self.secret, json.dumps(call()))
			except RestError as e:
				self.assertIn(e.status_code, (403, 404), str(e))
				self.assertNotIn(self.secret, e.response.text)
