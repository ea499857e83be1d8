"""The API fuzzer's parts: enumerate every whitelisted method of Frappe and of the app at runtime,
build hostile argument sets for each, call them over HTTP in parallel, and look in every answer for
canaries of another organisation. Used by test_api_fuzzer.py."""

import importlib
import inspect
import json
import pkgutil
import random
import threading
import time
import typing
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import frappe
import requests

# Methods not called, with the reason (printed by the test). Keep this list small: a method that can
# be called with arguments that cannot succeed is called.
SKIPPED_METHODS = {
	"frappe.handler.logout": "ends the fuzzing user's session: every later call would be blind",
	"frappe.handler.web_logout": "ends the fuzzing user's session",
	"frappe.core.doctype.user.user.verify_password": (
		"a wrong password is a failed login: the test address would be locked for the whole suite"
	),
	"frappe.core.doctype.user.user.update_password": (
		"a wrong old password is a failed login (address lock); logout_all_sessions ends the session"
	),
	"frappe.integrations.doctype.ldap_settings.ldap_settings.login": "a failed login locks the address",
}

# 5xx answers that are a method's designed answer, not a failure on bad input
EXPECTED_5XX = {
	"tolink.api.public.health": (503, "the health check answers 503 while no scheduler or worker runs"),
}

# the endpoint the hub counter's lookups are logged under (tolink.api.partner.counter_lookup)
HUB_COUNTER = "hub counter "

# Tables and columns holding the canaries: selected by the sub-queries below
CANARY_COLUMNS = (
	("Citizen", "concat_ws(' ', `codice_fiscale`, `last_name`, `notes`)"),
	("Household", "`isee_value`"),
	("Case Note", "`note`"),
	("Helpline Call", "`notes`"),
	("Support Session", "`notes`"),
	("Voucher", "`code`"),
)

# personal data with children: the child-table variants
CHILD_TABLES = {"Citizen Vulnerability": "Citizen", "Household Member": "Household", "Intake Need": "Intake"}

DOCTYPE_KEYS = {
	"doctype",
	"dt",
	"doc_type",
	"reference_doctype",
	"ref_doctype",
	"document_type",
	"link_doctype",
	"parenttype",
	"from_doctype",
	"source_doctype",
	"target_doctype",
	"ref_dt",
}
NAME_KEYS = {
	"name",
	"docname",
	"dn",
	"reference_name",
	"source_name",
	"link_name",
	"document_name",
	"ref_docname",
	"ref_dn",
	"docname_to_fetch",
	"id",
	"record",
}
NAMES_KEYS = {"names", "docnames", "items", "documents", "doc_names"}
SWITCH_KEYS = {
	"ignore_user_permissions",
	"ignore_permissions",
	"as_dict",
	"debug",
	"with_comment_count",
	"with_childnames",
	"run_query",
	"ignore_ifnull",
	"include_disabled",
	"reference_doctype_only",
	"strict",
}
LIMIT_KEYS = {"limit", "page_length", "limit_page_length", "page_len", "max_results"}
START_KEYS = {"start", "limit_start", "offset"}
TXT_KEYS = {"txt", "search", "search_text", "text", "q", "keyword", "term"}
FIELD_KEYS = {
	"fieldname",
	"field",
	"searchfield",
	"column",
	"link_fieldname",
	"aggregate_on",
	"group_by_field",
}
USER_KEYS = {"user", "for_user", "owner", "user_email"}
DOC_KEYS = {"doc", "document", "docs", "target_doc"}
ARGS_KEYS = {"args", "kwargs", "data", "values", "params", "options", "arg"}
REPORT_KEYS = {"report_name", "report"}


def subquery_fields(doctype: str) -> list[str]:
	"""Fields that pass Frappe's own checks (which read the first column of each field only) and
	select the canary columns of every organisation."""
	return [
		"name",
		*(
			f"`tab{doctype}`.`name`, (select group_concat({col}) from `tab{table}`) as leak_{i}"
			for i, (table, col) in enumerate(CANARY_COLUMNS)
		),
	]


SELF = "<the caller>"
SUBQUERY = "(select group_concat(codice_fiscale) from `tabCitizen`)"


@dataclass
class Variant:
	"""One hostile argument set, for a doctype of the request."""

	label: str
	doctype: str
	name: str
	fields: object
	filters: object
	order_by: str = "modified desc"
	group_by: str | None = None
	or_filters: object = None
	field: str = "name"
	txt: str = "%"
	parent: str | None = None
	targeted: bool = False  # every filter selects A's record only: a positive count is a leak
	user: str | None = None
	value: object = "fuzz"
	doc: dict | None = None


@dataclass
class Call:
	who: str
	verb: str
	path: str
	args: dict
	method: str
	variant: str
	targeted: bool = False
	phase: int = 1


@dataclass
class Outcome:
	call: Call
	status: int
	leak: str | None = None
	elapsed: float = 0.0


@dataclass
class Method:
	path: str
	fn: typing.Callable
	verbs: list[str]
	params: dict = field(default_factory=dict)  # name -> annotation (inspect.Parameter.empty if none)
	required: set = field(default_factory=set)
	reads_form_dict: bool = False
	no_params: bool = False
	guest: bool = False


# --- enumeration
def import_everything(packages=("frappe", "tolink")) -> list[str]:
	"""Import every module of the packages (test and patch modules aside) so that every
	@frappe.whitelist decorator has run. Returns the modules that failed to import."""
	failed = []
	for package in packages:
		root = importlib.import_module(package)
		for info in pkgutil.walk_packages(root.__path__, package + ".", onerror=failed.append):
			parts = info.name.split(".")
			if any(
				p in ("tests", "test_runner", "patches", "commands") or p.startswith("test_") for p in parts
			):
				continue
			try:
				importlib.import_module(info.name)
			except BaseException:
				failed.append(info.name)
	return failed


def whitelisted_methods() -> tuple[list[Method], list[Method]]:
	"""(module functions, controller methods) of frappe.whitelisted, by dotted path."""
	functions, controller = {}, {}
	guest = set(frappe.guest_methods)
	for fn in frappe.whitelisted:
		path = f"{fn.__module__}.{fn.__qualname__}"
		if not path.startswith(("frappe.", "tolink.")) or "<" in path:
			continue
		try:
			signature = inspect.signature(fn)
		except (TypeError, ValueError):
			continue
		params, required, kwargs = {}, set(), False
		for p in signature.parameters.values():
			if p.name == "self":
				continue
			if p.kind == p.VAR_KEYWORD:
				kwargs = True
				continue
			if p.kind == p.VAR_POSITIONAL:
				continue
			params[p.name] = p.annotation
			if p.default is p.empty:
				required.add(p.name)
		try:
			source = inspect.getsource(inspect.unwrap(fn))
		except (OSError, TypeError):
			source = ""
		method = Method(
			path=path,
			fn=fn,
			verbs=list(frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["GET", "POST"]),
			params=params,
			required=required,
			reads_form_dict=kwargs or "form_dict" in source or "get_form_params" in source,
			# a function without parameters may read the request itself through a helper
			no_params=not params,
			guest=fn in guest,
		)
		target = controller if "." in fn.__qualname__ else functions
		target[path] = method
	return sorted(functions.values(), key=lambda m: m.path), sorted(controller.values(), key=lambda m: m.path)


# --- hostile arguments
def variants(records: dict[str, str], insider: str, org_a: str) -> tuple[list[Variant], list[Variant]]:
	"""(core variants every role sends, per-doctype variants spread over the roles)."""
	cit, hh = records["Citizen"], records["Household"]
	core = [
		Variant(
			"own account moved to A's organisation, made administrator",
			"User",
			SELF,
			["name", "tolink_provider", "`tabHas Role`.`role`"],
			{"name": SELF},
			field="tolink_provider",
			value=org_a,
			doc={
				"doctype": "User",
				"name": SELF,
				"tolink_provider": org_a,
				"roles": [{"role": "System Manager"}, {"role": "Network Administrator"}],
			},
		),
		Variant(
			"sub-queries in fields, string filter",
			"Citizen",
			cit,
			subquery_fields("Citizen"),
			"1=1",
			order_by=f"{SUBQUERY} desc",
			group_by="`tabCitizen`.`name`",
			or_filters="codice_fiscale like '%'",
			field="codice_fiscale",
			user=insider,
		),
		Variant(
			"sub-queries in fields of a doctype everyone reads",
			"ToDo",
			cit,
			subquery_fields("ToDo"),
			[["name", "like", "%"]],
			order_by="`tabToDo`.`modified` desc",
			field="owner",
			user="Administrator",
		),
		Variant(
			"string and nested filters",
			"Household",
			hh,
			["name", "isee_value", "concat(household_name, isee_value)", "`tabHousehold`.*"],
			json.dumps("isee_value > 0 or 1=1"),  # a JSON string: into SQL as it is
			order_by="isee_value desc, (select 1)",
			group_by="isee_value",
			or_filters=[["Household Member", "citizen", "like", "%"], ["isee_value", ">", 0]],
			field="isee_value",
			txt="",
			user=insider,
		),
		Variant(
			"child and link fields",
			"Citizen",
			cit,
			[
				"name",
				"codice_fiscale",
				"`tabCitizen Vulnerability`.`flag`",
				"household.isee_value",
				"provider.provider_name",
			],
			[["Citizen Vulnerability", "flag", "is", "set"], ["Citizen", "household.isee_value", ">", 0]],
			order_by="`tabCitizen`.`codice_fiscale` asc",
			field="household",
			txt="",
		),
	]
	per_doctype = [
		Variant(
			f"child table {child}",
			child,
			records[parent],
			["*", "parent"],
			{"parenttype": parent},
			order_by="idx asc",
			field="parent",
			parent=parent,
			txt="",
		)
		for child, parent in CHILD_TABLES.items()
	]
	per_doctype += [
		Variant(
			f"A's {doctype}, string filter on its name",
			doctype,
			name,
			["*"],
			# a JSON string: Frappe decodes it to a plain string and puts it into SQL as it is
			json.dumps(f"`tab{doctype}`.`name` = '{name}'"),
			or_filters={"name": name},
			field="owner",
			txt=name,
			targeted=True,
			user=insider,
		)
		for doctype, name in records.items()
	]
	return core, per_doctype


def hostile_args(method: Method, v: Variant, ctx: dict) -> dict:
	"""The method's parameters (all of them when it reads frappe.form_dict) filled from a variant."""
	keys = set(method.params)
	if method.reads_form_dict or method.no_params:
		keys |= {
			"doctype",
			"name",
			"fields",
			"filters",
			"or_filters",
			"order_by",
			"group_by",
			"ignore_user_permissions",
			"ignore_permissions",
			"limit_page_length",
			"parent",
			"parent_doctype",
			"current_filters",
			"txt",
			"searchfield",
			"reference_doctype",
			"user",
		}
	args = {}
	for key in sorted(keys):
		value = param_value(key, method.params.get(key, inspect.Parameter.empty), v, ctx)
		if value is _MISSING:
			if key not in method.required:
				continue
			value = v.name
		args[key] = value if isinstance(value, str | int | float) else json.dumps(value)
	# the caller's own account, where a variant names it
	return {k: val.replace(SELF, ctx["self"]) if isinstance(val, str) else val for k, val in args.items()}


_MISSING = object()


def param_value(key: str, annotation, v: Variant, ctx: dict):
	records = ctx["records"]
	if key in DOCTYPE_KEYS:
		return v.doctype
	if key in ("parent_doctype", "parent"):
		return v.parent or v.doctype if key == "parent_doctype" else (v.parent or _MISSING)
	if key in NAME_KEYS:
		return v.name
	if key in NAMES_KEYS:
		return [v.name]
	if key in ("fields", "columns"):
		return v.fields
	if key in ("filters", "filter", "current_filters"):
		return v.filters
	if key == "or_filters":
		return v.or_filters if v.or_filters is not None else _MISSING
	if key in ("order_by", "sort_by", "order", "sort_field"):
		return v.order_by
	if key == "group_by":
		return v.group_by or _MISSING
	if key in FIELD_KEYS:
		return v.field
	if key in TXT_KEYS:
		return v.txt
	if key in SWITCH_KEYS:
		return 1
	if key in LIMIT_KEYS:
		return 500
	if key in START_KEYS:
		return 0
	if key in USER_KEYS:
		return v.user or ctx["self"]
	if key in REPORT_KEYS:
		return "Personal Data Access"
	if key in DOC_KEYS:
		return v.doc or {"doctype": v.doctype, "name": v.name, **ctx["write"]}
	if key == "action":
		return "Save"
	if key in ARGS_KEYS:
		return {
			"doctype": v.doctype,
			"name": v.name,
			"fields": v.fields,
			"filters": v.filters,
			"ignore_permissions": 1,
			"citizen": records["Citizen"],
		}
	if key == "code":
		return ctx["card_code"]
	if key == "hub":
		return ctx["hub"]
	if key in ("value", "new_value"):
		return v.value
	# a parameter named after one of A's doctypes (citizen, household, intake, referral...)
	if key in ctx["record_params"]:
		return ctx["record_params"][key]
	if annotation in (int, float, int | None, float | None):
		return 1
	if annotation in (bool, bool | None):
		return 1
	if annotation in (dict, dict | None) or typing.get_origin(annotation) is dict:
		return {"doctype": v.doctype, "name": v.name}
	if annotation in (list, list | None) or typing.get_origin(annotation) is list:
		return [v.name]
	return _MISSING


# Desk's data endpoints (and the app's overrides of them): every core variant from every role
PRIORITY_METHODS = {
	"frappe.client.get_list",
	"frappe.client.get_count",
	"frappe.client.get_value",
	"frappe.client.get",
	"frappe.client.validate_link",
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_list",
	"frappe.desk.reportview.get_count",
	"frappe.desk.reportview.export_query",
	"frappe.desk.search.search_link",
	"frappe.desk.search.search_widget",
	"frappe.desk.listview.get_group_by_count",
	"frappe.desk.form.load.getdoc",
	"tolink.permissions.api.get_count",
	"tolink.permissions.api.validate_link",
}
QUERY_KEYS = {
	"fields",
	"filters",
	"or_filters",
	"order_by",
	"group_by",
	"current_filters",
	"txt",
	"searchfield",
}


def spread(items: list, m_index: int, r_index: int, n_roles: int, copies: int = 1) -> list:
	"""The items role r sends for method m: each item goes to `copies` roles, a different set of
	roles for each method, so that across methods every role sends every item."""
	step = max(1, n_roles // copies)
	return [
		item
		for i, item in enumerate(items)
		if any((i + m_index + c * step) % n_roles == r_index for c in range(copies))
	]


def build_calls(
	functions: list[Method],
	controller: list[tuple[Method, str | None]],
	doctypes: list[str],
	roles: dict[str, str],
	ctx: dict,
) -> list[Call]:
	"""Every method x every role, each with some of the variants (deduplicated on the arguments
	actually sent). Methods that take a query (fields, filters, order...) get every variant from two
	roles each; the others every variant from one role. Calls that write the caller's own account or
	A's records through /api/resource are phase 2: they run after the reads, so that a successful
	escalation does not hide which read leaked."""
	core, per_doctype = variants(ctx["records"], ctx["insider"], ctx["org_a"])
	every = core + per_doctype
	role_names = list(roles)
	n = len(role_names)
	calls = []
	for r_index, who in enumerate(role_names):
		rctx = {**ctx, "self": roles[who]}
		guest = who == "guest"
		for m_index, method in enumerate(functions):
			if method.path in SKIPPED_METHODS or (guest and not method.guest):
				continue
			verb = "GET" if "GET" in method.verbs else method.verbs[0]
			query = method.reads_form_dict or bool(QUERY_KEYS & set(method.params))
			if guest:
				mine = core[:3]
			elif method.path in PRIORITY_METHODS:
				mine = core + spread(per_doctype, m_index, r_index, n, copies=2)
			elif query:
				mine = spread(every, m_index, r_index, n)
			else:
				mine = spread(every, m_index, r_index, n)[:1]
			seen = set()
			for v in mine or every[:1]:
				args = hostile_args(method, v, rctx)
				key = json.dumps(args, sort_keys=True)
				if key in seen:
					continue
				seen.add(key)
				calls.append(
					Call(
						who,
						verb,
						f"/api/method/{method.path}",
						args,
						method.path,
						v.label,
						# a count answered for a filter on A's record only
						targeted=v.targeted and "count" in method.path.rsplit(".", 1)[-1],
						phase=2 if SELF in json.dumps(v.doc or v.name) else 1,
					)
				)
		if guest:
			continue
		# controller methods, through run_doc_method on one of A's records
		for method, doctype in controller:
			if method.path in SKIPPED_METHODS:
				continue
			dt = doctype or "Citizen"  # a base class's method (Document): on A's citizen
			dn = ctx["records"].get(dt, ctx["records"]["Citizen"])
			v = next((v for v in per_doctype if v.doctype == dt), core[1])
			kwargs = hostile_args(method, v, rctx)
			calls.append(
				Call(
					who,
					"POST",
					"/api/method/run_doc_method",
					{"dt": dt, "dn": dn, "method": method.fn.__name__, "args": json.dumps(kwargs)},
					method.path,
					"run_doc_method on A's record",
				)
			)
	# /api/resource and /api/v2: every doctype listed with sub-queries by one role or another
	resource = resource_calls(doctypes, ctx, every)
	for i, (copies, make) in enumerate(resource):
		for r_index, who in enumerate(role_names):
			if any((i + c * max(1, n // copies)) % n == r_index for c in range(copies)):
				calls.append(make(who, roles[who]))
	return calls


def resource_calls(doctypes: list[str], ctx: dict, every: list[Variant]) -> list[tuple[int, typing.Callable]]:
	"""(how many roles send it, a function of (who, user) making the call)."""
	records = ctx["records"]
	out = []

	def add(copies, verb, path, args, target, label, targeted=False, phase=1):
		out.append(
			(
				copies,
				lambda who, user: Call(
					who, verb, path.replace(SELF, user), args, target, label, targeted, phase
				),
			)
		)

	for doctype in doctypes:
		params = {
			"fields": json.dumps(subquery_fields(doctype)),
			"order_by": f"`tab{doctype}`.`modified` desc",
			"limit_page_length": 500,
		}
		if doctype in CHILD_TABLES:
			params["parent"] = CHILD_TABLES[doctype]
		# doctypes every role reads: the sub-query from each role
		copies = 3 if doctype in ("ToDo", "Provider", "User") else 1
		add(copies, "GET", f"/api/resource/{doctype}", params, f"resource list {doctype}", "sub-queries")
	for v in every:
		if v.doctype not in records and v.doctype not in CHILD_TABLES:
			continue
		params = {
			"fields": json.dumps(v.fields),
			"filters": v.filters if isinstance(v.filters, str) else json.dumps(v.filters),
			"order_by": v.order_by,
			"limit_page_length": 500,
			"ignore_user_permissions": 1,
		}
		if v.or_filters is not None:
			params["or_filters"] = v.or_filters if isinstance(v.or_filters, str) else json.dumps(v.or_filters)
		if v.group_by:
			params["group_by"] = v.group_by
		if v.parent:
			params["parent"] = v.parent
		add(2, "GET", f"/api/resource/{v.doctype}", params, f"resource list {v.doctype}", v.label)
		add(2, "GET", f"/api/v2/document/{v.doctype}", params, f"v2 list {v.doctype}", v.label)
		add(
			2,
			"GET",
			f"/api/v2/doctype/{v.doctype}/count",
			{"filters": params["filters"]},
			f"v2 count {v.doctype}",
			v.label,
			targeted=v.targeted,
		)
	for doctype, name in records.items():
		write = dict(ctx["write_by_doctype"].get(doctype, {}))
		add(3, "GET", f"/api/resource/{doctype}/{name}", {}, f"resource get {doctype}", "A's record")
		add(3, "GET", f"/api/v2/document/{doctype}/{name}", {}, f"v2 get {doctype}", "A's record")
		add(
			2,
			"PUT",
			f"/api/resource/{doctype}/{name}",
			{"__json__": write},
			f"resource put {doctype}",
			"write",
		)
		add(
			2,
			"PATCH",
			f"/api/v2/document/{doctype}/{name}",
			{"__json__": write},
			f"v2 patch {doctype}",
			"write",
		)
		insert = {**write, "citizen": records["Citizen"], "household": records["Household"]}
		add(
			2,
			"POST",
			f"/api/resource/{doctype}",
			{"__json__": insert},
			f"resource insert {doctype}",
			"insert",
		)
	# the caller's own account: moved to A's organisation, made administrator
	own = {"tolink_provider": ctx["org_a"], "roles": [{"role": "System Manager"}]}
	n_all = 1000  # every role
	add(
		n_all, "PUT", f"/api/resource/User/{SELF}", {"__json__": own}, "resource put own User", "own", phase=2
	)
	add(
		n_all,
		"PATCH",
		f"/api/v2/document/User/{SELF}",
		{"__json__": own},
		"v2 patch own User",
		"own",
		phase=2,
	)
	return out


# --- running
class Runner:
	"""Calls in parallel: one requests.Session per (role, thread), each carrying the role's login."""

	def __init__(self, base: str, clients: dict, canaries: list[str], workers: int = 8):
		self.base = base
		self.clients = clients  # who -> tolink.devtools.rest.Client (logged in), or None for Guest
		self.canaries = [c.upper() for c in canaries]
		self.workers = workers
		self.local = threading.local()

	def session(self, who: str) -> requests.Session:
		sessions = getattr(self.local, "sessions", None)
		if sessions is None:
			sessions = self.local.sessions = {}
		if who not in sessions:
			s = requests.Session()
			template = self.clients[who].session
			s.headers.update(template.headers)
			s.cookies.update(template.cookies)
			sessions[who] = s
		return sessions[who]

	def find_canary(self, text: str) -> str | None:
		upper = text.upper()
		return next((c for c in self.canaries if c in upper), None)

	def one(self, call: Call) -> Outcome:
		s = self.session(call.who)
		kwargs = {"timeout": 90, "allow_redirects": False}
		if "__json__" in call.args:
			kwargs["json"] = call.args["__json__"]
		elif call.verb == "GET":
			kwargs["params"] = call.args
		else:
			kwargs["data"] = call.args
		start = time.monotonic()
		try:
			r = s.request(call.verb, self.base + call.path, **kwargs)
		except requests.RequestException:
			return Outcome(call, -1, None, time.monotonic() - start)
		elapsed = time.monotonic() - start
		text = r.text + "\n" + "\n".join(f"{k}: {v}" for k, v in r.headers.items())
		leak = self.find_canary(text)
		if leak:
			leak = f"canary {leak}"
		elif call.targeted and r.status_code == 200:
			leak = count_oracle(r)
		return Outcome(call, r.status_code, leak, elapsed)

	def run(self, calls: list[Call]) -> list[Outcome]:
		"""Phase 1 (reads and writes of A's records) then phase 2 (the caller's own account)."""
		outcomes = []
		for phase in (1, 2):
			order = [c for c in calls if c.phase == phase]
			random.Random(7).shuffle(order)  # roles and methods interleaved
			with ThreadPoolExecutor(self.workers) as pool:
				outcomes += pool.map(self.one, order)
		return outcomes


def count_oracle(r: requests.Response) -> str | None:
	"""A filter selecting only A's record answered with a positive count: the record was reached."""
	try:
		body = r.json()
	except ValueError:
		return None
	message = body.get("message", body.get("data")) if isinstance(body, dict) else None
	if isinstance(message, int) and not isinstance(message, bool) and message > 0:
		return f"count {message} for a filter on A's record"
	if isinstance(message, list) and any(
		isinstance(row, dict) and isinstance(row.get("count"), int) and row["count"] > 0 for row in message
	):
		return "group counts for a filter on A's record"
	return None


# --- the records of A, before and after
def snapshot(records: dict[str, str], watched_users: list[str]) -> dict[str, str]:
	"""A checksum of each of A's rows (children included), of the traces around them (comments,
	assignments, shares, files...), of every record pointing at A's person and of the fuzzing users'
	own accounts (organisation, roles, enabled)."""
	out = {}
	names = list(records.values())
	for doctype, name in records.items():
		rows = frappe.db.sql(f"select * from `tab{doctype}` where name=%s", name, as_dict=True)
		for df in frappe.get_meta(doctype).get_table_fields():
			rows += frappe.db.sql(
				f"select * from `tab{df.options}` where parent=%s and parenttype=%s order by idx",
				(name, doctype),
				as_dict=True,
			)
		out[f"{doctype} {name}"] = _digest(rows)
	traces = {
		"Comment": "reference_name",
		"ToDo": "reference_name",
		"DocShare": "share_name",
		"File": "attached_to_name",
		"Communication": "reference_name",
		"Version": "docname",
		"Tag Link": "document_name",
		"Workflow Action": "reference_name",
		"Personal Data Access Log": "reference_name",
	}
	for doctype, column in traces.items():
		rows = frappe.db.sql(
			f"select * from `tab{doctype}` where `{column}` in %(names)s order by name",
			{"names": names},
			as_dict=True,
		)
		if doctype == "Personal Data Access Log":
			# by design any hub's staff find a household at the counter by its card (the lookup is
			# logged, and answers whether it collected, not who it is)
			rows = [row for row in rows if not (row.endpoint or "").startswith(HUB_COUNTER)]
		out[f"{doctype} around A's records"] = _digest(rows)
	person = [records["Citizen"], records["Household"]]
	for dt, fieldname in frappe.db.sql(
		"""select parent, fieldname from tabDocField where fieldtype='Link' and options in ('Citizen', 'Household')
		and parent in (select name from tabDocType where issingle=0 and ifnull(is_virtual, 0)=0)"""
	):
		designed = " and endpoint not like 'hub counter %%'" if dt == "Personal Data Access Log" else ""
		count = frappe.db.sql(
			f"select count(*) from `tab{dt}` where `{fieldname}` in %(names)s{designed}", {"names": person}
		)[0][0]
		out[f"{dt}.{fieldname} pointing at A's person"] = str(count)
	for user in watched_users:
		row = frappe.db.get_value(
			"User", user, ["tolink_provider", "enabled", "user_type", "role_profile_name"], as_dict=True
		)
		roles = sorted(
			frappe.get_all("Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role")
		)
		out[f"account {user}"] = _digest([row, roles])
	return out


def _digest(rows) -> str:
	return json.dumps(rows, default=str, sort_keys=True)


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
	"""What changed between two snapshots: per key, the columns of a row or the count. A column
	added to a table meanwhile (Frappe adds `_user_tags` on first use) is no change while empty."""
	out = []
	for key, old_text in before.items():
		new_text = after.get(key)
		if new_text is None:
			out.append(f"{key}: gone")
			continue
		old, new = json.loads(old_text), json.loads(new_text)
		if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
			columns = sorted(
				{
					k
					for a, b in zip(old, new, strict=True)
					if isinstance(a, dict) and isinstance(b, dict)
					for k in a.keys() | b.keys()
					if a.get(k) != b.get(k)
				}
			)
			if columns:
				out.append(f"{key}: columns {', '.join(columns)}")
			elif old != new:
				out.append(f"{key}: rows differ")
		elif old != new:
			size = f"{len(old)} -> {len(new)} rows" if isinstance(old, list) and isinstance(new, list) else ""
			out.append(f"{key}: {size or f'{old_text[:80]} -> {new_text[:80]}'}")
	return sorted(out)


def summary(outcomes: list[Outcome]) -> Counter:
	return Counter(o.status for o in outcomes)
