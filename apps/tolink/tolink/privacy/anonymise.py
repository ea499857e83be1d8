"""Erasure and end of retention for people who never log in.

Frappe's Personal Data Deletion Request is built around website users; citizens have no login.
`anonymise_citizen` removes identity from the citizen and every linked record, including version
history, deleted-document copies, comments, attachments (and their files on disk), emails, access
logs, notification texts and the global search index, and keeps the records themselves (with
district, sex, birth year, needs, statuses, amounts) so the counts funders see stay right.
"""

import frappe
from frappe import _
from frappe.utils import add_months, getdate, now_datetime

ANONYMOUS = "Anonimizzato"

# doctype -> {field: value} blanked on every record linked to the citizen (by the field `citizen`,
# or the one in CITIZEN_FIELD): the denormalised names, contacts and free text; dates, statuses,
# codes and amounts stay for the counts. The first field set to ANONYMOUS marks a record already done
# (apply_record_retention). tolink/privacy/test_coverage.py fails when a personal doctype linking a
# citizen is neither here nor in its commented exclusions.
BY_CITIZEN = {
	"Consent": {"citizen_name": ANONYMOUS, "withdrawal_reason": None},
	"Intake": {"citizen_name": ANONYMOUS, "information_given": None, "notes": None},
	"Referral": {
		"citizen_name": ANONYMOUS,
		"citizen_phone": None,
		"citizen_email": None,
		"note_for_provider": None,
		"outcome": None,
		"override_reason": None,
		"eligibility_notes": None,
	},
	"Welfare Plan": {"citizen_name": ANONYMOUS, "closing_notes": None},
	"Case Note": {"citizen_name": ANONYMOUS, "subject": ANONYMOUS, "note": ""},
	"Helpline Call": {"citizen_name": ANONYMOUS, "notes": None},
	"Support Session": {"citizen_name": ANONYMOUS, "notes": None},
	"Check-in Schedule": {"citizen_name": ANONYMOUS, "notes": None},
	# the CV's file goes with the record's attachments (remove_attached_files, purge_traces)
	"Employment Profile": {"citizen_name": ANONYMOUS, "skills": None, "constraints": None, "cv": None},
	# where the person works names them; the tutors are staff of the organisations and stay
	"Work Measure": {
		"citizen_name": ANONYMOUS,
		"employer": None,
		"dropout_reason": None,
		"outcome_notes": None,
	},
	# ESF+ answers: labour status, age band, ISCED level and results stay for the programme's
	# indicators; the disadvantage answers (disability, third-country national, foreign background,
	# minority, homelessness) single a person out in a district's small cells, so they become the
	# answer the indicators already count apart, "Not disclosed"
	"Participation": {
		"citizen_name": ANONYMOUS,
		"disability": "Not disclosed",
		"third_country_national": "Not disclosed",
		"foreign_background": "Not disclosed",
		"minority": "Not disclosed",
		"homeless_or_housing_exclusion": "Not disclosed",
	},
	# proposed for the household, named after its head; the eligibility reasons describe the person
	"Voucher Application": {
		"head_of_household_name": ANONYMOUS,
		"reasons": None,
		"note": None,
		"refusal_reason": None,
	},
}
CITIZEN_FIELD = {"Voucher Application": "head_of_household"}
# doctype -> {field: value} blanked on the records of the person's household when the person is its
# only member (like the Household itself); a household of several people keeps them for the others
BY_HOUSEHOLD = {
	"Housing Situation": {"household_name": ANONYMOUS, "temporary_accommodation": None},
	"Social Housing Application": {
		"household_name": ANONYMOUS,
		"protocol_number": None,
		"assigned_address": None,
		"rejection_reason": None,
	},
	"Hub Enrolment": {"household_name": ANONYMOUS},
	"Parcel Delivery": {"double_collection_warning": None, "override_reason": None},
}
# child table -> {field: value} blanked on the rows of the records anonymised (CHILD_PARENT)
CHILD_TEXT = {
	"Intake Need": {"description": ANONYMOUS},
	"Plan Goal": {"goal": ANONYMOUS},
	"Plan Action": {"action": ANONYMOUS},
	"Employment Status Period": {"notes": None},
	"Employment Qualification": {"qualification": ANONYMOUS},
	"Work Measure Attendance": {"notes": None},
	"Housing Situation Period": {"address": None},
}
CHILD_PARENT = {
	"Intake Need": "Intake",
	"Plan Goal": "Welfare Plan",
	"Plan Action": "Welfare Plan",
	"Employment Status Period": "Employment Profile",
	"Employment Qualification": "Employment Profile",
	"Work Measure Attendance": "Work Measure",
	"Housing Situation Period": "Housing Situation",
}
# records of several people, kept when one of them is anonymised: only their versions naming them go
SHARED_RECORDS = ("Household", "Voucher", "Distribution Round")


def anonymise_citizen(citizen: str) -> dict:
	"""Server-side: the routine itself (tolink.api.desk.anonymise_citizen, the Desk action of a
	Network Administrator on an erasure request; also run by the retention job)."""
	c = frappe.db.get_value(
		"Citizen", citizen, ["name", "full_name", "codice_fiscale", "household", "birth_date"], as_dict=True
	)
	if not c:
		frappe.throw(_("Citizen {0} not found").format(citizen), frappe.DoesNotExistError)
	# searched for in deleted copies and shared histories (never the placeholder of an earlier run)
	identifiers = [v for v in (c.full_name, c.codice_fiscale, c.name) if v and v != ANONYMOUS]
	records = {"Citizen": [citizen]}

	birth = getdate(c.birth_date) if c.birth_date else None
	frappe.db.set_value(
		"Citizen",
		citizen,
		{
			"first_name": ANONYMOUS,
			"last_name": citizen,
			"full_name": ANONYMOUS,
			"codice_fiscale": None,
			"provisional_id": None,
			"has_no_codice_fiscale": 1,
			# the birth year stays for age statistics, never the date
			"birth_date": birth.replace(month=1, day=1) if birth else None,
			"birth_place": None,
			"phone": None,
			"mobile": None,
			"email": None,
			"address": None,
			"postal_code": None,
			"notes": None,
			"possible_duplicate": 0,
			"status": "Anonymised",
		},
		update_modified=False,
	)
	for doctype, values in BY_CITIZEN.items():
		names = frappe.get_all(
			doctype, filters={CITIZEN_FIELD.get(doctype, "citizen"): citizen}, pluck="name"
		)
		if names:
			blank(doctype, names, values)
			records[doctype] = names
	if c.household and is_single_person_household(c.household):
		household_name = frappe.db.get_value("Household", c.household, "household_name")
		if household_name and household_name != ANONYMOUS:
			identifiers.append(household_name)
		frappe.db.set_value(
			"Household", c.household, {"household_name": ANONYMOUS, "address": None}, update_modified=False
		)
		records["Household"] = [c.household]
		for doctype, values in BY_HOUSEHOLD.items():
			names = frappe.get_all(doctype, filters={"household": c.household}, pluck="name")
			if names:
				blank(doctype, names, values)
				records[doctype] = names
		# the household's rows on the hubs' distribution rounds (the rounds list other households)
		rh = frappe.qb.DocType("Round Household")
		frappe.qb.update(rh).set(rh.household_name, ANONYMOUS).where(
			(rh.parenttype == "Distribution Round") & (rh.household == c.household)
		).run()
		vouchers = frappe.get_all("Voucher", filters={"household": c.household}, pluck="name")
		if vouchers:
			v = frappe.qb.DocType("Voucher")
			frappe.qb.update(v).set(v.holder_first_name, None).where(v.name.isin(vouchers)).run()
			records["Voucher"] = vouchers
	else:
		v = frappe.qb.DocType("Voucher")
		frappe.qb.update(v).set(v.holder_first_name, None).where(v.head_of_household == citizen).run()
	for child, values in CHILD_TEXT.items():
		parents = records.get(CHILD_PARENT[child], [])
		if parents:
			blank_children(child, CHILD_PARENT[child], parents, values)
	hm = frappe.qb.DocType("Household Member")
	frappe.qb.update(hm).set(hm.citizen_name, ANONYMOUS).where(hm.citizen == citizen).run()
	h = frappe.qb.DocType("Household")
	frappe.qb.update(h).set(h.head_of_household_name, ANONYMOUS).where(h.head_of_household == citizen).run()

	purge_traces(records, identifiers)
	return {doctype: len(names) for doctype, names in records.items()}


def blank(doctype: str, names: list[str], values: dict) -> None:
	"""The fields of these records set to the values, the files of their Attach fields removed."""
	remove_attached_files(doctype, names)
	t = frappe.qb.DocType(doctype)
	query = frappe.qb.update(t).where(t.name.isin(names))
	for field, value in values.items():
		query = query.set(t[field], value)
	query.run()


def blank_children(child: str, parent_doctype: str, parents: list[str], values: dict) -> None:
	t = frappe.qb.DocType(child)
	query = frappe.qb.update(t).where((t.parenttype == parent_doctype) & t.parent.isin(parents))
	for field, value in values.items():
		query = query.set(t[field], value)
	query.run()


def remove_attached_files(doctype: str, names: list[str]) -> None:
	"""The files an Attach field of the records points to (a CV), also when the File was uploaded
	apart and is attached to no record; purge_traces removes the files attached to the records."""
	attach = [
		df.fieldname for df in frappe.get_meta(doctype).fields if df.fieldtype in ("Attach", "Attach Image")
	]
	if not attach:
		return
	urls = {
		url
		for row in frappe.get_all(doctype, filters={"name": ("in", names)}, fields=attach)
		for url in row.values()
		if url
	}
	if not urls:
		return
	f = frappe.qb.DocType("File")
	files = (
		frappe.qb.from_(f)
		.select(f.name)
		.where(
			f.file_url.isin(list(urls))
			& (
				f.attached_to_name.isnull()
				| (f.attached_to_name == "")
				| ((f.attached_to_doctype == doctype) & f.attached_to_name.isin(names))
			)
		)
		.run(pluck=True)
	)
	for file in files:
		frappe.delete_doc("File", file, ignore_permissions=True, force=True, delete_permanently=True)


def is_single_person_household(household: str) -> bool:
	return frappe.db.count("Household Member", {"parent": household, "parenttype": "Household"}) <= 1


def purge_traces(records: dict[str, list[str]], identifiers: list[str]) -> None:
	"""Copies of the data outside the records: attachments (on disk too), versions, deleted
	documents, comments, emails, access logs, notification texts, the global search index."""
	for doctype, names in records.items():
		# first: deleting a file adds an "Attachment Removed" comment (the file's name) to the record
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": doctype, "attached_to_name": ("in", names)}, pluck="name"
		):
			# through the document, so the copy on disk goes too (unless another File shares it);
			# permanently: no Deleted Document copy of the file's name
			frappe.delete_doc("File", file, ignore_permissions=True, force=True, delete_permanently=True)
		for table, dt_field, name_field in (
			("Version", "ref_doctype", "docname"),
			("Comment", "reference_doctype", "reference_name"),
			("Communication", "reference_doctype", "reference_name"),
			("Activity Log", "reference_doctype", "reference_name"),
			("Access Log", "export_from", "reference_document"),
		):
			frappe.db.delete(table, {dt_field: doctype, name_field: ("in", names)})
		queue = frappe.qb.DocType("Email Queue")
		emails = (
			frappe.qb.from_(queue)
			.select(queue.name)
			.where((queue.reference_doctype == doctype) & queue.reference_name.isin(names))
			.run(pluck=True)
		)
		if emails:
			frappe.db.delete("Email Queue Recipient", {"parenttype": "Email Queue", "parent": ("in", emails)})
			frappe.db.delete("Email Queue", {"name": ("in", emails)})
		frappe.db.delete("__global_search", {"doctype": doctype, "name": ("in", names)})
		# the list view's cache of the latest comments, kept on the record itself
		t = frappe.qb.DocType(doctype)
		frappe.qb.update(t).set(t._comments, None).where(t.name.isin(names)).run()
		n = frappe.qb.DocType("Notification Log")
		frappe.qb.update(n).set(n.subject, _("Record of an anonymised person")).where(
			(n.document_type == doctype) & n.document_name.isin(names)
		).run()
	deleted = frappe.qb.DocType("Deleted Document")
	version = frappe.qb.DocType("Version")
	for identifier in identifiers:
		frappe.qb.from_(deleted).delete().where(deleted.data.like(f"%{identifier}%")).run()
		# records that stay with other people on them (a household's other members, its vouchers)
		# keep their history, except the changes that carried the person's name
		frappe.qb.from_(version).delete().where(
			version.ref_doctype.isin(SHARED_RECORDS) & version.data.like(f"%{identifier}%")
		).run()


def apply_retention() -> list[str]:
	"""Daily: anonymise people with no activity for the retention period (To Link Settings)."""
	months = frappe.db.get_single_value("To Link Settings", "citizen_retention_months") or 0
	if months <= 0:
		return []
	cutoff = add_months(now_datetime(), -months)
	citizen = frappe.qb.DocType("Citizen")
	stale = (
		frappe.qb.from_(citizen)
		.select(citizen.name)
		.where((citizen.status != "Anonymised") & (citizen.modified < cutoff))
		.run(pluck=True)
	)
	done = []
	for name in stale:
		if not has_recent_activity(name, cutoff):
			anonymise_citizen(name)
			done.append(name)
	return done


def apply_record_retention() -> dict[str, int]:
	"""Daily: per kind of record (To Link Settings, Retention Rules), records not changed for the
	period lose the person's name and their free text, with the same traces purged as in erasure
	(versions, comments, attachments, notification texts, search index, deleted copies); the
	person and the record itself (dates, statuses, needs, amounts) stay for the counts."""
	rules = frappe.get_all(
		"Retention Rule",
		filters={"parenttype": "To Link Settings", "parentfield": "retention_rules", "months": (">", 0)},
		fields=["document_type", "months"],
	)
	done = {}
	for rule in rules:
		if rule.document_type not in BY_CITIZEN:
			continue
		cutoff = add_months(now_datetime(), -rule.months)
		t = frappe.qb.DocType(rule.document_type)
		marker = t[name_field(rule.document_type)]
		names = (
			frappe.qb.from_(t)
			.select(t.name)
			.where((t.modified < cutoff) & ((marker.isnull()) | (marker != ANONYMOUS)))
			.run(pluck=True)
		)
		if names:
			clear_records(rule.document_type, names)
		deleted = frappe.qb.DocType("Deleted Document")
		frappe.qb.from_(deleted).delete().where(
			(deleted.deleted_doctype == rule.document_type) & (deleted.creation < cutoff)
		).run()
		done[rule.document_type] = len(names)
	return done


def clear_records(doctype: str, names: list[str]) -> None:
	"""What identifies the person on these records (and their child rows) is removed, in batches."""
	for start in range(0, len(names), 500):
		batch = names[start : start + 500]
		blank(doctype, batch, BY_CITIZEN[doctype])
		for child, values in CHILD_TEXT.items():
			if CHILD_PARENT[child] == doctype:
				blank_children(child, doctype, batch, values)
		purge_traces({doctype: batch}, [])


def name_field(doctype: str) -> str:
	"""The field holding the person's name on the records of the kind (set to ANONYMOUS)."""
	return next(field for field, value in BY_CITIZEN[doctype].items() if value == ANONYMOUS)


def has_recent_activity(citizen: str, cutoff) -> bool:
	for doctype in BY_CITIZEN:
		if frappe.db.exists(
			doctype, {CITIZEN_FIELD.get(doctype, "citizen"): citizen, "modified": (">=", cutoff)}
		):
			return True
	return False
