"""The OpenAPI document of the partner, merchant and public audiences, generated from the endpoint
registry (tolink.api): `bench --site SITE tolink-openapi` writes docs/openapi.yaml, and a test
fails when the committed document differs from what the registry gives.

Each endpoint gives its path, HTTP methods, roles and description (its docstring); its arguments
come from the function's signature and type annotations, refined by `params=`; its answer from
`response=` (else the return annotation); its refusals from `errors=`. Desk's endpoints are not a
contract and are left out. Frappe's own endpoints these audiences use are described by hand below.
"""

import inspect
import os
import types
import typing

import yaml

from tolink import __version__
from tolink.api import endpoints

AUDIENCES = {
	"partner": "Partner organisations: answer the referrals sent to you, the hub counter, the "
	"network's service directory. Authenticate with the API key of one of your users.",
	"merchant": "Shops taking part in a voucher programme: check and redeem shopping vouchers, your "
	"redemptions and reconciliation. Authenticate with your merchant user's API key.",
	"public": "No login: monitoring, and the public service directory in Open Referral HSDS 3.0 "
	"(`hsds_*`: the HSDS paginated response or object is the `message`).",
}
SERVER = "http://tolink.localhost:8000"
HEADER = (
	"# Generated from the endpoint declarations in apps/tolink/tolink/api/ (partner, merchant, public)\n"
	"# by `bench --site SITE tolink-openapi`: do not edit by hand (tolink/tests/test_api_registry.py\n"
	"# fails when this file differs from what the code declares).\n"
)
COMMON_ERRORS = {
	401: "The API key or secret is wrong",
	403: "Not permitted: not one of the roles that may call this, or not a record of yours",
	417: "Refused: the reason is a translated message in `_server_messages`",
}

# Frappe's own endpoints the audiences use (allowlisted in tolink.permissions.allowlist)
FRAPPE_PATHS = {
	"/api/resource/Referral": {
		"get": {
			"tags": ["partner"],
			"operationId": "list_referrals",
			"summary": "Referrals sent to your organisation, or by it (only those)",
			"parameters": [
				{
					"in": "query",
					"name": "fields",
					"schema": {
						"type": "string",
						"example": '["name","status","service_name","citizen_name","response_due"]',
					},
				},
				{
					"in": "query",
					"name": "filters",
					"schema": {"type": "string", "example": '[["status","=","Sent"]]'},
				},
			],
			"responses": {"200": {"description": "List of referrals"}},
		}
	},
	"/api/resource/Voucher Redemption": {
		"get": {
			"tags": ["merchant"],
			"operationId": "list_redemptions",
			"summary": "Your shop's redemptions (only yours)",
			"parameters": [
				{
					"in": "query",
					"name": "fields",
					"schema": {"type": "string", "example": '["name","amount","redeemed_at","voucher"]'},
				},
				{
					"in": "query",
					"name": "filters",
					"schema": {"type": "string", "example": '[["redeemed_at",">=","2026-11-01"]]'},
				},
			],
			"responses": {"200": {"description": "List of redemptions"}},
		}
	},
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
					"schema": {"type": "string", "example": '{"month": "2026-11-01"}'},
				},
			],
			"responses": {"200": {"description": "Redemptions and total per programme for the month"}},
		}
	},
}


def document() -> dict:
	"""The OpenAPI document (a dict), the same on every site."""
	paths = {}
	documented = [e for e in endpoints().values() if e.audience in AUDIENCES]
	for audience in AUDIENCES:
		for e in documented:
			if e.audience == audience:
				paths[f"/api/method/{e.path}"] = {verb.lower(): operation(e, verb) for verb in e.methods}
	paths.update(FRAPPE_PATHS)
	return {
		"openapi": "3.0.3",
		"info": {
			"title": "To Link – partner, merchant and public API",
			"version": __version__,
			"description": paragraphs(
				"""The endpoints other systems call. Each answers JSON: `{"message": ...}`.
				Authenticate with the API key and secret of a user of your organisation (a Network
				Administrator creates them in Desk: User → API Access):
				`Authorization: token <api_key>:<api_secret>`. A user may call an endpoint only with
				one of the roles it names, and sees only its organisation's records. Amounts are in
				euros. Paths are those of this version: there are no aliases of older paths."""
			),
		},
		"servers": [{"url": SERVER, "description": "the demo bench: use your site's address"}],
		"security": [{"tokenAuth": []}],
		"tags": [{"name": name, "description": text} for name, text in AUDIENCES.items()],
		"paths": paths,
		"components": {
			"securitySchemes": {
				"tokenAuth": {
					"type": "apiKey",
					"in": "header",
					"name": "Authorization",
					"description": "token <api_key>:<api_secret>",
				}
			}
		},
	}


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
	arguments = {name: argument_schema(p, e.params.get(name, {})) for name, p in signature.parameters.items()}
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
	answer = e.response or schema_of(signature.return_annotation)
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
		op["responses"][str(status)] = {"description": errors[status]}
	return op


def argument_schema(parameter: inspect.Parameter, extra: dict) -> dict:
	schema = schema_of(parameter.annotation)
	if "type" in extra or "oneOf" in extra:
		schema = {}
	if parameter.default not in (parameter.empty, None) and "default" not in extra:
		schema["default"] = parameter.default
	return {**schema, **extra}


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
