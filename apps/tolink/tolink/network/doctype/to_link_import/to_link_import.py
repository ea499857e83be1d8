# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, get_datetime, now_datetime

# the fields that say what an import is: fixed once it has written its rows
DEFINITION = ("import_type", "provider", "hub", "import_file")
STATUSES = ("Draft", "Queued", "Running", "Ready to Import", "Refused", "Imported", "Failed")
# a run waiting for a worker or running: the import cannot start again or change
IN_PROGRESS = ("Queued", "Running")
# longer than an import job may run (tolink.network.data_import.IMPORT_TIMEOUT)
STALE_AFTER_SECONDS = 2 * 60 * 60


class ToLinkImport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		error_log: DF.LongText | None
		hub: DF.Link | None
		import_file: DF.Attach
		import_type: DF.Literal["Citizen", "Household", "Provider", "Service", "Opening Stock"]
		imported_rows: DF.Int
		last_run: DF.Literal["", "Dry Run", "Import"]
		last_run_on: DF.Datetime | None
		message: DF.SmallText | None
		provider: DF.Link | None
		refused_rows: DF.Int
		status: DF.Literal["Draft", "Queued", "Running", "Ready to Import", "Refused", "Imported", "Failed"]
		total_rows: DF.Int
	# end: auto-generated types

	def validate(self):
		self.keep_what_was_imported()
		self.clear_unused_targets()
		self.reset_when_changed()
		self.keep_file_private()

	def on_trash(self):
		if self.status == "Imported":
			frappe.throw(
				_("An import that wrote its rows is kept: it tells where the records came from."),
				frappe.ValidationError,
			)

	def keep_what_was_imported(self):
		if self.is_new():
			return
		before = self.get_doc_before_save()
		if before and before.status in ("Imported", *IN_PROGRESS):
			changed = [f for f in DEFINITION if self.has_value_changed(f)]
			if changed:
				frappe.throw(
					_("This import is {0}: {1} cannot change. Make a new import.").format(
						_(before.status).lower(), _(self.meta.get_label(changed[0]))
					)
				)

	def clear_unused_targets(self):
		if self.import_type == "Opening Stock":
			self.provider = None
		else:
			self.hub = None
		if self.import_type == "Provider":
			self.provider = None

	def reset_when_changed(self):
		"""A new file or a new target: the last dry run no longer says anything."""
		if not self.is_new() and any(self.has_value_changed(f) for f in DEFINITION):
			self.status = "Draft"
			self.total_rows = self.refused_rows = self.imported_rows = 0
			self.error_log = self.message = self.last_run = self.last_run_on = None

	def keep_file_private(self):
		"""The file holds personal data: private, whatever the upload dialog was told; and it is a
		file uploaded for an import, not another record's attachment."""
		if not self.import_file:
			return
		files = frappe.get_all(
			"File",
			filters={"file_url": self.import_file},
			fields=["name", "is_private", "attached_to_doctype"],
		)
		if any(f.attached_to_doctype not in (None, "", self.doctype) for f in files):
			frappe.throw(
				_("Upload the file to import here (Attach): it cannot be another record's attachment.")
			)
		for f in files:
			if not f.is_private:
				file_doc = frappe.get_doc("File", f.name)
				file_doc.is_private = 1
				file_doc.save(ignore_permissions=True)
				self.import_file = file_doc.file_url

	def check_can_run(self):
		"""Raise unless this import may be checked or run now."""
		self.check_permission("write")
		if self.status == "Imported":
			frappe.throw(_("This import has already written its rows: make a new import."))
		# a run that outlived any job's timeout died with its worker: it may be run again
		stale = add_to_date(now_datetime(), seconds=-STALE_AFTER_SECONDS)
		if self.status in IN_PROGRESS and get_datetime(self.modified) > stale:
			frappe.throw(_("This import is already running: wait until it is done."))
