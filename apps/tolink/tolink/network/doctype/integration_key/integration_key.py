# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from tolink.security import api_keys

ACTIVE, REVOKED = api_keys.KEY_ACTIVE, api_keys.KEY_REVOKED
STATUSES = (ACTIVE, REVOKED)


class IntegrationKey(Document):
	"""One per integration user (named after it): the key's limits and history. The key and its
	secret are Frappe's (User.api_key, User.api_secret, encrypted); tolink.network.onboarding issues,
	rotates and revokes them, tolink.security.api_keys enforces the limits on every request."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allowed_ip_ranges: DF.SmallText | None
		expires_on: DF.Date | None
		issued_by: DF.Link | None
		issued_on: DF.Datetime | None
		key_id: DF.Data | None
		provider: DF.Link | None
		revoked_by: DF.Link | None
		revoked_on: DF.Datetime | None
		status: DF.Literal["Active", "Revoked"]
		user: DF.Link
	# end: auto-generated types

	def validate(self):
		self.allowed_ip_ranges = "\n".join(api_keys.parse_ip_ranges(self.allowed_ip_ranges)) or None
		if self.status not in STATUSES:
			frappe.throw(_("Unknown status {0}.").format(self.status))


def on_doctype_update():
	frappe.db.add_index("Integration Key", ["provider"])
