"""The request gate: deny by default, for every user without System Manager (Guest included).

Registered in hooks.auth_hooks, so it runs on every request right after Frappe authenticated it
(session cookie, API key or OAuth token: `before_request` runs before token authentication and
would see an API client as Guest). For each request it works out what will run:

- a whitelisted method (`/api/method/<m>`, `/api/v2/method/...`, the legacy `cmd` on any path,
  `run_doc_method` and the controller method inside it, the method named inside
  make_mapped_doc / search_link / upload_file): it must be on the allowlist
  (tolink.permissions.allowlist) for one of the user's roles, else 403, the same answer whether
  the method exists or not;
- a document endpoint (`/api/resource/...`, `/api/v2/document/...`, `/api/v2/doctype/...`):
  To Link roles only; a named document the user may not read answers exactly as one that does
  not exist;

then checks its arguments: the query grammar (tolink.permissions.grammar, 417), switches that
turn row rules off (refused on personal data, neutralised elsewhere), and, on generic writes,
that no server-owned field (tolink.permissions.policy) changes.

Cheap on purpose: roles and metadata come from Frappe's caches; the database is read only for a
named document (does it exist, may the user read it) and, on writes, for the stored values of
the server-owned fields the request sends.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, cstr, escape_html, flt, get_datetime, getdate
from werkzeug.exceptions import HTTPException

from tolink.permissions import allowlist, grammar
from tolink.permissions.grammar import QueryGrammarError, parse, refuse
from tolink.permissions.policy import personal_doctypes, server_owned_fields
from tolink.security.users import get_user_provider

# switches some endpoints honour to turn permission checks off
SWITCHES = ("ignore_user_permissions", "ignore_permissions")
# methods whose `filters` are a query report's parameters, not a doctype's filters
REPORT_METHODS = frozenset(
	(
		"frappe.desk.query_report.run",
		"frappe.desk.query_report.export_query",
		"frappe.desk.query_report.get_script",
	)
)
# the argument naming the doctype the grammar arguments refer to, when it is not `doctype`
DOCTYPE_ARGUMENT = {"frappe.www.printview.get_html_and_style": "doc"}
# methods addressing one document: (doctype argument, name argument); a document the user may not
# read answers as one that does not exist
DOC_ADDRESS = {
	"frappe.desk.form.load.getdoc": ("doctype", "name"),
	"frappe.desk.form.load.get_docinfo": ("doctype", "name"),
	"frappe.client.get": ("doctype", "name"),
	"frappe.client.set_value": ("doctype", "name"),
	"frappe.client.delete": ("doctype", "name"),
	"frappe.client.cancel": ("doctype", "name"),
	"frappe.client.get_doc_permissions": ("doctype", "docname"),
	"frappe.desk.form.save.cancel": ("doctype", "name"),
	"frappe.desk.form.linked_with.get": ("doctype", "docname"),
	"frappe.desk.form.linked_with.get_submitted_linked_docs": ("doctype", "name"),
	"frappe.desk.notifications.get_open_count": ("doctype", "name"),
	"frappe.desk.form.assign_to.add": ("doctype", "name"),
	"frappe.desk.form.assign_to.remove": ("doctype", "name"),
	"frappe.desk.form.assign_to.close": ("doctype", "name"),
	"frappe.desk.form.utils.add_comment": ("reference_doctype", "reference_name"),
	"frappe.desk.link_preview.get_preview_data": ("doctype", "docname"),
	"frappe.www.printview.get_html_and_style": ("doc", "name"),
	"frappe.utils.print_format.download_pdf": ("doctype", "name"),
	"frappe.realtime.can_subscribe_doc": ("doctype", "docname"),
	"frappe.model.workflow.get_transitions": None,
	"frappe.model.workflow.apply_workflow": None,
}
CHART_METHODS = frozenset(
	(
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
		"frappe.desk.doctype.number_card.number_card.get_result",
		"frappe.desk.doctype.number_card.number_card.get_percentage_difference",
	)
)
# a document name that cannot exist (names are at most 140 characters)
MISSING_NAME = "tolink-gate-" + "0" * 140
NUMBER_CARD_FUNCTIONS = frozenset(("Count", "Sum", "Average", "Minimum", "Maximum"))


class ServerOwnedFieldError(frappe.ValidationError):
	"""417: a request tried to set a field only the app's own code sets."""


def check_request() -> None:
	"""hooks.auth_hooks: the gate."""
	request = getattr(frappe.local, "request", None)
	if request is None or request.method == "OPTIONS":
		return
	user = frappe.session.user
	if user == "Administrator":
		return
	roles = frappe.get_roles(user)
	if "System Manager" in roles:
		return
	if user == "Guest" and len(frappe.get_request_header("Authorization", "").split(" ")) == 2:
		# a token Frappe could not authenticate: Frappe answers 401 right after this hook
		return
	call = resolve(request)
	if call is None:
		return
	roles = {*roles, "Guest"}
	kind = call["kind"]
	if kind == "method":
		check_method(call["method"], roles)
	else:
		check_document_call(call, roles)


# --- what the request calls


def resolve(request) -> dict | None:
	"""The call a request makes, or None for what is not an API call (pages, files, assets)."""
	form_dict = frappe.local.form_dict
	if form_dict.get("cmd"):
		# Frappe runs `cmd` before looking at the path
		return {"kind": "method", "method": cstr(form_dict.cmd)}
	if not request.path.startswith("/api/"):
		return None
	from frappe.api import API_URL_MAP

	try:
		rule, arguments = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:
		return None  # Frappe answers 404 / 405 itself, running nothing
	endpoint = rule.endpoint
	module, name = getattr(endpoint, "__module__", ""), getattr(endpoint, "__name__", "")
	v2 = module == "frappe.api.v2"
	if name == "handle_rpc_call":
		method = arguments["method"]
		if not v2:
			method = method.split("/")[0]
		elif arguments.get("doctype"):
			method = controller_method_path(arguments["doctype"], method)
		return {"kind": "method", "method": method}
	if endpoint is frappe.ping:
		return {"kind": "method", "method": "ping"}
	if v2 and name in ("login", "logout", "upload_file"):
		return {"kind": "method", "method": name}
	if name == "<lambda>" and rule.rule.endswith("/run_doc_method"):
		return {"kind": "method", "method": "run_doc_method"}
	doctype, docname = arguments.get("doctype"), arguments.get("name")
	kinds = {
		"document_list": "list",
		"create_doc": "insert",
		"read_doc": "get",
		"update_doc": "update",
		"delete_doc": "delete",
		"execute_doc_method": "doc_method",
		"get_meta": "meta",
		"count": "count",
	}
	kind = kinds.get(name)
	if kind is None:
		return {"kind": "method", "method": f"{module}.{name}"}
	call = {"kind": kind, "doctype": doctype, "name": docname, "v2": v2}
	if kind == "get" and not v2 and "run_method" in form_dict:
		call["kind"] = "doc_method"
	if call["kind"] == "doc_method":
		call["method"] = arguments.get("method") or form_dict.get("run_method")
	return call


def controller_method_path(doctype: str, method: str) -> str:
	"""/api/v2/method/<doctype>/<method>: a function of the doctype's controller module."""
	from frappe.modules.utils import load_doctype_module

	try:
		return f"{load_doctype_module(doctype).__name__}.{method}"
	except Exception:
		frappe.clear_last_message()
		return f"<{doctype}>.{method}"


# --- methods


def allowed(method: str, roles: set[str]) -> bool:
	entry = allowlist.methods().get(method)
	if entry is not None and not roles.isdisjoint(entry[0]):
		return True
	extra = (frappe.conf.get("tolink_allowed_methods") or {}).get(method)
	return bool(extra) and not roles.isdisjoint(extra)


def deny(method: str | None = None) -> None:
	"""The one answer for a method the user may not call, existing or not."""
	if method:
		frappe.logger("tolink.gate").warning(f"denied {frappe.session.user}: {method[:200]}")
	frappe.throw(_("Not permitted"), frappe.PermissionError)


def check_method(method: str, roles: set[str]) -> None:
	if not allowed(method, roles):
		deny(method)
	form_dict = frappe.local.form_dict
	inner = allowlist.INNER_METHOD_ARGUMENTS.get(method)
	if inner and form_dict.get(inner) and not allowed(cstr(form_dict.get(inner)), roles):
		deny(f"{method} -> {form_dict.get(inner)}")
	if method == "run_doc_method":
		check_run_doc_method(roles)
		return
	if method in CHART_METHODS:
		check_chart(method)
		return
	doctype = form_dict.get(DOCTYPE_ARGUMENT.get(method, "doctype"))
	check_switches(doctype, method)
	grammar.check_arguments(
		doctype,
		form_dict,
		report_filters=method in REPORT_METHODS,
		name_filters=method == "frappe.client.get_value",
	)
	check_parent_argument(method, doctype)
	address = DOC_ADDRESS.get(method)
	if method == "frappe.client.get" and not form_dict.get("name"):
		name_by_filters(doctype)
	if method == "frappe.desk.form.load.getdoc":
		# Frappe answers a missing document here with an empty answer, and Desk relies on it
		# (`/app/citizen/new` asks for "new" first): a document the user may not read gets
		# exactly that answer, from the same code
		if not readable(form_dict.get("doctype"), form_dict.get("name")):
			form_dict["name"] = MISSING_NAME
	elif address:
		require_readable(form_dict.get(address[0]), form_dict.get(address[1]))
	elif method in ("frappe.model.workflow.get_transitions", "frappe.model.workflow.apply_workflow"):
		doc = parse_document("doc", form_dict.get("doc"))
		require_readable(doc.get("doctype"), doc.get("name"))
	check_writes(method)


def check_run_doc_method(roles: set[str]) -> None:
	"""Desk's `frm.call`: a controller method of a stored document (dt, dn) or of the document
	the form holds (docs; v2: document)."""
	form_dict = frappe.local.form_dict
	document = form_dict.get("docs") or form_dict.get("document")
	if form_dict.get("dt"):
		doctype, name, doc = form_dict.get("dt"), form_dict.get("dn") or form_dict.get("dt"), None
	else:
		doc = parse_document("docs", document)
		doctype, name = doc.get("doctype"), doc.get("name")
	check_doc_method(doctype, form_dict.get("method"), roles)
	require_readable(doctype, name)
	if doc is not None:
		# the method may save the document as sent
		check_server_owned(doctype, doc, name)


def check_doc_method(doctype, method, roles: set[str]) -> None:
	entry = allowlist.DOC_METHODS.get(doctype if isinstance(doctype, str) else "", {}).get(
		method if isinstance(method, str) else ""
	)
	if entry is None or roles.isdisjoint(entry[0]):
		deny(f"{doctype}.{method}")


def check_parent_argument(method: str, doctype) -> None:
	"""`parent` (frappe.client's) and `parent_doctype` name the parent of a child table: they
	must be one."""
	form_dict = frappe.local.form_dict
	keys = ["parent_doctype"]
	if method.startswith("frappe.client."):
		keys.append("parent")
	for key in keys:
		parent = form_dict.get(key)
		if parent in (None, ""):
			continue
		meta = grammar.meta_of(parent) if isinstance(parent, str) else refuse(key, parent)
		if doctype not in grammar.child_doctypes(meta):
			refuse(key, parent)


def name_by_filters(doctype) -> None:
	"""frappe.client.get by filters looks the name up without row rules: here it is looked up among
	the records the user may list, and not found otherwise."""
	form_dict = frappe.local.form_dict
	filters = parse("filters", form_dict.get("filters"))
	if filters in (None, "", [], {}):
		form_dict["name"] = doctype  # a single doctype
		return
	names = frappe.get_list(doctype, filters=filters, pluck="name", limit_page_length=1, order_by=None)
	if not names:
		not_found(doctype, "")
	form_dict["name"] = names[0]
	form_dict.pop("filters", None)


# methods taking a `user` that is not "as whom to evaluate permissions"
USER_ARGUMENT_METHODS = frozenset(("frappe.core.doctype.user.user.reset_password",))


def check_switches(doctype, method: str | None = None) -> None:
	"""`ignore_user_permissions=1` turns the row rules off in link search: refused on personal
	data, neutralised elsewhere. `user` (as whom to evaluate permissions) must be the user;
	`debug` is ignored."""
	form_dict = frappe.local.form_dict
	for key in SWITCHES:
		if key in form_dict and cint(parse(key, form_dict[key]) if form_dict[key] else 0):
			if isinstance(doctype, str) and doctype in personal_doctypes():
				refuse(key, form_dict[key])
			form_dict[key] = 0
	if method not in USER_ARGUMENT_METHODS and form_dict.get("user") not in (None, "", frappe.session.user):
		refuse("user", form_dict.get("user"))
	if "debug" in form_dict:
		form_dict["debug"] = 0


def check_chart(method: str) -> None:
	"""Dashboard charts and number cards: their fields and filters follow the grammar, and they
	are not computed on personal data (the figures would count what row rules hide)."""
	form_dict = frappe.local.form_dict
	if method.endswith("dashboard_chart.get"):
		if form_dict.get("chart_name"):
			chart = frappe.db.get_value(
				"Dashboard Chart", cstr(form_dict.chart_name), ["*"], as_dict=True
			) or deny(method)
			if not frappe.has_permission("Dashboard Chart", "read", doc=chart.name):
				deny(method)
		else:
			chart = frappe._dict(parse_document("chart", form_dict.get("chart")))
			if chart.get("chart_type") not in ("Count", "Sum", "Average", "Group By"):
				deny(method)
		doctype = chart.get("document_type")
		columns = ("based_on", "value_based_on", "group_by_based_on", "aggregate_function_based_on")
	else:
		chart = frappe._dict(parse_document("doc", form_dict.get("doc")))
		if chart.get("type") == "Custom" or chart.get("function") not in NUMBER_CARD_FUNCTIONS:
			deny(method)
		doctype = chart.get("document_type")
		columns = ("aggregate_function_based_on",)
		if chart.get("parent_document_type"):
			parent = grammar.meta_of(chart.parent_document_type)
			if doctype not in grammar.child_doctypes(parent):
				refuse("parent_document_type", chart.parent_document_type)
	if not isinstance(doctype, str) or doctype in personal_doctypes():
		deny(method)
	grammar.meta_of(doctype)
	if not frappe.has_permission(doctype, "read"):
		deny(method)
	for column in columns:
		if chart.get(column):
			grammar.check_plain_field(column, doctype, chart.get(column))
	for key in ("filters", "filters_json"):
		if form_dict.get(key):
			grammar.check_filters(key, doctype, form_dict.get(key))
	if form_dict.get("result") not in (None, "") and not isinstance(
		parse("result", form_dict.result), int | float
	):
		refuse("result", form_dict.result)


# --- document endpoints


def check_document_call(call: dict, roles: set[str]) -> None:
	if roles.isdisjoint(allowlist.DESK):
		deny(f"{call['kind']} {call.get('doctype')}")
	doctype, name, kind = call.get("doctype"), call.get("name"), call["kind"]
	form_dict = frappe.local.form_dict
	check_switches(doctype)
	if kind == "meta":
		return
	if kind in ("list", "count"):
		grammar.check_arguments(doctype, form_dict)
		check_parent_argument("frappe.client.get_list", doctype)
		return
	if kind == "doc_method":
		check_doc_method(doctype, call.get("method"), roles)
	if kind == "insert":
		grammar.meta_of(doctype)
		check_server_owned(doctype, request_document(call), None)
		return
	require_readable(doctype, name)
	if kind == "update":
		check_server_owned(doctype, request_document(call), name)


def request_document(call: dict) -> dict:
	"""The document a resource POST/PUT sends, read as Frappe reads it."""
	form_dict = frappe.local.form_dict
	if call.get("v2"):
		return dict(form_dict)
	data = form_dict.get("data")
	if data is None:
		data = frappe.safe_decode(frappe.request.get_data())
	try:
		data = frappe.parse_json(data)
	except ValueError:
		return dict(form_dict)
	if data is None or data == "":
		return dict(form_dict)
	if not isinstance(data, dict):
		refuse("data", data)
	return data


def parse_document(argument: str, value) -> dict:
	value = parse(argument, value)
	if not isinstance(value, dict):
		refuse(argument, value)
	return value


# --- one answer for "not yours" and "not there"


def require_readable(doctype, name) -> None:
	"""A document the user may not read answers exactly as one that does not exist."""
	if not readable(doctype, name):
		not_found(doctype, name)


def readable(doctype, name) -> bool:
	if not isinstance(doctype, str) or not doctype or not isinstance(name, str | int) or name == "":
		return False
	name = str(name)
	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return False
	if meta.issingle:
		return bool(frappe.has_permission(doctype, "read"))
	if meta.istable:
		row = frappe.db.get_value(doctype, name, ["parent", "parenttype"], as_dict=True)
		return bool(row) and readable(row.parenttype, row.parent)
	if not frappe.db.exists(doctype, name):
		return False
	return bool(frappe.has_permission(doctype, "read", doc=name))


def not_found(doctype, name) -> None:
	frappe.throw(
		_("{0} {1} not found").format(_(cstr(doctype)), escape_html(cstr(name))), frappe.DoesNotExistError
	)


# --- server-owned fields


def check_writes(method: str) -> None:
	"""Generic write endpoints: no server-owned field changes."""
	form_dict = frappe.local.form_dict
	if method in ("frappe.client.insert", "frappe.client.save", "frappe.client.submit"):
		doc = parse_document("doc", form_dict.get("doc"))
		check_document(doc)
	elif method == "frappe.desk.form.save.savedocs":
		check_document(parse_document("doc", form_dict.get("doc")))
	elif method == "frappe.client.set_value":
		fieldname = parse("fieldname", form_dict.get("fieldname"))
		values = fieldname if isinstance(fieldname, dict) else {cstr(fieldname): form_dict.get("value")}
		check_server_owned(form_dict.get("doctype"), values, form_dict.get("name"))
	elif method == "frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs":
		data = parse("data", form_dict.get("data"))
		if data in (None, "", {}):
			return
		if not isinstance(data, dict):
			refuse("data", data)
		names = parse("docnames", form_dict.get("docnames"))
		if not isinstance(names, list):
			refuse("docnames", names)
		for name in names:
			require_readable(form_dict.get("doctype"), name)
			check_server_owned(form_dict.get("doctype"), data, name)


def check_document(doc: dict) -> None:
	"""A whole document sent to be inserted or saved (frappe.client, Desk's savedocs)."""
	doctype, name = doc.get("doctype"), doc.get("name")
	grammar.meta_of(doctype)
	if doc.get("__islocal") or not name or not frappe.db.exists(doctype, cstr(name)):
		check_server_owned(doctype, doc, None)
		return
	require_readable(doctype, name)
	check_server_owned(doctype, doc, name)


def check_server_owned(doctype, values: dict, name=None) -> None:
	"""Refuse a request that changes (or, on insert, sets to other than the default) a field of
	`doctype` or of its child tables that only the app's own code sets."""
	if not isinstance(values, dict):
		refuse("data", values)
	meta = grammar.meta_of(doctype)
	owned = server_owned(doctype) & values.keys()
	stored = None
	if owned and name:
		stored = frappe.db.get_value(doctype, cstr(name), list(owned), as_dict=True)
	for fieldname in owned:
		df = meta.get_field(fieldname)
		if refetched(df):
			continue
		if stored is not None:
			unchanged = same(df, values[fieldname], stored.get(fieldname))
		else:
			unchanged = is_default(df, values[fieldname]) or is_own_organisation(fieldname, values[fieldname])
		if not unchanged:
			refuse_server_owned(doctype, fieldname)
	for table in meta.get_table_fields():
		rows = values.get(table.fieldname)
		if not rows:
			continue
		if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
			refuse(table.fieldname, rows)
		child_owned = server_owned(table.options)
		if not child_owned:
			continue
		check_child_rows(doctype, name, table.options, rows, child_owned)


def check_child_rows(parenttype, parent, child_doctype: str, rows: list[dict], owned) -> None:
	child_meta = frappe.get_meta(child_doctype)
	stored_rows = {}
	if parent:
		names = [cstr(row.get("name")) for row in rows if row.get("name") and not row.get("__islocal")]
		if names:
			stored_rows = {
				row.name: row
				for row in frappe.get_all(
					child_doctype,
					filters={"parent": cstr(parent), "parenttype": parenttype, "name": ["in", names]},
					fields=["name", *owned],
				)
			}
	for row in rows:
		stored = stored_rows.get(cstr(row.get("name")))
		for fieldname in owned & row.keys():
			df = child_meta.get_field(fieldname)
			if refetched(df):
				continue
			if stored is not None:
				unchanged = same(df, row[fieldname], stored.get(fieldname))
			else:
				unchanged = is_default(df, row[fieldname])
			if not unchanged:
				refuse_server_owned(child_doctype, fieldname)


def server_owned(doctype: str) -> frozenset[str]:
	return server_owned_fields(doctype)


NUMERIC = frozenset(("Int", "Float", "Currency", "Percent", "Check", "Duration", "Rating"))


def empty(df, value) -> bool:
	if value in (None, "", [], {}):
		return True
	return bool(df and df.fieldtype in NUMERIC and is_number(value) and flt(value) == 0)


def is_number(value) -> bool:
	try:
		float(value)
	except (TypeError, ValueError):
		return False
	return True


def same(df, new, old) -> bool:
	if empty(df, new) and empty(df, old):
		return True
	fieldtype = df.fieldtype if df else None
	if fieldtype not in NUMERIC and (empty(df, new) or empty(df, old)):
		# one side empty: getdate(None) is today, so an empty date would equal today's
		return False
	try:
		if fieldtype in NUMERIC:
			return is_number(new) and flt(new) == flt(old)
		if fieldtype == "Date":
			return getdate(new) == getdate(old)
		if fieldtype == "Datetime":
			return get_datetime(new) == get_datetime(old)
	except Exception:
		return False
	return cstr(new) == cstr(old)


def is_default(df, value) -> bool:
	if empty(df, value):
		return True
	default = df.default if df else None
	if isinstance(default, str) and default.lower() in ("today", "now"):
		try:
			return getdate(value) == getdate()
		except Exception:
			return False
	if default in ("__user", ":User", "user"):
		return value == frappe.session.user
	return default not in (None, "") and same(df, value, default)


def is_own_organisation(fieldname: str, value) -> bool:
	"""A new record naming the caller's own organisation: what the app would set anyway (a partner's
	client may send it; Desk fills it in from the user's defaults)."""
	if fieldname != "provider" or not value:
		return False
	return cstr(value) == cstr(get_user_provider() or "")


def refetched(df) -> bool:
	"""A field Frappe fetches again from its link on every save: what a request sends is ignored."""
	return bool(df and df.get("fetch_from") and not df.get("fetch_if_empty"))


def refuse_server_owned(doctype: str, fieldname: str) -> None:
	df = frappe.get_meta(doctype).get_field(fieldname)
	label = _(df.label) if df and df.label else fieldname
	frappe.throw(
		_("{0} of {1} is set by To Link itself and cannot be changed through this request.").format(
			frappe.bold(label), _(doctype)
		),
		ServerOwnedFieldError,
		title=_("Invalid request"),
	)


# --- malformed requests

# exceptions that, raised by a method on what a request sent (a broken JSON argument, a string where
# a list was expected, a value too long for its column...), are the client's mistake, not the server's
INPUT_ERRORS = frozenset(
	(
		"JSONDecodeError",
		"ValueError",
		"TypeError",
		"KeyError",
		"IndexError",
		"AttributeError",
		"UnicodeDecodeError",
		"OverflowError",
		"InvalidOperation",
		"DataError",
		"ProgrammingError",
	)
)


def answer_client_errors(response=None, request=None) -> None:
	"""hooks.after_request: a malformed request answers 400 with a clear message, never 500.

	- a malformed JSON body: Frappe decodes it before any hook can run and answers 500;
	- for users the gate applies to, a method that failed on the arguments it was sent (one of
	  INPUT_ERRORS: Frappe's own methods parse and use their arguments unchecked). It is logged
	  (tolink.gate) with the method, so a fault of the method itself is still seen."""
	if response is None or request is None or response.status_code != 500:
		return
	if request.is_json:
		try:
			json.loads(request.get_data(as_text=True) or "null")
		except ValueError:
			# Frappe failed before it set the request's language: the site's
			set_site_language()
			respond_400(response, _("The request body is not valid JSON."))
			return
	if not gated_user():
		return
	exc_type = exception_type(response)
	if exc_type not in INPUT_ERRORS:
		return
	frappe.logger("tolink.gate").warning(
		f"400 for {getattr(frappe.session, 'user', None)}: {exc_type} in {request.method} {request.path}"
	)
	respond_400(response, _("The request's arguments are not valid for this method."))


def gated_user() -> bool:
	session = getattr(frappe.local, "session", None)
	user = session.user if session else None
	if not user:
		return True
	if user == "Administrator":
		return False
	try:
		return "System Manager" not in frappe.get_roles(user)
	except Exception:
		return True


def exception_type(response) -> str | None:
	try:
		body = json.loads(response.get_data(as_text=True))
	except ValueError:
		return None
	if not isinstance(body, dict):
		return None
	if body.get("exc_type"):
		return body["exc_type"]
	errors = body.get("errors")
	if isinstance(errors, list) and errors and isinstance(errors[0], dict):
		return errors[0].get("type")
	return None


def respond_400(response, message: str) -> None:
	title = _("Invalid request")
	frappe.local.message_log = []
	response.status_code = 400
	if request_is_v2():
		body = {"errors": [{"type": "ValidationError", "message": message, "title": title}]}
	else:
		body = {
			"exc_type": "ValidationError",
			"_server_messages": json.dumps(
				[json.dumps({"message": message, "title": title, "indicator": "red"})]
			),
		}
	response.set_data(json.dumps(body))
	response.headers["Content-Type"] = "application/json"


def request_is_v2() -> bool:
	request = getattr(frappe.local, "request", None)
	return bool(request) and request.path.startswith("/api/v2/")


def set_site_language() -> None:
	try:
		frappe.local.lang = frappe.get_system_settings("language") or "en"
	except Exception:
		frappe.local.lang = "en"


__all__ = ["QueryGrammarError", "ServerOwnedFieldError", "check_request", "require_readable"]
