# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe

from tolink.api.partner import respond_to_referral as respond
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.tests.case import CommittingTestCase


class TestCaseNoteVisibility(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org_a, self.org_b = make_provider(), make_provider()
		s = uid()
		self.author = make_user(f"author-{s}@note.test", ["Case Manager"], self.org_a)
		self.colleague = make_user(f"colleague-{s}@note.test", ["Case Manager"], self.org_a)
		self.psychologist = make_user(f"psy-{s}@note.test", ["Psychologist"], self.org_a)
		self.partner = make_user(f"partner-{s}@note.test", ["Provider Staff"], self.org_b)
		self.admin = make_user(f"admin-{s}@note.test", ["Network Administrator"], self.org_a)
		self.citizen = make_citizen(self.org_a)
		make_household(self.org_a, [self.citizen], isee=1000)
		frappe.set_user(self.author)
		self.notes = {
			vis: frappe.get_doc(
				{
					"doctype": "Case Note",
					"citizen": self.citizen.name,
					"visibility": vis,
					"subject": f"{vis} note",
					"note": f"<p>{vis} content</p>",
					"allowed_roles": [{"role": "Psychologist"}] if vis == "Restricted" else [],
				}
			).insert()
			for vis in ("Network", "Organisation", "Restricted")
		}
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def visible(self, user):
		frappe.set_user(user)
		names = set(frappe.get_list("Case Note", filters={"citizen": self.citizen.name}, pluck="name"))
		readable = {
			vis for vis, doc in self.notes.items() if frappe.has_permission("Case Note", "read", doc=doc.name)
		}
		frappe.set_user("Administrator")
		self.assertEqual({vis for vis, doc in self.notes.items() if doc.name in names}, readable)
		return readable

	def test_author_and_org_and_named_roles(self):
		self.assertEqual(self.visible(self.author), {"Network", "Organisation", "Restricted"})
		self.assertEqual(self.visible(self.colleague), {"Network", "Organisation"})
		self.assertEqual(self.visible(self.psychologist), {"Network", "Organisation", "Restricted"})

	def test_network_administrator_does_not_read_restricted(self):
		self.assertEqual(self.visible(self.admin), {"Network", "Organisation"})

	def test_partner_sees_network_notes_only_while_working_the_case(self):
		self.assertEqual(self.visible(self.partner), set())
		make_consent(self.citizen.name, self.org_a, partner=self.org_b)
		service = make_service(self.org_b)
		frappe.set_user(self.author)
		ref = frappe.get_doc(
			{"doctype": "Referral", "citizen": self.citizen.name, "service": service.name}
		).insert()
		self.assertEqual(self.visible(self.partner), {"Network"})
		frappe.set_user(self.author)
		respond(ref.name, "cancel")
		self.assertEqual(self.visible(self.partner), set())

	def test_every_read_is_logged(self):
		for visibility, reader in (("Restricted", self.psychologist), ("Organisation", self.colleague)):
			note = self.notes[visibility]
			frappe.set_user(reader)
			frappe.get_doc("Case Note", note.name).check_permission("read")
			frappe.set_user("Administrator")
			self.assertTrue(
				frappe.db.exists(
					"Personal Data Access Log",
					{"user": reader, "reference_doctype": "Case Note", "reference_name": note.name},
				),
				visibility,
			)

	def test_restricted_notes_are_not_counted_or_found(self):
		frappe.set_user(self.colleague)
		from tolink.permissions.api import get_count

		self.assertEqual(get_count("Case Note", {"citizen": self.citizen.name}), 2)
		self.assertEqual(get_count("Case Note", {"subject": "Restricted note"}), 0)

	def test_no_version_history_is_kept(self):
		note = self.notes["Restricted"]
		frappe.set_user(self.author)
		note.reload()
		note.note = "<p>changed</p>"
		note.save()
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Version", {"ref_doctype": "Case Note", "docname": note.name}))

	def test_author_is_the_writer_not_the_caller(self):
		frappe.set_user(self.colleague)
		doc = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Restricted",
				"subject": "spoof",
				"note": "x",
				"author": self.author,
			}
		).insert()
		self.assertEqual(doc.author, self.colleague)

	def test_only_author_edits_a_restricted_note(self):
		frappe.set_user(self.psychologist)
		self.assertFalse(frappe.has_permission("Case Note", "write", doc=self.notes["Restricted"].name))
