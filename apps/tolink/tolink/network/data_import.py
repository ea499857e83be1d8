"""Data import for Network Administrators: citizens, households, organisations, services and a hub's
opening stock, from a CSV or Excel file attached to a To Link Import.

Every row becomes the document a form would make, inserted as the administrator with the
doctype's own controller (codice fiscale, duplicates, links, mandatory fields): nothing is
bypassed. All rows are written in one transaction, each in a savepoint: a row that fails is
noted (row number, column, reason) and undone, the next is tried, so one run lists every row it
would refuse. A dry run, or an import with any refused row, then rolls the whole transaction back:
an import writes every row or none.

A person already registered anywhere in the network is refused without saying by whom (the
Citizen controller's own rule), and so is a codice fiscale written twice in the file.

Files of more than BACKGROUND_ROWS rows run as a background job on the `long` queue: the
`default` queue carries the scheduler's jobs within a 5-minute timeout, and `bulk` is the
notifications' (tolink.network.notifications.bulk_queue); an import of 10,000 rows takes minutes.
The form shows the job's status.

Layers: network sits below the registry's and distribution's code, so their doctypes are named
here, never imported; their controllers do the checking.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import frappe
from frappe import _, _lt
from frappe.utils import cint, now_datetime, strip_html
from frappe.utils.xlsxutils import make_xlsx, read_xlsx_file_from_attached_file

from tolink.network.doctype.to_link_import.to_link_import import IN_PROGRESS

IMPORT_DOCTYPE = "To Link Import"
MAX_ROWS = 10_000
# above this many rows, the import runs in a background job
BACKGROUND_ROWS = 200
IMPORT_QUEUE = "long"
IMPORT_TIMEOUT = 60 * 60
SAVEPOINT = "tolink_import_row"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
TRUE = {"1", "si", "sì", "s", "yes", "y", "true", "vero", "x"}
FALSE = {"0", "no", "n", "false", "falso"}
# small lists whose names the app translates: a cell may name them in the user's language
TRANSLATED_LINKS = ("Aid Item", "Need Category", "Country", "District")


@dataclass(frozen=True)
class Column:
	fieldname: str
	doctype: str  # whose field it is (label, type, options)
	required: bool = False
	label: str | None = None  # instead of the field's label (English msgid)


@dataclass(frozen=True)
class Kind:
	"""What an import type makes from the rows of a file."""

	doctype: str
	columns: tuple[Column, ...]
	# the To Link Import field the kind needs: "provider" or "hub"
	needs: str | None = None
	# the controller's errors -> the column they are about (class names: the registry is a layer up)
	error_columns: dict = field(default_factory=dict)


# a column of no doctype's field (the label is marked for translation below)
MEMBER_CODICE_FISCALE = "Member's Codice Fiscale"
_LABELS = (_lt("Member's Codice Fiscale"),)


def _cols(doctype: str, names: str, required: str = "") -> tuple[Column, ...]:
	req = set(required.split())
	return tuple(Column(n, doctype, n in req) for n in names.split())


KINDS: dict[str, Kind] = {
	"Citizen": Kind(
		"Citizen",
		_cols(
			"Citizen",
			"first_name last_name codice_fiscale has_no_codice_fiscale birth_date sex citizenship phone mobile"
			" email address postal_code city district resident_in_turin notes",
			"first_name last_name",
		),
		needs="provider",
		error_columns={
			"InvalidCodiceFiscaleError": "codice_fiscale",
			"DuplicateCitizenError": "codice_fiscale",
			"ImpossibleBirthDateError": "birth_date",
		},
	),
	"Household": Kind(
		"Household",
		(
			Column("household_name", "Household", True),
			Column("member_codice_fiscale", "Citizen", True, label=MEMBER_CODICE_FISCALE),
			*_cols("Household Member", "relation is_dependent_cared_for", "relation"),
			*_cols("Household", "isee_value isee_valid_until housing_situation district address"),
		),
		needs="provider",
	),
	"Provider": Kind(
		"Provider",
		_cols(
			"Provider",
			"provider_name provider_type tax_id district address email phone website description",
			"provider_name provider_type",
		),
	),
	"Service": Kind(
		"Service",
		_cols(
			"Service",
			"service_name provider need_categories districts contact_email contact_phone description"
			" how_to_apply eligibility_description required_documents min_age max_age max_isee capacity"
			" response_deadline_days residency_required",
			"service_name need_categories",
		),
	),
	"Opening Stock": Kind(
		"Stock Movement",
		_cols("Stock Movement Item", "aid_item qty lot expiry_date", "aid_item qty"),
		needs="hub",
	),
}
# household-wide columns: the same value on every row of a household (or empty)
HOUSEHOLD_FIELDS = ("isee_value", "isee_valid_until", "housing_situation", "district", "address")


class ImportFileError(frappe.ValidationError):
	"""The file as a whole cannot be read (no header, unknown or missing columns, too many rows)."""


@dataclass
class Outcome:
	total_rows: int = 0
	imported: int = 0
	errors: list = field(default_factory=list)  # [{row, column, reason}]

	def refuse(self, row: int, column: str, reason: str) -> None:
		self.errors.append({"row": row, "column": column, "reason": reason})

	@property
	def refused_rows(self) -> int:
		return len({e["row"] for e in self.errors})


# --- columns and the template


def column_label(column: Column) -> str:
	"""The column's heading in the user's language (required ones end with *)."""
	label = column.label or frappe.get_meta(column.doctype).get_label(column.fieldname)
	return _(label) + (" *" if column.required else "")


def template_rows(import_type: str) -> list[list]:
	return [[column_label(c) for c in kind_of(import_type).columns]]


def template_xlsx(import_type: str) -> bytes:
	return make_xlsx(template_rows(import_type), _(import_type)[:31]).getvalue()


def kind_of(import_type: str) -> Kind:
	if import_type not in KINDS:
		frappe.throw(_("Choose what to import."), frappe.ValidationError)
	return KINDS[import_type]


def _norm(text) -> str:
	return re.sub(r"[\W_]+", "", str(text or "").replace("*", "").casefold())


def _aliases(column: Column) -> set[str]:
	label = column.label or frappe.get_meta(column.doctype).get_label(column.fieldname)
	return {_norm(column.fieldname), _norm(label), _norm(_(label)), _norm(_(label, lang="it"))}


# --- reading the file


def read_file(doc) -> list[list]:
	"""The rows of the file attached to the import (the header first), CSV or XLSX."""
	if not doc.import_file:
		raise ImportFileError(_("Attach the file to import."))
	file_name = frappe.db.get_value(
		"File",
		{"file_url": doc.import_file, "attached_to_doctype": doc.doctype, "attached_to_name": doc.name},
		"name",
	)
	if not file_name:
		raise ImportFileError(_("Attach the file to this import (Attach), then try again."))
	file_doc = frappe.get_doc("File", file_name)
	content = file_doc.get_content()
	extension = (file_doc.file_name or doc.import_file).rsplit(".", 1)[-1].lower()
	if extension == "xlsx":
		if isinstance(content, str):
			content = content.encode()
		try:
			rows = read_xlsx_file_from_attached_file(fcontent=content)
		except Exception:
			raise ImportFileError(_("The file could not be read as an Excel (.xlsx) file."))
	elif extension in ("csv", "txt"):
		rows = read_csv(content)
	else:
		raise ImportFileError(_("Import a CSV or an Excel (.xlsx) file."))
	return [list(r) for r in rows or []]


def read_csv(content) -> list[list]:
	"""Comma, semicolon (Italian Excel) or tab separated; UTF-8 (with or without BOM) or Windows."""
	if isinstance(content, bytes):
		for encoding in ("utf-8-sig", "cp1252"):
			try:
				content = content.decode(encoding)
				break
			except UnicodeDecodeError:
				continue
		else:
			raise ImportFileError(_("The file's characters could not be read: save it as UTF-8 CSV."))
	content = content.lstrip("\ufeff")
	first = content.split("\n", 1)[0]
	delimiter = max((",", ";", "\t"), key=first.count)
	try:
		return [
			[v.strip() if v.strip() else None for v in row]
			for row in csv.reader(io.StringIO(content), delimiter=delimiter)
		]
	except csv.Error:
		raise ImportFileError(_("The file is not a valid CSV file."))


def data_rows(rows: list[list]) -> list[tuple[int, list]]:
	"""(row number as the spreadsheet shows it, values) of the non-empty rows after the header."""
	return [(i + 2, row) for i, row in enumerate(rows[1:]) if not all(_blank(v) for v in row)]


def _blank(value) -> bool:
	return value is None or (isinstance(value, str) and not value.strip())


def map_header(kind: Kind, header: list) -> dict[int, Column]:
	"""Position in the row -> column; unknown, repeated or missing required columns refuse the file."""
	by_alias = {}
	for column in kind.columns:
		for alias in _aliases(column):
			by_alias.setdefault(alias, column)
	mapping, problems = {}, []
	for position, heading in enumerate(header):
		if _blank(heading):
			continue
		column = by_alias.get(_norm(heading))
		if not column:
			problems.append(_("Unknown column {0}.").format(heading))
		elif column in mapping.values():
			problems.append(_("Column {0} appears twice.").format(heading))
		else:
			mapping[position] = column
	missing = [column_label(c) for c in kind.columns if c.required and c not in mapping.values()]
	if missing:
		problems.append(_("Required columns missing: {0}.").format(", ".join(missing)))
	if problems:
		raise ImportFileError(
			" ".join(problems) + " " + _("Use the column names of the template (Download template).")
		)
	return mapping


def count_rows(doc) -> int:
	rows = read_file(doc)
	if not rows:
		raise ImportFileError(_("The file is empty."))
	return len(data_rows(rows))


# --- values of cells


class CellError(ValueError):
	pass


def parse_cell(column: Column, value):
	"""The cell as the field's value, or CellError with the reason (in the user's language)."""
	if _blank(value):
		return None
	df = frappe.get_meta(column.doctype).get_field(column.fieldname)
	fieldtype = df.fieldtype if df else "Data"
	if fieldtype == "Date":
		return _parse_date(value)
	if fieldtype == "Check":
		text = str(value).strip().casefold()
		if text in TRUE or value is True:
			return 1
		if text in FALSE or value is False:
			return 0
		raise CellError(_("{0} is not Yes or No.").format(value))
	if fieldtype in ("Int", "Float", "Currency"):
		number = _parse_number(value)
		if fieldtype == "Int":
			if number != int(number):
				raise CellError(_("{0} is not a whole number.").format(value))
			return int(number)
		return number
	if fieldtype == "Select":
		return _parse_select(df, value)
	text = _text(value)
	if fieldtype == "Table MultiSelect":
		child = frappe.get_meta(df.options)
		link = next(f for f in child.fields if f.fieldtype == "Link")
		names = [v.strip() for v in re.split(r"[,;\n]", text) if v.strip()]
		return [{link.fieldname: _existing(link.options, n)} for n in names]
	if fieldtype == "Link":
		return _existing(df.options, text)
	return text


def _text(value) -> str:
	if isinstance(value, float) and value.is_integer():
		value = int(value)  # a number Excel keeps as 10100.0 (postal code, phone)
	if isinstance(value, datetime | date):
		value = value.strftime("%d/%m/%Y")
	return str(value).strip()


def _parse_date(value) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	text = str(value).strip()
	for fmt in DATE_FORMATS:
		try:
			return datetime.strptime(text.split(" ")[0], fmt).date()
		except ValueError:
			continue
	raise CellError(_("{0} is not a date: write it as DD/MM/YYYY.").format(text))


def _parse_number(value) -> float:
	if isinstance(value, int | float) and not isinstance(value, bool):
		return float(value)
	text = str(value).strip().replace(" ", "").replace("€", "")
	if "," in text:
		# Italian: 1.234,56
		text = text.replace(".", "").replace(",", ".")
	try:
		return float(text)
	except ValueError:
		raise CellError(_("{0} is not a number.").format(value))


def _parse_select(df, value):
	text = _text(value)
	options = [o for o in (df.options or "").split("\n") if o]
	for option in options:
		if _norm(text) in (_norm(option), _norm(_(option)), _norm(_(option, lang="it"))):
			return option
	raise CellError(
		_("{0} is not one of the allowed values: {1}.").format(text, ", ".join(_(o) for o in options))
	)


def _existing(doctype: str, name: str) -> str:
	"""The record's name as stored (the database compares without case), or its name in the
	user's language for the lists the app translates (Latte UHT, Pacchi alimentari), or CellError."""
	cache = _cache("tolink_import_links")
	key = (doctype, name.casefold())
	if key not in cache:
		cache[key] = frappe.db.get_value(doctype, name, "name") or _translated_names(doctype).get(_norm(name))
	if not cache[key]:
		raise CellError(_("{0} {1} not found.").format(_(doctype), name))
	return cache[key]


def _cache(key: str) -> dict:
	"""A lookup cache of the run (import_rows starts it afresh)."""
	if getattr(frappe.local, key, None) is None:
		setattr(frappe.local, key, {})
	return getattr(frappe.local, key)


def _translated_names(doctype: str) -> dict[str, str]:
	if doctype not in TRANSLATED_LINKS:
		return {}
	cache = _cache("tolink_import_translated")
	if doctype not in cache:
		names = frappe.get_all(doctype, pluck="name", limit=0)
		cache[doctype] = {_norm(_(n)): n for n in names} | {_norm(_(n, lang="it")): n for n in names}
	return cache[doctype]


def parse_row(mapping: dict[int, Column], number: int, row: list, outcome: Outcome) -> dict | None:
	"""{fieldname: value} of a row, or None when a cell or a required value is refused."""
	values, ok = {}, True
	for position, column in mapping.items():
		try:
			values[column.fieldname] = parse_cell(column, row[position] if position < len(row) else None)
		except CellError as e:
			outcome.refuse(number, column_label(column), str(e))
			ok = False
			continue
		if column.required and values[column.fieldname] in (None, "", []):
			outcome.refuse(number, column_label(column), _("Required: the cell is empty."))
			ok = False
	return values if ok else None


# --- inserting, one row at a time in a savepoint


def insert_row(outcome: Outcome, kind: Kind, number: int, doc, keep: bool = True, submit: bool = False):
	"""Insert (and submit) the document with its controller; on failure the row is refused and
	undone. `keep=False` undoes it anyway (a row checked only)."""
	frappe.db.savepoint(SAVEPOINT)
	try:
		doc.insert()
		if submit:
			doc.submit()
	except (frappe.ValidationError, frappe.PermissionError) as e:
		frappe.db.rollback(save_point=SAVEPOINT)
		fieldname = kind.error_columns.get(type(e).__name__)
		column = next((c for c in kind.columns if c.fieldname == fieldname), None)
		outcome.refuse(number, column_label(column) if column else "", _error_text(e))
		return False
	finally:
		frappe.local.message_log = []
	if keep:
		frappe.db.release_savepoint(SAVEPOINT)
		outcome.imported += 1
	else:
		frappe.db.rollback(save_point=SAVEPOINT)
	return True


def _error_text(error: Exception) -> str:
	text = strip_html(str(error)).strip()
	if not text and frappe.local.message_log:
		text = strip_html(str(frappe.local.message_log[-1]))
	return text or _("The row was refused ({0}).").format(type(error).__name__)


def import_rows(doc, outcome: Outcome) -> None:
	"""Check and insert every row of the import's file in the current transaction."""
	kind = kind_of(doc.import_type)
	if kind.needs and not doc.get(kind.needs):
		raise ImportFileError(_("Choose the {0} to import into.").format(_(doc.meta.get_label(kind.needs))))
	rows = read_file(doc)
	if not rows:
		raise ImportFileError(_("The file is empty."))
	mapping = map_header(kind, rows[0])
	body = data_rows(rows)
	outcome.total_rows = len(body)
	if not body:
		raise ImportFileError(_("The file has no rows after the header."))
	if len(body) > MAX_ROWS:
		raise ImportFileError(too_many_rows_message(len(body)))
	frappe.local.tolink_import_links = {}
	frappe.local.tolink_import_translated = {}
	parsed = [(number, parse_row(mapping, number, row, outcome)) for number, row in body]
	IMPORTERS[doc.import_type](doc, kind, parsed, outcome)


def too_many_rows_message(count: int) -> str:
	return _("The file has {0} rows: an import takes at most {1}. Split it into several files.").format(
		count, MAX_ROWS
	)


def _normalise_cf(value: str | None) -> str:
	return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def import_citizens(doc, kind: Kind, parsed: list, outcome: Outcome) -> None:
	cf_label = column_label(next(c for c in kind.columns if c.fieldname == "codice_fiscale"))
	codes = [_normalise_cf(v.get("codice_fiscale")) for _n, v in parsed if v and v.get("codice_fiscale")]
	registered = set()
	for chunk in _chunks(sorted(set(codes))):
		registered |= set(
			frappe.get_all(
				"Citizen", filters={"codice_fiscale": ("in", chunk)}, pluck="codice_fiscale", limit=0
			)
		)
	first_row = {}
	for number, values in parsed:
		if values is None:
			continue
		code = _normalise_cf(values.get("codice_fiscale"))
		if code and not values.get("has_no_codice_fiscale"):
			if code in first_row:
				outcome.refuse(
					number,
					cf_label,
					_("The same codice fiscale is already on row {0} of the file.").format(first_row[code]),
				)
				continue
			first_row[code] = number
			if code in registered:
				# as the Citizen form says it: nothing about the other record
				outcome.refuse(
					number,
					cf_label,
					_("A person with this codice fiscale is already registered in the network."),
				)
				continue
		citizen = frappe.get_doc({"doctype": "Citizen", **values, "provider": doc.provider})
		insert_row(outcome, kind, number, citizen)


def import_households(doc, kind: Kind, parsed: list, outcome: Outcome) -> None:
	"""One row per member; the rows with the same household name make one household."""
	labels = {c.fieldname: column_label(c) for c in kind.columns}
	codes = {_normalise_cf(v["member_codice_fiscale"]) for _n, v in parsed if v}
	citizens = {}
	for chunk in _chunks(sorted(codes)):
		for row in frappe.get_all(
			"Citizen",
			filters={"codice_fiscale": ("in", chunk), "provider": doc.provider},
			fields=["name", "codice_fiscale"],
			limit=0,
		):
			citizens[row.codice_fiscale] = row.name
	groups: dict[str, list] = {}
	refused_groups = set()
	seen_members = {}
	for number, values in parsed:
		if values is None:
			continue
		key = _norm(values["household_name"])
		groups.setdefault(key, []).append((number, values))
		code = _normalise_cf(values["member_codice_fiscale"])
		if code in seen_members:
			outcome.refuse(
				number,
				labels["member_codice_fiscale"],
				_("The same codice fiscale is already on row {0} of the file.").format(seen_members[code]),
			)
			refused_groups.add(key)
		elif code not in citizens:
			outcome.refuse(
				number,
				labels["member_codice_fiscale"],
				_("No citizen of {0} has this codice fiscale: import the citizens first.").format(
					doc.provider
				),
			)
			refused_groups.add(key)
		seen_members.setdefault(code, number)
	# a household with a refused row is refused whole; its other rows are not written either
	for key, rows in groups.items():
		first = rows[0][0]
		household = {"doctype": "Household", "household_name": rows[0][1]["household_name"]}
		for fieldname in HOUSEHOLD_FIELDS:
			given = [(n, v[fieldname]) for n, v in rows if v.get(fieldname) not in (None, "")]
			if len({str(value) for _n, value in given}) > 1:
				outcome.refuse(
					given[1][0],
					labels[fieldname],
					_("The rows of household {0} give different values (row {1}).").format(
						household["household_name"], given[0][0]
					),
				)
				refused_groups.add(key)
			elif given:
				household[fieldname] = given[0][1]
		if key in refused_groups:
			continue
		household["provider"] = doc.provider
		household["members"] = [
			{
				"citizen": citizens[_normalise_cf(v["member_codice_fiscale"])],
				"relation": v["relation"],
				"is_active": 1,
				"is_dependent_cared_for": v.get("is_dependent_cared_for") or 0,
			}
			for _n, v in rows
		]
		if insert_row(outcome, kind, first, frappe.get_doc(household)):
			# a household is one record; its member rows were all written
			outcome.imported += len(rows) - 1


def import_providers(doc, kind: Kind, parsed: list, outcome: Outcome) -> None:
	label = column_label(kind.columns[0])
	first_row = {}
	for number, values in parsed:
		if values is None:
			continue
		key = _norm(values["provider_name"])
		if key in first_row:
			outcome.refuse(
				number, label, _("The same name is already on row {0} of the file.").format(first_row[key])
			)
			continue
		first_row[key] = number
		if frappe.db.exists("Provider", values["provider_name"]):
			outcome.refuse(number, label, _("An organisation with this name is already registered."))
			continue
		insert_row(outcome, kind, number, frappe.get_doc({"doctype": "Provider", **values}))


def import_services(doc, kind: Kind, parsed: list, outcome: Outcome) -> None:
	label = column_label(kind.columns[0])
	provider_label = column_label(next(c for c in kind.columns if c.fieldname == "provider"))
	first_row = {}
	for number, values in parsed:
		if values is None:
			continue
		values["provider"] = values.get("provider") or doc.provider
		if not values["provider"]:
			outcome.refuse(
				number,
				provider_label,
				_("Required: the cell is empty, and the import names no organisation."),
			)
			continue
		key = (_norm(values["service_name"]), values["provider"])
		if key in first_row:
			outcome.refuse(
				number, label, _("The same service is already on row {0} of the file.").format(first_row[key])
			)
			continue
		first_row[key] = number
		if frappe.db.exists(
			"Service", {"service_name": values["service_name"], "provider": values["provider"]}
		):
			outcome.refuse(number, label, _("The organisation already has a service with this name."))
			continue
		insert_row(outcome, kind, number, frappe.get_doc({"doctype": "Service", **values}))


def import_opening_stock(doc, kind: Kind, parsed: list, outcome: Outcome) -> None:
	"""Each row is checked as a receipt of its own; then one receipt of every row is submitted, so
	the hub's ledger shows the opening stock as one movement of this import."""

	def movement(items):
		return frappe.get_doc(
			{
				"doctype": "Stock Movement",
				"movement_type": "Receipt",
				"hub": doc.hub,
				"source": "Other",
				"reason": _("Opening stock (import {0})").format(doc.name),
				"reference_doctype": IMPORT_DOCTYPE,
				"reference_name": doc.name,
				"items": items,
			}
		)

	items = []
	for number, values in parsed:
		if values is None:
			continue
		if insert_row(outcome, kind, number, movement([values]), keep=False):
			items.append(values)
	if outcome.errors or not items:
		return
	if insert_row(outcome, kind, parsed[0][0], movement(items), submit=True):
		outcome.imported = len(items)


def _chunks(values: list, size: int = 1000):
	for i in range(0, len(values), size):
		yield values[i : i + size]


IMPORTERS = {
	"Citizen": import_citizens,
	"Household": import_households,
	"Provider": import_providers,
	"Service": import_services,
	"Opening Stock": import_opening_stock,
}


# --- a run: dry or for real, at once or in the background


def start(name: str, dry_run: bool) -> dict:
	"""Run the import (or its dry run) now, or queue it when the file is large."""
	doc = frappe.get_doc(IMPORT_DOCTYPE, name)
	doc.check_can_run()
	try:
		count = count_rows(doc)
	except ImportFileError as e:
		return finish(doc, dry_run, Outcome(errors=[{"row": 0, "column": "", "reason": str(e)}]))
	if count > MAX_ROWS:
		return finish(
			doc,
			dry_run,
			Outcome(count, errors=[{"row": 0, "column": "", "reason": too_many_rows_message(count)}]),
		)
	if count <= BACKGROUND_ROWS:
		return run(name, dry_run)
	doc.db_set(
		{
			"status": "Queued",
			"last_run": "Dry Run" if dry_run else "Import",
			"last_run_on": now_datetime(),
			"total_rows": count,
			"message": _("Queued: {0} rows. The page updates when it is done.").format(count),
		},
		notify=True,
	)
	frappe.db.commit()
	frappe.enqueue(
		"tolink.network.data_import.run",
		queue=IMPORT_QUEUE,
		timeout=IMPORT_TIMEOUT,
		job_id=f"tolink-import::{name}",
		deduplicate=True,
		name=name,
		dry_run=dry_run,
	)
	return summary(doc)


def run(name: str, dry_run: bool) -> dict:
	"""Check every row and insert it; keep it all only for an import with no refused row."""
	doc = frappe.get_doc(IMPORT_DOCTYPE, name)
	doc.db_set({"status": "Running", "last_run": "Dry Run" if dry_run else "Import"}, notify=True)
	frappe.db.commit()
	outcome = Outcome()
	try:
		import_rows(doc, outcome)
	except ImportFileError as e:
		outcome.errors = [{"row": 0, "column": "", "reason": str(e)}]
	except Exception:
		frappe.db.rollback()
		frappe.log_error(title=f"To Link import {name}")
		doc.db_set(
			{
				"status": "Failed",
				"last_run_on": now_datetime(),
				"imported_rows": 0,
				"message": _(
					"The import stopped on an unexpected error: nothing was written. The error is in the Error Log."
				),
			},
			notify=True,
		)
		frappe.db.commit()
		return summary(doc)
	return finish(doc, dry_run, outcome)


def finish(doc, dry_run: bool, outcome: Outcome) -> dict:
	"""Undo the rows unless this is an import without refusals, then record the outcome."""
	written = not dry_run and not outcome.errors
	if not written:
		frappe.db.rollback()
	outcome.errors.sort(key=lambda e: e["row"])
	if outcome.errors:
		status = "Refused"
		message = _("{0} of {1} rows would be refused: nothing was written.").format(
			outcome.refused_rows, outcome.total_rows
		)
		if outcome.errors[0]["row"] == 0:
			message = _("The file was refused: nothing was written.")
	elif dry_run:
		status = "Ready to Import"
		message = _("All {0} rows can be imported.").format(outcome.total_rows)
	else:
		status = "Imported"
		message = _("Imported: {0} rows written.").format(outcome.imported)
	doc.db_set(
		{
			"status": status,
			"last_run": "Dry Run" if dry_run else "Import",
			"last_run_on": now_datetime(),
			"total_rows": outcome.total_rows,
			"refused_rows": outcome.refused_rows,
			"imported_rows": outcome.imported if written else 0,
			"message": message,
			"error_log": json.dumps(outcome.errors, ensure_ascii=False, default=str),
		},
		notify=True,
	)
	frappe.db.commit()
	return summary(doc)


def summary(doc) -> dict:
	return {
		"status": doc.status,
		"message": doc.message,
		"total_rows": cint(doc.total_rows),
		"refused_rows": cint(doc.refused_rows),
		"imported_rows": cint(doc.imported_rows),
		"errors": json.loads(doc.error_log or "[]") if doc.status not in IN_PROGRESS else [],
	}
