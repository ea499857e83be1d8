"""The OpenAPI 3.1 document of the partner, merchant and public audiences, generated from the code so
it cannot drift: `bench --site SITE tolink-openapi` writes docs/openapi.yaml, a test fails when the
committed document differs from what the code gives, and logged-in users read the same document at
/api/method/tolink.api.partner.openapi.

Two sources:
- the endpoint registry (tolink.api): each endpoint gives its path, HTTP methods, roles and
  description (its docstring); its arguments come from the function's signature and type
  annotations, refined by `params=`; its answer from `response=` (else the return annotation); its
  refusals from `errors=`. Desk's endpoints are not a contract and are left out.
- the doctypes partners and shops use through Frappe's /api/resource (RESOURCES): each one's schema
  is built from its current meta (fields, types, options, mandatory, read-only and server-owned
  fields, child tables, field permission levels), its operations from the DocPerms of the
  audience's roles (read: list and get; create: POST; write: PUT; delete: DELETE).

Schemas are JSON Schema 2020-12 (OpenAPI 3.1): an endpoint may still declare `nullable` or
`example` the 3.0 way, they are rewritten here (`type: [..., "null"]`, `examples: [...]`).
"""

import copy
import inspect
import os
import types
import typing

import frappe
import yaml
from frappe.model import child_table_fields, no_value_fields, table_fields
from frappe.permissions import get_doctypes_with_custom_docperms

from tolink import __version__
from tolink.api import endpoints
from tolink.permissions.policy import server_owned_fields

AUDIENCES = {
	"partner": "Partner organisations: answer the referrals sent to you, your services, your hubs' "
	"distribution rounds and parcels, the hub counter, the network's service directory. Authenticate "
	"with the API key of one of your users.",
	"merchant": "Shops taking part in a voucher programme: check and redeem shopping vouchers, your "
	"redemptions and reconciliation. Authenticate with your merchant user's API key.",
	"public": "No login: monitoring, and the public service directory in Open Referral HSDS 3.0 "
	"(`hsds_*`: the HSDS paginated response or object is the `message`).",
}
# the roles of each audience's users: the operations on a doctype are those these roles' DocPerms
# allow (Network Administrators may do more: that is Desk's business, not this contract)
AUDIENCE_ROLES = {
	"partner": frozenset({"Provider Staff", "Case Manager", "Hub Manager", "Hub Volunteer"}),
	"merchant": frozenset({"Merchant"}),
}
# the doctypes each audience uses through /api/resource, and which rows it gets (the row rules of
# tolink.permissions.policy decide; this text only tells the reader)
RESOURCES = {
	"Referral": (
		"partner",
		"Referrals sent to your organisation (`target_provider` is yours: filter on it for those "
		"received) or by it (`provider` is yours: those sent), no others. Answer one with "
		"respond_to_referral.",
	),
	"Service": (
		"partner",
		"The network's service directory; your organisation's services (`provider` is yours) are "
		"those you change.",
	),
	"Distribution Round": (
		"partner",
		"The distribution rounds of your organisation's hubs, with the households booked on each.",
	),
	"Parcel Delivery": ("partner", "The parcels handed out at your organisation's hubs."),
	"Voucher Redemption": ("merchant", "Your shop's redemptions, no other shop's."),
}
SERVER = "http://tolink.localhost:8000"
HEADER = (
	"# Generated from the endpoint declarations in apps/tolink/tolink/api/ (partner, merchant, public)\n"
	"# and the doctypes of tolink.api.openapi.RESOURCES by `bench --site SITE tolink-openapi`: do not\n"
	"# edit by hand (tolink/tests/test_api_registry.py fails when this file differs from the code).\n"
)
COMMON_ERRORS = {
	401: "The API key or secret is wrong",
	403: "Not permitted: not one of the roles that may call this, or not a record of yours",
	417: "Refused: the reason is a translated message in `_server_messages`",
}
RESOURCE_ERRORS = {
	401: "The API key or secret is wrong",
	403: "Not permitted: none of your roles may do this with this document type",
	404: "No such record, or not one of yours: the answer is the same",
	417: "Refused: an argument outside the query grammar (field names of the document type, known "
	"operators, plain values), a server-owned field, or a rule of the record; the reason is a "
	"translated message in `_server_messages`",
}
ERROR_BODY = {
	"type": "object",
	"properties": {
		"exc_type": {"type": "string", "examples": ["PermissionError", "ValidationError"]},
		"_server_messages": {
			"type": "string",
			"description": "A JSON list of JSON objects, each with a translated `message`",
		},
	},
}
DATE = r"^\d{4}-\d{2}-\d{2}$"
DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$"
TIME = r"^\d{1,2}:\d{2}:\d{2}(\.\d{1,6})?$"
STANDARD = {
	"name": {"type": "string", "title": "ID", "readOnly": True},
	"owner": {"type": "string", "description": "The user who created it", "readOnly": True},
	"creation": {"type": "string", "pattern": DATETIME, "readOnly": True},
	"modified": {"type": "string", "pattern": DATETIME, "readOnly": True},
	"modified_by": {"type": "string", "readOnly": True},
	"docstatus": {
		"type": "integer",
		"enum": [0, 1, 2],
		"description": "0 draft, 1 submitted, 2 cancelled",
		"readOnly": True,
	},
	"idx": {"type": "integer", "readOnly": True},
}
CHILD_STANDARD = {
	"parent": {"type": "string", "readOnly": True},
	"parentfield": {"type": "string", "readOnly": True},
	"parenttype": {"type": "string", "readOnly": True},
}
LIST_PARAMETERS = [
	{
		"in": "query",
		"name": "fields",
		"description": "The fields to answer (default: name only): field names of the document type "
		"or its standard columns, `*`, `field as alias`, `child_table.field` or `link_field.field`.",
		"content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
	},
	{
		"in": "query",
		"name": "filters",
		"description": "`{field: value}`, `{field: [operator, value]}` or a list of `[field, operator, "
		"value]`; operators: =, !=, >, <, >=, <=, like, not like, in, not in, is (`set` / `not set`), "
		"between, timespan.",
		"content": {
			"application/json": {
				"schema": {
					"oneOf": [
						{"type": "object"},
						{"type": "array", "items": {"type": "array", "minItems": 3, "maxItems": 4}},
					]
				}
			}
		},
	},
	{
		"in": "query",
		"name": "or_filters",
		"description": "As `filters`, joined by OR.",
		"content": {"application/json": {"schema": {"type": ["object", "array"]}}},
	},
	{
		"in": "query",
		"name": "order_by",
		"description": "Fields, each followed by asc or desc.",
		"schema": {"type": "string"},
	},
	{"in": "query", "name": "limit_start", "schema": {"type": "integer", "minimum": 0, "default": 0}},
	{
		"in": "query",
		"name": "limit_page_length",
		"description": "How many rows (a page).",
		"schema": {"type": "integer", "minimum": 1, "default": 20},
	},
]

# Frappe's own methods the audiences use (allowlisted in tolink.permissions.allowlist)
FRAPPE_PATHS = {
	"/api/method/frappe.desk.query_report.run": {
		"get": {
			"tags": ["merchant"],
			"operationId": "reconciliation",
			"summary": "Monthly reconciliation (what the city reimburses the shop)",
			"parameters": [
				{
					"in": "query",
					"name": "report_name",
					"required": True,
					"schema": {"type": "string", "enum": ["Merchant Reconciliation"]},
				},
				{
					"in": "query",
					"name": "filters",
					"content": {
						"application/json": {
							"schema": {
								"type": "object",
								"properties": {"month": {"type": "string", "pattern": DATE}},
								"examples": [{"month": "2026-11-01"}],
							}
						}
					},
				},
			],
			"responses": {
				"200": {
					"description": "Redemptions and total per programme for the month",
					"content": {
						"application/json": {
							"schema": {
								"type": "object",
								"properties": {
									"message": {
										"type": "object",
										"properties": {
											"columns": {"type": "array"},
											"result": {"type": "array"},
										},
									}
								},
							}
						}
					},
				},
				**{str(status): {"$ref": f"#/components/responses/{status}"} for status in (401, 403, 417)},
			},
		}
	},
}


def document(server: str = SERVER) -> dict:
	"""The OpenAPI document (a dict): the same on every site running the same code and doctypes;
	`server` is the address named in it."""
	paths = {}
	documented = [e for e in endpoints().values() if e.audience in AUDIENCES]
	for audience in AUDIENCES:
		for e in documented:
			if e.audience == audience:
				paths[f"/api/method/{e.path}"] = {verb.lower(): operation(e, verb) for verb in e.methods}
	schemas = {}
	for doctype, (audience, rows) in RESOURCES.items():
		paths.update(resource_paths(doctype, audience, rows, schemas))
	paths.update(copy.deepcopy(FRAPPE_PATHS))
	return {
		"openapi": "3.1.0",
		"info": {
			"title": "To Link – partner, merchant and public API",
			"version": __version__,
			"description": paragraphs(
				"""The endpoints other systems call. Methods (`/api/method/...`) answer JSON
				`{"message": ...}`; document types (`/api/resource/...`) answer `{"data": ...}`.
				Authenticate with the API key and secret of a user of your organisation (a Network
				Administrator creates them in Desk: User → API Access):
				`Authorization: token <api_key>:<api_secret>`. A user may call an endpoint only with
				one of the roles it names, and sees only its organisation's records. Amounts are in
				euros; dates are `YYYY-MM-DD`, times `YYYY-MM-DD HH:MM:SS[.ffffff]` in the site's
				time zone (Europe/Rome). Paths are those of this version: there are no aliases of
				older paths. This document is at `/api/method/tolink.api.partner.openapi` of your
				site (logged-in users)."""
			),
		},
		"servers": [
			{
				"url": server,
				**({"description": "the demo bench: use your site's address"} if server == SERVER else {}),
			}
		],
		"security": [{"tokenAuth": []}],
		"tags": [{"name": name, "description": text} for name, text in AUDIENCES.items()],
		"paths": paths,
		"components": {
			"schemas": {"Error": ERROR_BODY, **schemas},
			"responses": {
				str(status): {
					"description": text,
					"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
				}
				for status, text in RESOURCE_ERRORS.items()
			},
			"securitySchemes": {
				"tokenAuth": {
					"type": "apiKey",
					"in": "header",
					"name": "Authorization",
					"description": "token <api_key>:<api_secret>",
				}
			},
		},
	}


# --- the registry's endpoints


def operation(e, verb: str) -> dict:
	signature = inspect.signature(inspect.unwrap(e.fn))
	summary = first_sentence(paragraphs(e.doc))
	roles = ", ".join(sorted(e.roles - {"Guest"})) if not e.allow_guest else "anyone, no login"
	op = {
		"tags": [e.audience],
		"operationId": e.name,
		"summary": summary,
		"description": f"{e.doc}\n\nWho may call it: {roles}.",
	}
	if e.allow_guest:
		op["security"] = []
	arguments = {
		name: to_31(argument_schema(p, e.params.get(name, {}))) for name, p in signature.parameters.items()
	}
	required = [name for name, p in signature.parameters.items() if p.default is p.empty]
	if verb == "GET":
		op["parameters"] = [
			{
				"in": "query",
				"name": name,
				**({"required": True} if name in required else {}),
				**({"description": schema.pop("description")} if "description" in schema else {}),
				"schema": schema,
			}
			for name, schema in arguments.items()
		]
		if not op["parameters"]:
			del op["parameters"]
	elif arguments:
		body = {"type": "object", **({"required": required} if required else {}), "properties": arguments}
		op["requestBody"] = {"required": bool(required), "content": {"application/json": {"schema": body}}}
	answer = to_31(e.response or schema_of(signature.return_annotation))
	op["responses"] = {
		"200": {
			"description": "The answer",
			"content": {
				"application/json": {"schema": {"type": "object", "properties": {"message": answer}}}
			},
		}
	}
	errors = {} if e.allow_guest else dict(COMMON_ERRORS)
	errors.update(e.errors)
	for status in sorted(errors):
		op["responses"][str(status)] = {
			"description": errors[status],
			"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
		}
	return op


def argument_schema(parameter: inspect.Parameter, extra: dict) -> dict:
	schema = schema_of(parameter.annotation)
	if "type" in extra or "oneOf" in extra:
		schema = {}
	if parameter.default not in (parameter.empty, None) and "default" not in extra:
		schema["default"] = parameter.default
	return {**schema, **copy.deepcopy(extra)}


SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean"}


def schema_of(annotation) -> dict:
	"""The JSON schema of a Python annotation (the types endpoints use)."""
	if annotation in SCALARS:
		return {"type": SCALARS[annotation]}
	origin = typing.get_origin(annotation)
	if annotation is list or origin is list:
		items = typing.get_args(annotation)
		return {"type": "array", "items": schema_of(items[0]) if items else {"type": "string"}}
	if annotation is dict or origin is dict:
		return {"type": "object"}
	if origin in (typing.Union, types.UnionType):
		members = [a for a in typing.get_args(annotation) if a is not type(None)]
		schemas = [schema_of(a) for a in members]
		nullable = {"nullable": True} if len(members) < len(typing.get_args(annotation)) else {}
		if len(schemas) == 1:
			return {**schemas[0], **nullable}
		return {"oneOf": schemas, **nullable}
	return {"type": "object"}


# keywords holding one schema, a list of schemas, a map of name -> schema
ONE_SCHEMA = ("items", "additionalProperties", "not", "contains", "unevaluatedProperties")
SCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs")


def to_31(schema):
	"""A schema written the OpenAPI 3.0 way, as JSON Schema 2020-12: `nullable: true` becomes a
	"null" type (or a null member of oneOf, a None in an enum), `example` becomes `examples`. And
	`format: date-time` becomes what Frappe answers (`YYYY-MM-DD HH:MM:SS[.ffffff]`, not RFC 3339)."""
	if not isinstance(schema, dict):
		return schema
	schema = dict(schema)
	for key in ONE_SCHEMA:
		if key in schema:
			schema[key] = to_31(schema[key])
	for key in SCHEMA_LISTS:
		if key in schema:
			schema[key] = [to_31(s) for s in schema[key]]
	for key in SCHEMA_MAPS:
		if key in schema:
			schema[key] = {name: to_31(s) for name, s in schema[key].items()}
	if "example" in schema:
		schema["examples"] = [schema.pop("example")]
	if schema.get("format") == "date-time":
		del schema["format"]
		schema["pattern"] = DATETIME
	if schema.pop("nullable", False):
		if "type" in schema:
			kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
			schema["type"] = [*kinds, "null"] if "null" not in kinds else kinds
		elif "oneOf" in schema:
			schema["oneOf"] = [*schema["oneOf"], {"type": "null"}]
		if "enum" in schema and None not in schema["enum"]:
			schema["enum"] = [*schema["enum"], None]
	return schema


# --- the doctypes, from their meta


def schema_name(doctype: str) -> str:
	return doctype.replace(" ", "")


def resource_paths(doctype: str, audience: str, rows: str, schemas: dict) -> dict:
	"""/api/resource/<doctype> and /<name>: the operations the audience's roles have, the doctype's
	schema (and its child tables') added to `schemas`."""
	meta = frappe.get_meta(doctype)
	roles = AUDIENCE_ROLES[audience]
	add_schemas(doctype, roles, schemas)
	ref = {"$ref": f"#/components/schemas/{schema_name(doctype)}"}
	slug, slugs = frappe.scrub(doctype), frappe.scrub(plural(doctype))
	who = {ptype: sorted(r for r in roles if ptype in ptypes_of(doctype, r)) for ptype in PTYPES}
	base = f"/api/resource/{doctype.replace(' ', '%20')}"
	errors = {str(s): {"$ref": f"#/components/responses/{s}"} for s in RESOURCE_ERRORS}

	def op(ptype: str, summary: str, op_id: str, answer: tuple, refusals: tuple, **more) -> dict:
		"""An operation: `answer` is (status, description, schema of `data`), `more` its parameters
		or requestBody; `refusals` the error statuses."""
		status, description, schema = answer
		envelope = {"type": "object", "required": ["data"], "properties": {"data": schema}}
		return {
			"tags": [audience],
			"operationId": op_id,
			"summary": summary,
			"description": f"{rows}\n\nWho may: {', '.join(who[ptype])}.",
			**more,
			"responses": {
				status: {"description": description, "content": {"application/json": {"schema": envelope}}},
				**{str(s): errors[str(s)] for s in refusals},
			},
		}

	def body(schema: dict) -> dict:
		return {"required": True, "content": {"application/json": {"schema": schema}}}

	whole = {"allOf": [ref, {"required": ["name", *mandatory(meta)]}]}
	listing, one = {}, {}
	if who["read"]:
		parameters = copy.deepcopy(LIST_PARAMETERS)
		for parameter in parameters:
			if parameter["name"] == "order_by":
				parameter["schema"]["default"] = default_order(meta)
		rows_answer = (
			"200",
			"The rows you may read, with the fields asked for",
			{"type": "array", "items": ref},
		)
		listing["get"] = op(
			"read",
			f"List {plural(doctype)}",
			f"list_{slugs}",
			rows_answer,
			(401, 403, 417),
			parameters=parameters,
		)
		one["get"] = op(
			"read",
			f"One {doctype}",
			f"get_{slug}",
			("200", "The whole record, its child tables included", whole),
			(401, 403, 404),
		)
	if who["create"]:
		required = [f for f in mandatory(meta) if not read_only(meta, f)]
		listing["post"] = op(
			"create",
			f"Create a {doctype}",
			f"create_{slug}",
			("200", "The record created", whole),
			(401, 403, 417),
			requestBody=body({"allOf": [ref, {"required": required}]}),
		)
	if who["write"]:
		one["put"] = op(
			"write",
			f"Change a {doctype}",
			f"update_{slug}",
			("200", "The record saved", whole),
			(401, 403, 404, 417),
			requestBody=body(ref),
		)
		one["put"]["description"] += " Send only the fields to change; read-only fields are refused."
	if who["delete"]:
		one["delete"] = op(
			"delete",
			f"Delete a {doctype}",
			f"delete_{slug}",
			("202", "Deleted", {"const": "ok"}),
			(401, 403, 404, 417),
		)
	if one:
		name = {
			"in": "path",
			"name": "name",
			"required": True,
			"description": f"The {doctype}'s ID (`name`)",
			"schema": {"type": "string"},
		}
		one = {"parameters": [name], **one}
	return {base: listing, f"{base}/{{name}}": one} if one else {base: listing}


PTYPES = ("read", "create", "write", "delete")


def ptypes_of(doctype: str, role: str, permlevel: int = 0) -> set[str]:
	"""What a role's DocPerms (the site's Custom DocPerms where it has any) allow on a doctype at a
	field permission level."""
	table = "Custom DocPerm" if doctype in get_doctypes_with_custom_docperms() else "DocPerm"
	rows = frappe.get_all(
		table,
		filters={"parent": doctype, "role": role, "permlevel": permlevel, "if_owner": 0},
		fields=list(PTYPES),
	)
	return {ptype for row in rows for ptype in PTYPES if row.get(ptype)}


def readable_fields(doctype: str, roles: frozenset, permissions_of: str | None = None) -> list:
	"""The doctype's fields holding a value (child tables included, passwords not) that one of the
	roles reads: a field of a permission level above 0 only for the roles reading at that level (of
	`permissions_of`: a child table's are its parent's DocPerms)."""
	meta = frappe.get_meta(doctype)
	permissions_of = permissions_of or doctype
	levels = {df.permlevel for df in meta.fields if df.permlevel}
	may_read = {level: any("read" in ptypes_of(permissions_of, r, level) for r in roles) for level in levels}
	return [
		df
		for df in meta.fields
		if (df.fieldtype not in no_value_fields or df.fieldtype in table_fields)
		and df.fieldtype != "Password"
		and df.fieldname not in child_table_fields
		and (not df.permlevel or may_read[df.permlevel])
	]


def add_schemas(doctype: str, roles: frozenset, schemas: dict, parent: str | None = None) -> None:
	meta = frappe.get_meta(doctype)
	owned = server_owned_fields(doctype, user="Guest")
	properties = {**copy.deepcopy(STANDARD)}
	if meta.is_submittable:
		properties["docstatus"].pop("readOnly")
	if meta.istable:
		properties.update(copy.deepcopy(CHILD_STANDARD))
	for df in readable_fields(doctype, roles, permissions_of=parent):
		properties[df.fieldname] = field_schema(df, df.fieldname in owned)
		if df.fieldtype in table_fields:
			add_schemas(df.options, roles, schemas, parent=doctype)
	schema = {"type": "object", "title": doctype}
	if meta.description:
		schema["description"] = paragraphs(meta.description)
	schema["properties"] = properties
	schemas[schema_name(doctype)] = schema


def field_schema(df, server_owned: bool) -> dict:
	"""A docfield's JSON schema, as Frappe's API answers its value."""
	kind, options = df.fieldtype, df.options or ""
	nullable = not df.reqd
	if kind in table_fields:
		schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{schema_name(options)}"}}
		nullable = False
	elif kind == "Check":
		schema, nullable = {"type": "integer", "enum": [0, 1]}, False
	elif kind in ("Int", "Long Int"):
		schema, nullable = {"type": "integer"}, False
	elif kind in ("Float", "Currency", "Percent", "Rating", "Duration"):
		schema, nullable = {"type": "number"}, False
	elif kind == "Select":
		schema = {"type": "string", "enum": options.split("\n")}  # "" when it has an empty choice
	elif kind == "Date":
		schema = {"type": "string", "pattern": DATE}
	elif kind == "Datetime":
		schema = {"type": "string", "pattern": DATETIME}
	elif kind == "Time":
		schema = {"type": "string", "pattern": TIME}
	elif kind in ("Link", "Dynamic Link"):
		schema = {"type": "string"}
	elif kind == "Data" and options == "Email":
		schema = {"type": "string", "format": "email"}
	elif kind == "Data" and options == "URL":
		schema = {"type": "string", "format": "uri"}
	else:
		schema = {"type": "string"}
	if nullable:
		schema["type"] = [schema["type"], "null"]
		if "enum" in schema:
			schema["enum"] = [*schema["enum"], None]
	schema = {"title": df.label or df.fieldname, **schema}
	about = []
	if kind == "Link":
		about.append(f"The ID of a {options}.")
	elif kind == "Currency":
		about.append("In euros.")
	elif kind in ("Small Text", "Text", "Long Text", "Text Editor", "HTML Editor", "Markdown Editor"):
		about.append("Text" if kind not in ("Text Editor", "HTML Editor") else "HTML")
		about[-1] += " (may hold several lines)."
	if df.description:
		about.append(paragraphs(df.description))
	if about:
		schema["description"] = " ".join(about)
	if df.read_only or server_owned:
		schema["readOnly"] = True
	return schema


def default_order(meta) -> str:
	"""The order Frappe lists the doctype in when no order_by is sent (its sort field and order)."""
	return f"{meta.sort_field or 'modified'} {(meta.sort_order or 'desc').lower()}"


def mandatory(meta) -> list[str]:
	return [df.fieldname for df in meta.fields if df.reqd and df.fieldtype not in ("Password",)]


def read_only(meta, fieldname: str) -> bool:
	return bool(meta.get_field(fieldname).read_only) or fieldname in server_owned_fields(
		meta.name, user="Guest"
	)


def plural(doctype: str) -> str:
	words = doctype.split(" ")
	last = words[-1]
	words[-1] = last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s"
	return " ".join(words).lower()


# --- text


def paragraphs(text: str) -> str:
	"""A docstring's paragraphs, each on one line."""
	blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.strip().split("\n\n")]
	return "\n\n".join(b.strip() for b in blocks if b.strip())


def first_sentence(text: str) -> str:
	first = text.split("\n\n", 1)[0]
	for i, char in enumerate(first):
		if char in ".?!" and (i + 1 == len(first) or first[i + 1] == " "):
			return first[: i + 1]
	return first


class Dumper(yaml.SafeDumper):
	"""Block style for text over several lines; keys in the order given; a schema used twice is
	written out twice (no YAML anchors)."""

	def ignore_aliases(self, data) -> bool:
		return True


def _text(dumper, value: str):
	style = "|" if "\n" in value else None
	return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _text)


def render() -> str:
	return HEADER + yaml.dump(
		document(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False
	)


def output_path() -> str:
	"""docs/openapi.yaml of the repository (the bench)."""
	from frappe.utils import get_bench_path

	return os.path.join(get_bench_path(), "docs", "openapi.yaml")
