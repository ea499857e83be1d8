"""One home for every public method: the endpoint registry (tolink.api) and what reads it.

Every whitelisted function of the app is an endpoint of tolink/api/<audience>.py (the overrides of
Frappe's own methods in tolink.permissions.api aside); the gate's allowlist takes the app's
methods from the registry; docs/openapi.yaml is what the registry and the doctypes give, a valid OpenAPI 3.1 document."""

import difflib
from unittest.mock import patch

import frappe
import yaml
from frappe.model import no_value_fields, table_fields
from frappe.tests.utils import FrappeTestCase
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV31SpecValidator

from tolink.api import AUDIENCES, endpoint, endpoints, openapi
from tolink.permissions import allowlist
from tolink.permissions.policy import POLICY
from tolink.tests import fuzz, hsds_schemas

# whitelisted functions of the app that are not endpoints: overrides of Frappe's methods, called
# under Frappe's names (hooks.override_whitelisted_methods)
OVERRIDES = "tolink.permissions.api."


class TestEndpointRegistry(FrappeTestCase):
	def test_every_public_function_of_the_app_is_an_endpoint(self):
		self.assertEqual(fuzz.import_everything(packages=("tolink",)), [], "modules that did not import")
		functions, _controller = fuzz.whitelisted_methods()
		ours = {m.path for m in functions if m.path.startswith("tolink.")}
		registry = endpoints()
		self.assertEqual(
			sorted(p for p in ours - set(registry) if not p.startswith(OVERRIDES)),
			[],
			"declare these with @endpoint in tolink/api/<audience>.py",
		)
		self.assertEqual(sorted(set(registry) - ours), [])
		for path, e in registry.items():
			self.assertEqual(path.split(".")[:3], ["tolink", "api", e.audience], path)
			self.assertIn(e.audience, AUDIENCES)
			self.assertIn(e.fn, frappe.whitelisted, path)
			self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[e.fn], list(e.methods), path)
			self.assertEqual(e.fn in frappe.guest_methods, e.audience == "public", path)

	def test_the_allowlist_takes_the_app_methods_from_the_registry(self):
		self.assertEqual([m for m in allowlist.FRAPPE_METHODS if m.startswith("tolink.")], [])
		methods = allowlist.methods()
		for path, e in endpoints().items():
			self.assertEqual(methods[path], (e.roles, e.reason), path)
		self.assertEqual(set(methods), set(allowlist.FRAPPE_METHODS) | set(endpoints()))

	def test_a_wrong_declaration_fails_at_import(self):
		def undocumented(x: str) -> dict:
			return {}

		def documented(x) -> dict:
			"""Untyped."""
			return {}

		documented.__module__ = "tolink.api.partner"
		undocumented.__module__ = "tolink.api.partner"
		cases = (
			(("desk", {"Case Manager"}, "why"), documented, "lives in tolink.api.desk"),
			(("partner", {"Case Manager"}, "why"), undocumented, "docstring"),
			(("partner", {"Case Manager"}, "why"), documented, "type annotations"),
			(("partner", {"Guest"}, "why"), documented, "allow Guest"),
			(("partner", {"Administrator"}, "why"), documented, "To Link roles"),
			(("partner", {"Case Manager"}, ""), documented, "why"),
		)
		before = len(frappe.whitelisted)
		for args, fn, problem in cases:
			with self.assertRaises(TypeError) as ctx:
				endpoint(*args)(fn)
			self.assertIn(problem, str(ctx.exception))
		self.assertEqual(len(frappe.whitelisted), before, "a refused declaration whitelists nothing")
		self.assertNotIn("tolink.api.partner.documented", endpoints())


class TestOpenAPIDocument(FrappeTestCase):
	def test_the_committed_document_is_what_the_registry_gives(self):
		path = openapi.output_path()
		with open(path) as f:
			committed = f.read()
		generated = openapi.render()
		if committed != generated:
			diff = "".join(
				difflib.unified_diff(
					committed.splitlines(True), generated.splitlines(True), "committed", "generated", n=1
				)
			)
			self.fail(f"{path} is out of date: run `bench --site SITE tolink-openapi`\n{diff[:4000]}")

	def test_it_describes_the_partner_merchant_and_public_endpoints_only(self):
		document = openapi.document()
		described = {
			p.removeprefix("/api/method/") for p in document["paths"] if p.startswith("/api/method/tolink.")
		}
		expected = {p for p, e in endpoints().items() if e.audience in ("partner", "merchant", "public")}
		self.assertEqual(described, expected)
		self.assertTrue(expected, "nothing to describe")
		health = document["paths"]["/api/method/tolink.api.public.health"]["get"]
		self.assertEqual(health["security"], [], "the public endpoints need no login")
		redeem = document["paths"]["/api/method/tolink.api.merchant.redeem_voucher"]["post"]
		body = redeem["requestBody"]["content"]["application/json"]["schema"]
		self.assertEqual(body["required"], ["code", "amount", "idempotency_key"])
		self.assertEqual(body["properties"]["amount"]["type"], "number")
		operations = [
			op for item in document["paths"].values() for key, op in item.items() if key != "parameters"
		]
		ids = [op["operationId"] for op in operations]
		self.assertEqual(len(ids), len(set(ids)))
		for op in operations:
			self.assertTrue(op["summary"] and op["responses"]["200"], op["operationId"])

	def test_the_committed_document_is_valid_openapi_3_1(self):
		with open(openapi.output_path()) as f:
			committed = yaml.safe_load(f)
		self.assertEqual(committed["openapi"], "3.1.0")
		validate(committed)
		for key in nested_keys(committed):
			self.assertNotIn(
				key, ("nullable", "example"), "OpenAPI 3.0 keywords: JSON Schema 2020-12 has none"
			)

	def test_the_validator_catches_a_broken_document(self):
		broken = openapi.document()
		broken["paths"]["/api/resource/Referral"]["get"]["responses"]["200"]["content"]["application/json"][
			"schema"
		]["properties"]["data"] = {"$ref": "#/components/schemas/NoSuchSchema"}
		with self.assertRaises(Exception):
			validate(broken)
		broken = openapi.document()
		broken["paths"]["/api/resource/Referral"]["get"]["parameters"].append({"name": "x", "in": "nowhere"})
		with self.assertRaises(Exception):
			validate(broken)

	def test_every_doctype_schema_matches_the_doctype(self):
		"""Independent of the generator: each documented doctype's (and child table's) schema names
		exactly its fields, with their types, options, mandatory and read-only flags."""
		document = openapi.document()
		schemas = document["components"]["schemas"]
		checked = set()
		pending = [(doctype, doctype) for doctype in openapi.RESOURCES]
		while pending:
			doctype, parent = pending.pop()
			checked.add(doctype)
			meta = frappe.get_meta(doctype)
			properties = schemas[openapi.schema_name(doctype)]["properties"]
			fields = [
				df
				for df in meta.fields
				if (df.fieldtype not in no_value_fields or df.fieldtype in table_fields)
				and df.fieldtype != "Password"
			]
			standard = set(openapi.STANDARD) | (set(openapi.CHILD_STANDARD) if meta.istable else set())
			self.assertEqual(set(properties), standard | {df.fieldname for df in fields}, doctype)
			owned = POLICY[doctype].server_owned if doctype in POLICY else frozenset()
			for df in fields:
				schema, where = properties[df.fieldname], f"{doctype}.{df.fieldname}"
				kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
				self.assertEqual(
					schema.get("readOnly", False), bool(df.read_only or df.fieldname in owned), where
				)
				self.assertEqual("null" in kinds, not df.reqd and df.fieldtype in NULLABLE_TYPES, where)
				if df.fieldtype in table_fields:
					self.assertEqual(
						schema["items"], {"$ref": f"#/components/schemas/{openapi.schema_name(df.options)}"}
					)
					pending.append((df.options, parent))
				elif df.fieldtype == "Select":
					self.assertEqual(
						[v for v in schema["enum"] if v is not None], df.options.split("\n"), where
					)
				elif df.fieldtype == "Check":
					self.assertEqual((kinds, schema["enum"]), (["integer"], [0, 1]), where)
				elif df.fieldtype == "Int":
					self.assertEqual(kinds, ["integer"], where)
				elif df.fieldtype in ("Float", "Currency", "Percent"):
					self.assertEqual(kinds, ["number"], where)
				else:
					self.assertEqual(kinds[0], "string", where)
				if df.fieldtype in ("Date", "Datetime"):
					self.assertIn("pattern", schema, where)
			if not meta.istable:
				whole = document["paths"][resource_path(doctype) + "/{name}"]["get"]["responses"]["200"]
				required = whole["content"]["application/json"]["schema"]["properties"]["data"]["allOf"][1]
				self.assertEqual(
					set(required["required"]),
					{"name"} | {df.fieldname for df in meta.fields if df.reqd},
					doctype,
				)
		self.assertIn("Round Household", checked)
		self.assertIn("Parcel Delivery Item", checked)

	def test_each_audience_gets_the_operations_its_roles_have(self):
		paths = openapi.document()["paths"]

		def verbs(doctype):
			base = resource_path(doctype)
			return set(paths.get(base, {})) | {
				f"{v} one" for v in paths.get(base + "/{name}", {}) if v != "parameters"
			}

		self.assertEqual(verbs("Referral"), {"get", "post", "get one", "put one"})
		self.assertEqual(verbs("Service"), {"get", "post", "get one", "put one"})
		self.assertEqual(verbs("Distribution Round"), {"get", "post", "get one", "put one"})
		self.assertEqual(verbs("Voucher Redemption"), {"get", "get one"})
		self.assertIn("Merchant", paths["/api/resource/Voucher%20Redemption"]["get"]["description"])
		received = paths["/api/resource/Referral"]["get"]
		self.assertEqual(received["tags"], ["partner"])
		self.assertIn("Case Manager, Hub Manager, Provider Staff", received["description"])
		self.assertNotIn("Network Administrator", received["description"])

	def test_a_field_the_audience_may_not_read_is_left_out(self):
		"""A field of a permission level above 0 is in the document only when one of the audience's
		roles reads at that level."""
		df = frappe.get_meta("Referral").get_field("note_for_provider")
		self.assertEqual(df.permlevel, 0)
		try:
			df.permlevel = 1
			self.assertNotIn("note_for_provider", referral_properties())
			granted = openapi.ptypes_of

			def level_one_readers(doctype, role, permlevel=0):
				if permlevel == 1 and role == "Provider Staff":
					return {"read"}
				return granted(doctype, role, permlevel)

			with patch.object(openapi, "ptypes_of", level_one_readers):
				self.assertIn("note_for_provider", referral_properties())
		finally:
			df.permlevel = 0
		self.assertIn("note_for_provider", referral_properties())

	def test_openapi_3_0_schemas_of_endpoints_are_rewritten(self):
		self.assertEqual(
			openapi.to_31({"type": "string", "nullable": True, "example": "x"}),
			{"type": ["string", "null"], "examples": ["x"]},
		)
		self.assertEqual(
			openapi.to_31(
				{
					"type": "object",
					"properties": {"example": {"oneOf": [{"type": "integer"}], "nullable": True}},
				}
			),
			{"type": "object", "properties": {"example": {"oneOf": [{"type": "integer"}, {"type": "null"}]}}},
		)
		self.assertEqual(
			openapi.to_31({"type": "string", "enum": ["a"], "nullable": True}),
			{"type": ["string", "null"], "enum": ["a", None]},
		)
		self.assertEqual(
			openapi.to_31({"type": "string", "format": "date-time"}),
			{"type": "string", "pattern": openapi.DATETIME},
		)


# fieldtypes whose empty value is null (numbers and checks are 0)
NULLABLE_TYPES = frozenset(
	(
		"Data",
		"Link",
		"Dynamic Link",
		"Select",
		"Small Text",
		"Text",
		"Long Text",
		"Text Editor",
		"Date",
		"Datetime",
		"Time",
		"Attach",
		"Attach Image",
		"Code",
		"Read Only",
		"Phone",
		"JSON",
		"HTML Editor",
		"Markdown Editor",
		"Autocomplete",
		"Color",
		"Signature",
		"Geolocation",
		"Barcode",
		"Icon",
	)
)


def resource_path(doctype: str) -> str:
	return "/api/resource/" + doctype.replace(" ", "%20")


def referral_properties() -> dict:
	return openapi.document()["components"]["schemas"]["Referral"]["properties"]


def validate(document: dict) -> None:
	"""openapi-spec-validator, the official HSDS schemas the public endpoints refer to read from
	tests/fixtures/hsds (no network)."""

	def hsds(uri: str) -> dict:
		if not uri.startswith(hsds_schemas.BASE):
			raise AssertionError(f"a reference outside the document: {uri}")
		return hsds_schemas.load(uri.removeprefix(hsds_schemas.BASE).removeprefix("compiled/"))

	OpenAPIV31SpecValidator(SchemaPath.from_dict(document, handlers={"https": hsds})).validate()


def nested_keys(value):
	if isinstance(value, dict):
		for key, item in value.items():
			yield key
			yield from nested_keys(item)
	elif isinstance(value, list):
		for item in value:
			yield from nested_keys(item)
