# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CaseNote(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.care_path.doctype.case_note_role.case_note_role import CaseNoteRole

		allowed_roles: DF.TableMultiSelect[CaseNoteRole]
		author: DF.Link | None
		citizen: DF.Link
		citizen_name: DF.Data | None
		note: DF.TextEditor
		provider: DF.Link
		subject: DF.Data
		visibility: DF.Literal["Network", "Organisation", "Restricted"]
	# end: auto-generated types

	def before_insert(self):
		# the author is who writes the note, never what a caller sends
		self.author = frappe.session.user

	def validate(self):
		self.check_author_unchanged()
		self.check_allowed_roles()

	def check_author_unchanged(self):
		if not self.is_new() and self.has_value_changed("author"):
			frappe.throw(_("The author of a note cannot be changed."))

	def check_allowed_roles(self):
		if self.visibility != "Restricted":
			self.set("allowed_roles", [])
			return
		roles = [r.role for r in self.allowed_roles]
		if len(roles) != len(set(roles)):
			frappe.throw(_("A role is listed twice."))


def on_doctype_update():
	frappe.db.add_index("Case Note", ["citizen", "visibility"])
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Case Note", ["provider", "modified"])
