"""Fields of a linked record, read through a list, follow that record's row-level rules.

Frappe's list queries (REST lists, report view, exports, Desk lists) accept fields of a linked
record: `fields=["citizen.codice_fiscale"]` on Referral joins Citizen. Frappe checks only that
the user's roles may read Citizen in general, not that row: an organisation receiving a referral
could read the whole record of another organisation's citizen through it.

Here every such join onto a doctype with row-level rules (a `permission_query_conditions` hook)
keeps only the rows the user may read: the join reads from `(select * from tabCitizen where
<the user's conditions>)`, so the joined fields are empty for anyone else's records. The list
itself is unchanged; Desk's link titles (`citizen.full_name` in a list view) keep working for
the records the user may read.

Applied to Frappe's DatabaseQuery when this module is imported: hooks.before_request and
hooks.before_job import it before any query of a request or a job runs.
"""

import frappe
from frappe.model.db_query import DatabaseQuery

from tolink.permissions.policy import row_conditions

# Frappe's own method, kept once even if this module is loaded again
_frappe_prepare_args = getattr(DatabaseQuery.prepare_args, "frappe_original", DatabaseQuery.prepare_args)


def prepare_args(self: DatabaseQuery):
	args = _frappe_prepare_args(self)
	if self.flags.ignore_permissions or not self.link_tables:
		return args
	for link in self.link_tables:
		if not (conditions := row_conditions(link.doctype, self.user)):
			continue
		join = f"{self.join} {link.table_name} {link.table_alias} on ("
		restricted = (
			f"{self.join} (select * from {link.table_name} where {conditions}) {link.table_alias} on ("
		)
		if join not in args.tables:
			# Frappe's query changed shape: refuse rather than answer unfiltered
			frappe.throw(
				frappe._("This list cannot include fields of a linked record."), frappe.PermissionError
			)
		args.tables = args.tables.replace(join, restricted, 1)
	return args


def install() -> None:
	"""hooks.before_request / before_job: importing this module applies the rule."""


prepare_args.frappe_original = _frappe_prepare_args
DatabaseQuery.prepare_args = prepare_args
