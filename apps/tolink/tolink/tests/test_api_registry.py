"""One home for every public method: the endpoint registry (tolink.api) and what reads it.

Every whitelisted function of the app is an endpoint of tolink/api/<audience>.py (the overrides of
Frappe's own methods in tolink.permissions.api aside); the gate's allowlist takes the app's
methods from the registry; docs/openapi.yaml is what the registry gives."""

import difflib

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.api import AUDIENCES, endpoint, endpoints, openapi
from tolink.permissions import allowlist
from tolink.tests import fuzz

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
		operations = [op for item in document["paths"].values() for op in item.values()]
		ids = [op["operationId"] for op in operations]
		self.assertEqual(len(ids), len(set(ids)))
		for op in operations:
			self.assertTrue(op["summary"] and op["responses"]["200"], op["operationId"])
