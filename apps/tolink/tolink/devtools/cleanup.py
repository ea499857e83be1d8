"""Remove what a black-box test committed: the factories record what they create while a recording
is open, and `sweep` deletes those records, the users and organisations, and everything owned by,
linking to or attached to them (transitively), straight from the database.

Raw deletes on purpose: the records may be submitted, protected by `on_trash` rules or linked to
one another in any order, and nothing here must survive to break a later run."""

import contextlib
import functools
from collections import defaultdict

import frappe

# metadata and configuration: never swept, even if a test user touched them
NEVER = {
	"DocType",
	"DocField",
	"DocPerm",
	"Custom DocPerm",
	"Custom Field",
	"Property Setter",
	"Module Def",
	"Role",
	"Role Profile",
	"Report",
	"Page",
	"Workspace",
	"Workflow",
	"Workflow Transition",
	"Workflow Document State",
	"Workflow State",
	"Workflow Action Master",
	"Installed Application",
	"Patch Log",
	"Scheduled Job Type",
}
# (doctype, field naming a doctype, field naming a record) that are Data, not Dynamic Link, fields
REFERENCES = (
	("Version", "ref_doctype", "docname"),
	("Comment", "reference_doctype", "reference_name"),
	("File", "attached_to_doctype", "attached_to_name"),
	("ToDo", "reference_type", "reference_name"),
	("Communication", "reference_doctype", "reference_name"),
	("Activity Log", "reference_doctype", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("Notification Log", "document_type", "document_name"),
	("View Log", "reference_doctype", "reference_name"),
	("Access Log", "export_from", "reference_document"),
	("Document Follow", "ref_doctype", "ref_docname"),
)

_recordings: list[list[tuple[str, str]]] = []


def record(doctype: str, name: str) -> None:
	"""Note a record a factory created (if a recording is open)."""
	for made in _recordings:
		made.append((doctype, name))


def start() -> list[tuple[str, str]]:
	"""Open a recording: every record the factories create from now on is appended to the list."""
	made: list[tuple[str, str]] = []
	_recordings.append(made)
	return made


def stop(made: list[tuple[str, str]]) -> None:
	with contextlib.suppress(ValueError):
		_recordings.remove(made)


@functools.cache
def _meta():
	"""Tables, link fields and child tables of every doctype stored in a table of its own (read once
	per process: the schema does not change during a test run)."""
	rows = frappe.db.sql(
		"select name, istable from `tabDocType` where issingle = 0 and ifnull(is_virtual, 0) = 0",
		as_dict=True,
	)
	tables = set(frappe.db.get_tables(cached=False))
	doctypes = {r.name: r.istable for r in rows if f"tab{r.name}" in tables and r.name not in NEVER}
	fields = frappe.db.sql(
		"""select parent, fieldname, fieldtype, options from `tabDocField`
		where fieldtype in ('Link', 'Dynamic Link', 'Table', 'Table MultiSelect')
		union all
		select dt, fieldname, fieldtype, options from `tabCustom Field`
		where fieldtype in ('Link', 'Dynamic Link', 'Table', 'Table MultiSelect')""",
		as_dict=True,
	)
	links = defaultdict(list)  # target doctype -> [(doctype, field)]
	dynamic = [(d, f, o) for d, f, o in REFERENCES if d in doctypes]
	children = defaultdict(set)  # parent doctype -> child doctypes
	for f in fields:
		if f.parent not in doctypes:
			continue
		if f.fieldtype == "Link" and f.options:
			links[f.options].append((f.parent, f.fieldname))
		elif f.fieldtype == "Dynamic Link" and f.options:
			dynamic.append((f.parent, f.options, f.fieldname))
		elif f.fieldtype in ("Table", "Table MultiSelect") and f.options in doctypes:
			children[f.parent].add(f.options)
	return doctypes, links, dynamic, children


def _chunks(values, size=500):
	values = list(values)
	for i in range(0, len(values), size):
		yield values[i : i + size]


def sweep(made=(), users=(), providers=()) -> dict[str, int]:
	"""Delete the records in `made`, the users and providers, and everything owned by, linking to or
	attached to any of them, transitively. Commits. Returns how many rows went, per doctype.

	Only on a test site (`allow_tests` in its site config, as scripts/test.sh creates it): it deletes
	straight from the database."""
	if not frappe.conf.get("allow_tests"):
		raise RuntimeError(f"{frappe.local.site} is not a test site (no allow_tests): nothing swept")
	doctypes, links, dynamic, children = _meta()
	doomed: dict[str, set[str]] = defaultdict(set)
	for doctype, name in made:
		doomed[doctype].add(name)
	doomed["User"].update(u for u in users if u and u not in ("Administrator", "Guest"))
	doomed["Provider"].update(p for p in providers if p)

	def find(doctype, where, values):
		found = set()
		for chunk in _chunks(values):
			found.update(
				frappe.db.sql(
					f"select name from `tab{doctype}` where {where}", {"values": tuple(chunk)}, pluck=True
				)
			)
		return found

	# what the users made (over the REST API, in the browser), whatever it is
	if doomed["User"]:
		for doctype, istable in doctypes.items():
			if not istable:
				doomed[doctype] |= find(doctype, "owner in %(values)s", doomed["User"])
	# then whatever links to anything doomed, until nothing new turns up
	seen: dict[str, set[str]] = defaultdict(set)
	while True:
		fresh = {dt: names - seen[dt] for dt, names in doomed.items() if names - seen[dt]}
		if not fresh:
			break
		for dt, names in fresh.items():
			seen[dt] |= names
		for target, names in fresh.items():
			for doctype, field in links.get(target, ()):
				if doctypes[doctype]:  # a child row: its parent goes (unless a single, e.g. settings)
					for chunk in _chunks(names):
						for parenttype, parent in frappe.db.sql(
							f"select parenttype, parent from `tab{doctype}` where `{field}` in %(values)s",
							{"values": tuple(chunk)},
						):
							if parenttype in doctypes and not doctypes[parenttype]:
								doomed[parenttype].add(parent)
				else:
					doomed[doctype] |= find(doctype, f"`{field}` in %(values)s", names)
			for doctype, type_field, name_field in dynamic:
				if doctypes[doctype]:
					continue
				for chunk in _chunks(names):
					doomed[doctype].update(
						frappe.db.sql(
							f"select name from `tab{doctype}` where `{type_field}` = %(dt)s "
							f"and `{name_field}` in %(values)s",
							{"dt": target, "values": tuple(chunk)},
							pluck=True,
						)
					)

	removed = {}
	for doctype, names in doomed.items():
		if not names or doctype not in doctypes:
			continue
		for chunk in _chunks(names):
			for child in children.get(doctype, ()):
				frappe.db.sql(
					f"delete from `tab{child}` where parenttype = %(dt)s and parent in %(values)s",
					{"dt": doctype, "values": tuple(chunk)},
				)
			frappe.db.sql(f"delete from `tab{doctype}` where name in %(values)s", {"values": tuple(chunk)})
		removed[doctype] = len(names)
	# child rows in settings (singles) that pointed at something removed
	for target, names in doomed.items():
		for doctype, field in links.get(target, ()):
			if doctypes[doctype] and names:
				for chunk in _chunks(names):
					frappe.db.sql(
						f"delete from `tab{doctype}` where `{field}` in %(values)s", {"values": tuple(chunk)}
					)
	users = list(doomed["User"])
	tables = set(frappe.db.get_tables(cached=False))
	for chunk in _chunks(users):
		values = {"values": tuple(chunk)}
		frappe.db.sql("delete from `__Auth` where doctype = 'User' and name in %(values)s", values)
		frappe.db.sql("delete from `tabDefaultValue` where parent in %(values)s", values)
		# made for each user by Frappe: their notification settings, the mails sent to them
		frappe.db.sql("delete from `tabNotification Settings` where name in %(values)s", values)
		queued = frappe.db.sql(
			"select distinct parent from `tabEmail Queue Recipient` where recipient in %(values)s",
			values,
			pluck=True,
		)
		if queued:
			frappe.db.sql(
				"delete from `tabEmail Queue Recipient` where parent in %(queued)s", {"queued": queued}
			)
			frappe.db.sql("delete from `tabEmail Queue` where name in %(queued)s", {"queued": queued})
		if "tabSessions" in tables:
			frappe.db.sql("delete from `tabSessions` where user in %(values)s", values)
	frappe.db.commit()
	for user in users:
		frappe.clear_cache(user=user)
	return removed
