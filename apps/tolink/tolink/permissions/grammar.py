"""The strict grammar of query arguments (tolink.permissions.gate).

Frappe's list endpoints put `fields`, `order_by` and `group_by` into SQL as written after checking
only the first column name, and take `filters` given as a string as raw SQL. For every user
without System Manager the gate accepts these arguments only in this grammar:

- a column: a field of the doctype or one of Frappe's standard columns (`name`, `owner`, ...),
  written `field`, `` `tabDocType`.`field` `` / `tabDocType.field` (the doctype or one of its
  child tables), `child_table_field.field` or `link_field.field` (joins.py routes those through
  the linked doctype's row rules);
- in `fields` also `*`, `column as alias`, and the aggregates Desk sends: `count(*)`,
  `count([distinct] column)`, `sum|avg|min|max(numeric column)`, each with an optional alias;
- `order_by`: columns (or aliases of `fields`) each followed by an optional asc/desc;
  `group_by`: columns;
- filters: a dict `{field: value}` / `{field: [operator, value]}` or a list of
  `[field, operator, value]` / `[doctype, field, operator, value]`, known operators, literal
  values (a string, a number, a boolean, null, or a flat list of them).

Nothing else: no other functions, sub-queries, comments, semicolons or string (SQL) filters. A
violation answers 417 with a message naming the argument.
"""

import json
import re

import frappe
from frappe import _
from frappe.database.utils import NestedSetHierarchy
from frappe.model import child_table_fields, default_fields, optional_fields

STANDARD_COLUMNS = frozenset((*default_fields, *optional_fields, *child_table_fields))
OPERATORS = frozenset(
	(
		"=",
		"!=",
		">",
		"<",
		">=",
		"<=",
		"like",
		"not like",
		"in",
		"not in",
		"is",
		"between",
		"timespan",
		"previous",
		"next",
		*NestedSetHierarchy,
	)
)
NUMERIC_TYPES = frozenset(("Int", "Float", "Currency", "Percent", "Duration", "Check", "Rating"))
ORDERED_TYPES = NUMERIC_TYPES | {"Date", "Datetime", "Time"}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# a doctype name: letters, digits, spaces, hyphens, underscores
DOCTYPE_NAME = r"[A-Za-z0-9_][A-Za-z0-9 _\-]*"
RE_IDENT = re.compile(rf"^{IDENT}$")
RE_QUOTED = re.compile(rf"^`tab({DOCTYPE_NAME})`\.`({IDENT})`$")
RE_TAB_DOTTED = re.compile(rf"^tab({DOCTYPE_NAME})\.({IDENT})$")
RE_DOTTED = re.compile(rf"^({IDENT})\.({IDENT})$")
RE_ALIAS = re.compile(rf"^(.+?)\s+as\s+(`?)({IDENT})\2$", re.IGNORECASE | re.DOTALL)
RE_AGGREGATE = re.compile(r"^(count|sum|avg|min|max)\s*\(\s*(distinct\s+)?(.+?)\s*\)$", re.IGNORECASE)
RE_ORDER = re.compile(r"^(.+?)(?:\s+(asc|desc))?$", re.IGNORECASE | re.DOTALL)


class QueryGrammarError(frappe.ValidationError):
	"""417: an argument outside the grammar."""


def refuse(argument: str, value) -> None:
	text = value if isinstance(value, str) else json.dumps(value, default=str)
	frappe.throw(
		_(
			"The request argument {0} is not accepted: {1}. Use field names of the document type, "
			"known operators and plain values."
		).format(argument, frappe.utils.escape_html(text[:200])),
		QueryGrammarError,
		title=_("Invalid request"),
	)


def parse(argument: str, value):
	"""A JSON argument as Frappe would decode it; a string that is not JSON stays a string."""
	if isinstance(value, str):
		stripped = value.strip()
		if stripped[:1] in ("[", "{", '"') or stripped in ("null", "true", "false"):
			try:
				return json.loads(stripped)
			except ValueError:
				refuse(argument, value)
	return value


def meta_of(doctype) -> "frappe.model.meta.Meta":
	if not isinstance(doctype, str) or not doctype:
		refuse("doctype", doctype)
	try:
		return frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		refuse("doctype", doctype)


def child_doctypes(meta) -> set[str]:
	return {df.options for df in meta.get_table_fields()}


def column_field(meta, fieldname: str):
	"""The docfield of a database column of the doctype, or True for a standard column."""
	if fieldname in STANDARD_COLUMNS:
		return True
	if fieldname not in meta.get_valid_columns():
		return None
	return meta.get_field(fieldname) or True


def resolve_column(argument: str, doctype: str, expression, allow_child_plain: bool = False):
	"""(doctype of the column, docfield or True) of a column expression, or a 417."""
	if not isinstance(expression, str):
		refuse(argument, expression)
	expression = expression.strip()
	meta = meta_of(doctype)
	if RE_IDENT.match(expression):
		if df := column_field(meta, expression):
			return doctype, df
		if allow_child_plain:
			# Frappe matches a filter on a child table's field to that table
			for child in child_doctypes(meta):
				if df := column_field(frappe.get_meta(child), expression):
					return child, df
		refuse(argument, expression)
	match = RE_QUOTED.match(expression) or RE_TAB_DOTTED.match(expression)
	if match:
		table, fieldname = match.groups()
		if table != doctype and table not in child_doctypes(meta):
			refuse(argument, expression)
		if df := column_field(frappe.get_meta(table), fieldname):
			return table, df
		refuse(argument, expression)
	match = RE_DOTTED.match(expression)
	if match:
		link, fieldname = match.groups()
		link_df = meta.get_field(link)
		if not link_df or link_df.fieldtype not in ("Link", "Table", "Table MultiSelect"):
			refuse(argument, expression)
		target = link_df.options
		if not target or not isinstance(target, str) or not frappe.db.exists("DocType", target):
			refuse(argument, expression)
		if df := column_field(frappe.get_meta(target), fieldname):
			return target, df
	refuse(argument, expression)


def check_field_expression(argument: str, doctype: str, expression) -> str | None:
	"""One item of `fields`; returns its alias if it has one."""
	if not isinstance(expression, str):
		refuse(argument, expression)
	expression = expression.strip()
	alias = None
	if match := RE_ALIAS.match(expression):
		expression, alias = match.group(1).strip(), match.group(3)
	if expression == "*" and not alias:
		return None
	if match := RE_AGGREGATE.match(expression):
		function, distinct, inner = match.group(1).lower(), match.group(2), match.group(3).strip()
		if function == "count":
			if inner == "*" and not distinct:
				return alias
			resolve_column(argument, doctype, inner)
			return alias
		if distinct:
			refuse(argument, expression)
		_dt, df = resolve_column(argument, doctype, inner)
		types = NUMERIC_TYPES if function in ("sum", "avg") else ORDERED_TYPES
		if df is True or df.fieldtype not in types:
			refuse(argument, expression)
		return alias
	resolve_column(argument, doctype, expression)
	return alias


def check_fields(argument: str, doctype: str, fields) -> set[str]:
	fields = parse(argument, fields)
	if fields in (None, ""):
		return set()
	if isinstance(fields, str):
		# Frappe splits a string on commas
		fields = [f for f in fields.split(",")]
	if not isinstance(fields, list | tuple):
		refuse(argument, fields)
	aliases = set()
	for field in fields:
		if alias := check_field_expression(argument, doctype, field):
			aliases.add(alias)
	return aliases


def qualified(doctype: str, column: str) -> str:
	"""A plain column of the doctype, named with its table: with a child table joined, MariaDB
	refuses an unqualified `name` as ambiguous (a 500)."""
	return f"`tab{doctype}`.`{column}`" if RE_IDENT.match(column) else column


def check_order_by(argument: str, doctype: str, order_by, aliases=frozenset()) -> str | None:
	"""The order, its plain columns qualified with the table."""
	if order_by in (None, ""):
		return order_by
	if not isinstance(order_by, str):
		refuse(argument, order_by)
	parts = []
	for part in order_by.split(","):
		match = RE_ORDER.match(part.strip())
		if not match:
			refuse(argument, order_by)
		column, direction = match.group(1).strip(), match.group(2)
		if column in aliases or column == "_aggregate_column":
			parts.append(part.strip())
			continue
		table, _df = resolve_column(argument, doctype, column)
		if table == doctype:
			column = qualified(doctype, column)
		parts.append(f"{column} {direction}" if direction else column)
	return ", ".join(parts)


def check_group_by(argument: str, doctype: str, group_by) -> str | None:
	if group_by in (None, ""):
		return group_by
	if not isinstance(group_by, str):
		refuse(argument, group_by)
	parts = []
	for part in group_by.split(","):
		table, _df = resolve_column(argument, doctype, part)
		parts.append(qualified(doctype, part.strip()) if table == doctype else part.strip())
	return ", ".join(parts)


def is_literal(value) -> bool:
	return value is None or isinstance(value, str | int | float | bool)


def check_value(argument: str, operator: str, value) -> None:
	if is_literal(value):
		return
	if isinstance(value, list | tuple) and all(is_literal(v) for v in value):
		return
	refuse(argument, value)


def check_operator(argument: str, operator) -> str:
	if not isinstance(operator, str) or operator.strip().lower() not in OPERATORS:
		refuse(argument, operator)
	return operator


def check_condition(argument: str, doctype: str, condition) -> None:
	"""One filter: [field, op, value], [doctype, field, op, value(, hidden)] or {field: value}."""
	if isinstance(condition, dict):
		if len(condition) != 1:
			refuse(argument, condition)
		check_filter_dict(argument, doctype, condition)
		return
	if not isinstance(condition, list | tuple):
		# a string here is SQL
		refuse(argument, condition)
	if len(condition) == 3:
		fieldname, operator, value = condition
		table = doctype
	elif len(condition) in (4, 5):
		table, fieldname, operator, value = condition[:4]
		if len(condition) == 5 and not isinstance(condition[4], bool | int | type(None)):
			refuse(argument, condition)
		meta = meta_of(doctype)
		if table != doctype and table not in child_doctypes(meta):
			refuse(argument, condition)
	else:
		refuse(argument, condition)
	if not isinstance(fieldname, str) or not RE_IDENT.match(fieldname):
		refuse(argument, fieldname)
	resolve_column(argument, table, fieldname, allow_child_plain=table == doctype)
	check_operator(argument, operator)
	check_value(argument, operator, value)


def check_filter_dict(argument: str, doctype: str, filters: dict) -> None:
	for fieldname, value in filters.items():
		if not RE_IDENT.match(str(fieldname)):
			refuse(argument, fieldname)
		resolve_column(argument, doctype, fieldname, allow_child_plain=True)
		if isinstance(value, list | tuple):
			if len(value) != 2:
				refuse(argument, value)
			check_operator(argument, value[0])
			check_value(argument, value[0], value[1])
		else:
			check_value(argument, "=", value)


def check_filters(argument: str, doctype: str, filters, name_allowed: bool = False) -> None:
	"""`filters`, `or_filters`, `current_filters`. A plain string is SQL to Frappe: refused, except
	where the endpoint reads it as a document name (frappe.client.get_value)."""
	filters = parse(argument, filters)
	if filters in (None, "", [], {}):
		return
	if isinstance(filters, str):
		if name_allowed:
			return
		refuse(argument, filters)
	if isinstance(filters, dict):
		check_filter_dict(argument, doctype, filters)
	elif isinstance(filters, list | tuple):
		for condition in filters:
			check_condition(argument, doctype, condition)
	else:
		refuse(argument, filters)


def check_plain_field(argument: str, doctype: str, fieldname, extra=()) -> None:
	if fieldname in extra:
		return
	if not isinstance(fieldname, str) or not RE_IDENT.match(fieldname):
		refuse(argument, fieldname)
	resolve_column(argument, doctype, fieldname)


def check_fieldname(argument: str, doctype: str, fieldname) -> None:
	"""frappe.client.get_value's `fieldname`: a column or a list of columns;
	frappe.client.set_value's: a column or a dict {column: value}."""
	fieldname = parse(argument, fieldname)
	if isinstance(fieldname, dict):
		for key, value in fieldname.items():
			check_plain_field(argument, doctype, key)
			check_value(argument, "=", value)
		return
	if isinstance(fieldname, str):
		fieldname = [fieldname]
	if not isinstance(fieldname, list | tuple):
		refuse(argument, fieldname)
	for field in fieldname:
		check_field_expression(argument, doctype, field)


def check_arguments(doctype, args: dict, report_filters: bool = False, name_filters: bool = False) -> None:
	"""Every grammar argument present in a request's arguments, for the request's doctype."""
	# an empty list or object, sent as JSON or not, asks for nothing (Desk's number cards and charts
	# send their filters so, to methods of the app that take no doctype)
	present = [key for key in GRAMMAR_KEYS if args.get(key) not in (None, "", [], {}, "[]", "{}", "null")]
	if not present:
		return
	if report_filters:
		# a query report's filters are its own parameters: plain values only
		filters = parse("filters", args.get("filters"))
		if filters not in (None, "") and not (
			isinstance(filters, dict)
			and all(
				is_literal(v) or (isinstance(v, list) and all(is_literal(x) for x in v))
				for v in filters.values()
			)
		):
			refuse("filters", filters)
		present = [key for key in present if key != "filters"]
		if not present:
			return
	meta_of(doctype)
	aliases = check_fields("fields", doctype, args.get("fields"))
	for key in ("filters", "or_filters", "current_filters"):
		if key in present:
			check_filters(key, doctype, args.get(key), name_allowed=name_filters and key == "filters")
	if "order_by" in present:
		args["order_by"] = check_order_by("order_by", doctype, args.get("order_by"), aliases)
	if "group_by" in present:
		args["group_by"] = check_group_by("group_by", doctype, args.get("group_by"))
	if "fieldname" in present:
		check_fieldname("fieldname", doctype, args.get("fieldname"))
	if "field" in present:
		check_plain_field("field", doctype, args.get("field"), extra=("assigned_to", "owner"))
	if "searchfield" in present:
		check_plain_field("searchfield", doctype, args.get("searchfield"))
	if "sort_by" in present:
		check_order_by("sort_by", doctype, args.get("sort_by"), aliases)
	if "sort_order" in present and str(args.get("sort_order")).strip().lower() not in ("asc", "desc"):
		refuse("sort_order", args.get("sort_order"))
	if "aggregate_function" in present or "aggregate_on_field" in present:
		if str(args.get("aggregate_function") or "").lower() not in ("count", "sum", "avg"):
			refuse("aggregate_function", args.get("aggregate_function"))
		table = args.get("aggregate_on_doctype") or doctype
		if table != doctype and table not in child_doctypes(meta_of(doctype)):
			refuse("aggregate_on_doctype", table)
		check_plain_field("aggregate_on_field", table, args.get("aggregate_on_field"))


GRAMMAR_KEYS = (
	"fields",
	"filters",
	"or_filters",
	"current_filters",
	"order_by",
	"group_by",
	"fieldname",
	"field",
	"searchfield",
	"sort_by",
	"sort_order",
	"aggregate_function",
	"aggregate_on_field",
	"aggregate_on_doctype",
)
