"""The OpenAPI document over HTTP, as partners use it: a partner's API key gets it at its URL (Guest
and a wrong key do not), it is the document the code generates, and the requests it documents
work: a cooperative lists the referrals it received, reads one and accepts it, lists the services
it runs; a food bank creates and lists its hub's rounds; a shop redeems a voucher and lists its
redemptions. Every answer is validated against the schema the document gives for it."""

import json
import uuid

import frappe
from frappe.utils import today
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tolink.api import openapi
from tolink.devtools.distribution import make_hub
from tolink.devtools.factories import make_citizen, make_consent, make_provider, make_service
from tolink.devtools.rest import Client, RestError, make_api_key, make_user
from tolink.devtools.vouchers import issue, make_eligible_household, make_programme, make_shop
from tolink.tests.e2e.case import LiveServerTestCase

DOCUMENT = "tolink.api.partner.openapi"
URN = "urn:tolink:openapi"


class TestOpenAPIOverHTTP(LiveServerTestCase):
	roles = {"case_manager": ["Case Manager"]}  # the City's, sending referrals

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.coop = make_provider(f"Cooperativa {s}", provider_type="Social Cooperative")
		cls.staff = make_user(f"staff-{s}@openapi.test", ["Provider Staff"], cls.coop)
		cls.service = make_service(cls.coop, capacity=10).name
		cls.head = make_citizen(cls.org, last_name=f"Documentato{s}")
		make_consent(cls.head.name, cls.org, partner=cls.coop)
		cls.bank = make_provider(f"Banco {s}", provider_type="Food Bank")
		cls.manager = make_user(f"hub-{s}@openapi.test", ["Hub Manager"], cls.bank)
		cls.hub = make_hub(cls.bank, staff=[{"user": cls.manager, "hub_role": "Hub Manager"}]).name
		cls.shop = make_shop(f"Bottega {s}")
		cls.merchant = make_user(f"shop-{s}@openapi.test", ["Merchant"], cls.shop)
		cls.programme = make_programme(cls.org, [cls.shop], budget=1000)
		frappe.db.commit()
		cls.referral = cls.client("case_manager").insert(
			{"doctype": "Referral", "citizen": cls.head.name, "service": cls.service}
		)["name"]
		cls.coop_api = Client.with_token(*make_api_key(cls.staff))
		cls.bank_api = Client.with_token(*make_api_key(cls.manager))
		cls.shop_api = Client.with_token(*make_api_key(cls.merchant))
		cls.document = cls.coop_api.get(DOCUMENT)

	# --- the document itself

	def test_a_partner_gets_the_document_the_code_generates(self):
		served = self.document
		self.assertEqual(served["openapi"], "3.1.0")
		self.assertEqual(served, openapi.document(server=served["servers"][0]["url"]))
		self.assertEqual(self.shop_api.get(DOCUMENT)["paths"].keys(), served["paths"].keys())

	def test_guest_and_a_wrong_key_do_not_get_it(self):
		for client in (Client(), Client.with_token("not-a-key", "not-a-secret")):
			r = client.request("GET", f"/api/method/{DOCUMENT}")
			self.assertIn(r.status_code, (401, 403), r.text[:300])
			self.assertNotIn("openapi", r.text)

	# --- the documented requests, as documented

	def test_a_cooperative_lists_the_referrals_it_received(self):
		path = "/api/resource/Referral"
		operation = self.document["paths"][path]["get"]
		self.assertTrue({"fields", "filters", "limit_page_length"} <= parameter_names(operation))
		fields = scalar_fields(self.document, "Referral")
		self.assertTrue({"name", "status", "service_name", "citizen_name", "response_due"} <= set(fields))
		r = self.coop_api.request(
			"GET",
			path,
			params={
				"fields": json.dumps(fields),
				"filters": json.dumps([["target_provider", "=", self.coop]]),
				"limit_page_length": 100,
			},
		)
		rows = self.assert_documented(operation, r)["data"]
		mine = [row for row in rows if row["name"] == self.referral]
		self.assertEqual(len(mine), 1, rows)
		self.assertEqual(mine[0]["status"], "Sent")
		self.assertEqual(mine[0]["citizen_name"], self.head.full_name)
		self.assertEqual({row["target_provider"] for row in rows}, {self.coop})

	def test_a_cooperative_reads_a_referral_and_accepts_it(self):
		referral = self.client("case_manager").insert(
			{"doctype": "Referral", "citizen": self.head.name, "service": self.service}
		)["name"]
		operation = self.document["paths"]["/api/resource/Referral/{name}"]["get"]
		doc = self.assert_documented(
			operation, self.coop_api.request("GET", f"/api/resource/Referral/{referral}")
		)
		self.assertEqual(doc["data"]["name"], referral)
		path = "/api/method/tolink.api.partner.respond_to_referral"
		operation = self.document["paths"][path]["post"]
		body = {"referral": referral, "decision": "accept"}
		self.validator(operation["requestBody"]["content"]["application/json"]["schema"]).validate(body)
		answer = self.assert_documented(operation, self.coop_api.request("POST", path, json=body))
		self.assertEqual(answer["message"]["status"], "Accepted")
		# what the document marks read-only is refused
		schema = self.document["components"]["schemas"]["Referral"]["properties"]
		self.assertTrue(schema["status"]["readOnly"])
		r = self.coop_api.request("PUT", f"/api/resource/Referral/{referral}", json={"status": "Completed"})
		self.assertEqual(r.status_code, 417, r.text[:300])

	def test_a_foreign_referral_is_not_found(self):
		other = make_provider(f"Altra {self.s}")
		make_consent(self.head.name, self.org, partner=other)
		service = make_service(other).name
		frappe.db.commit()
		foreign = self.client("case_manager").insert(
			{"doctype": "Referral", "citizen": self.head.name, "service": service}
		)["name"]
		operation = self.document["paths"]["/api/resource/Referral/{name}"]["get"]
		self.assertIn("404", operation["responses"])
		r = self.coop_api.request("GET", f"/api/resource/Referral/{foreign}")
		self.assertEqual(r.status_code, 404, r.text[:300])
		self.assertNotIn(self.head.last_name, r.text)

	def test_a_cooperative_lists_the_services_it_runs(self):
		path = "/api/resource/Service"
		operation = self.document["paths"][path]["get"]
		r = self.coop_api.request(
			"GET",
			path,
			params={
				"fields": json.dumps(scalar_fields(self.document, "Service")),
				"filters": json.dumps({"provider": self.coop}),
			},
		)
		rows = self.assert_documented(operation, r)["data"]
		self.assertEqual([row["name"] for row in rows], [self.service])

	def test_a_food_bank_creates_and_lists_its_hub_rounds(self):
		path = "/api/resource/Distribution%20Round"
		create = self.document["paths"][path]["post"]
		body = {"hub": self.hub, "from_date": today(), "to_date": today()}
		self.validator(create["requestBody"]["content"]["application/json"]["schema"]).validate(body)
		made = self.assert_documented(create, self.bank_api.request("POST", path, json=body))["data"]
		self.assertEqual(made["hub"], self.hub)
		listing = self.document["paths"][path]["get"]
		r = self.bank_api.request(
			"GET",
			path,
			params={
				"fields": json.dumps(scalar_fields(self.document, "Distribution Round")),
				"filters": json.dumps([["hub", "=", self.hub]]),
			},
		)
		rows = self.assert_documented(listing, r)["data"]
		self.assertEqual([row["name"] for row in rows], [made["name"]])
		self.assertNotIn("put", self.document["paths"]["/api/resource/Voucher%20Redemption/{name}"])
		self.assertNotIn("post", self.document["paths"]["/api/resource/Voucher%20Redemption"])

	def test_a_shop_redeems_and_lists_its_redemptions(self):
		household, _head = make_eligible_household(self.org)
		voucher = issue(self.programme, household.name, self.org)
		frappe.db.commit()
		path = "/api/method/tolink.api.merchant.redeem_voucher"
		operation = self.document["paths"][path]["post"]
		body = {"code": voucher.code, "amount": 12.5, "idempotency_key": str(uuid.uuid4())}
		self.validator(operation["requestBody"]["content"]["application/json"]["schema"]).validate(body)
		redeemed = self.assert_documented(operation, self.shop_api.request("POST", path, json=body))
		path = "/api/resource/Voucher%20Redemption"
		operation = self.document["paths"][path]["get"]
		r = self.shop_api.request(
			"GET",
			path,
			params={"fields": json.dumps(scalar_fields(self.document, "Voucher Redemption"))},
		)
		rows = self.assert_documented(operation, r)["data"]
		self.assertEqual([row["name"] for row in rows], [redeemed["message"]["redemption"]])
		self.assertEqual(rows[0]["amount"], 12.5)

	# --- helpers

	def validator(self, schema: dict) -> Draft202012Validator:
		"""A validator of a schema of the document (its `#/components/...` references resolved)."""
		text = json.dumps(schema).replace('"#/components/', f'"{URN}#/components/')
		registry = Registry().with_resource(
			URN, Resource.from_contents(self.document, default_specification=DRAFT202012)
		)
		return Draft202012Validator(
			json.loads(text), registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
		)

	def assert_documented(self, operation: dict, response) -> dict:
		"""The answer is a documented status and matches its schema."""
		status = str(response.status_code)
		self.assertIn(status, operation["responses"], response.text[:500])
		self.assertEqual(status, "200", response.text[:500])
		schema = operation["responses"][status]["content"]["application/json"]["schema"]
		body = response.json()
		errors = [
			f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
			for e in self.validator(schema).iter_errors(body)
		]
		self.assertEqual(errors, [], f"{operation['operationId']}: not as documented")
		return body


def parameter_names(operation: dict) -> set[str]:
	return {p["name"] for p in operation.get("parameters", [])}


def scalar_fields(document: dict, doctype: str) -> list[str]:
	"""The fields of a doctype's schema a list may answer (all but child tables)."""
	properties = document["components"]["schemas"][openapi.schema_name(doctype)]["properties"]
	return [name for name, schema in properties.items() if schema.get("type") != "array"]
