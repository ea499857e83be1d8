"""Webhooks per organisation, black box (gunicorn, a worker of the bulk queue, a local receiver):
a cooperative registers its endpoint over REST, the City refers someone to it over REST, and the
cooperative's system receives a signed POST with nothing of the City's or the person's; another
organisation can neither register, read, change nor rotate the cooperative's webhooks; an http://
address is refused in Italian.

The receiver listens on 127.0.0.1 over http: the site config `tolink_allow_http_webhooks` is set
while the class runs (the servers read the site config at each request and job) and restored."""

import base64
import hashlib
import hmac
import json

import frappe
from frappe.installer import update_site_config

from tolink.devtools.factories import make_citizen, make_consent, make_household, make_provider, make_service
from tolink.devtools.live_server import start_worker
from tolink.devtools.rest import Client, RestError, make_user
from tolink.devtools.wait import eventually
from tolink.devtools.webhook_receiver import WebhookReceiver
from tolink.network.notifications import bulk_queue
from tolink.network.webhooks import ALLOW_HTTP_CONFIG, SIGNATURE_HEADER
from tolink.tests.e2e.case import LiveServerTestCase


def signature_is_valid(secret: str, request: dict) -> bool:
	headers = {k.lower(): v for k, v in request["headers"].items()}
	expected = base64.b64encode(hmac.new(secret.encode(), request["body"], hashlib.sha256).digest()).decode()
	return hmac.compare_digest(expected, headers[SIGNATURE_HEADER.lower()])


class TestWebhooksOverREST(LiveServerTestCase):
	# cls.org is the cooperative
	roles = {"coordinator": ["Provider Staff"], "staff": ["Provider Staff"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.allow_http_before = frappe.conf.get(ALLOW_HTTP_CONFIG)
		update_site_config(ALLOW_HTTP_CONFIG, 1)
		# restored as it was ("None" removes the key)
		cls.addClassCleanup(
			update_site_config,
			ALLOW_HTTP_CONFIG,
			"None" if cls.allow_http_before is None else cls.allow_http_before,
		)
		frappe.conf[ALLOW_HTTP_CONFIG] = 1
		cls.coop = cls.org
		frappe.db.set_value("Provider", cls.coop, "coordinator", cls.users["coordinator"])
		cls.city = make_provider(f"Comune WHR {s}")
		cls.case_manager = make_user(f"cm-{s}@whrest.test", ["Case Manager"], cls.city)
		cls.other = make_provider(f"Altra WHR {s}")
		cls.intruder = make_user(f"intruder-{s}@whrest.test", ["Provider Staff"], cls.other)
		frappe.db.set_value("Provider", cls.other, "coordinator", cls.intruder)
		cls.citizen = make_citizen(cls.city, first_name="Riservata", last_name=f"Persona{s}")
		make_household(cls.city, [cls.citizen], isee=3000)
		make_consent(cls.citizen.name, cls.city, partner=cls.coop)
		cls.service = make_service(cls.coop, capacity=10)
		frappe.db.commit()
		cls.receiver = WebhookReceiver().start()
		cls.addClassCleanup(cls.receiver.stop)
		coordinator = cls.client("coordinator")
		cls.webhook = coordinator.insert(
			{"doctype": "Partner Webhook", "endpoint_url": cls.receiver.url, "description": "Gestionale"}
		)
		cls.secret = coordinator.post(
			"tolink.api.partner.rotate_webhook_secret", webhook=cls.webhook["name"]
		)["secret"]

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		names = frappe.get_all(
			"Partner Webhook Delivery", {"provider": ("in", [cls.coop, cls.other])}, pluck="name"
		)
		if names:
			frappe.db.delete("Webhook Request Log", {"reference_document": ("in", names)})
		frappe.db.delete("Partner Webhook Delivery", {"provider": ("in", [cls.coop, cls.other])})
		frappe.db.delete("Partner Webhook", {"provider": ("in", [cls.coop, cls.other])})
		frappe.db.commit()
		frappe.conf[ALLOW_HTTP_CONFIG] = cls.allow_http_before
		super().tearDownClass()

	def test_the_cooperative_receives_a_signed_webhook_when_the_city_refers_someone(self):
		self.assertEqual(self.webhook["provider"], self.coop)
		self.assertNotIn(self.secret, json.dumps(self.webhook))
		start_worker(bulk_queue())
		city = Client(self.case_manager)
		referral = city.insert(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": self.service.name,
				"note_for_provider": "Nota per il partner",
			}
		)

		def received():
			return [r for r in self.receiver.requests if referral["name"].encode() in r["body"]]

		(request,) = eventually(received, timeout=60, message="the cooperative's webhook")
		self.assertTrue(signature_is_valid(self.secret, request))
		body = json.loads(request["body"])
		self.assertEqual((body["event"], body["organisation"]), ("referral_received", self.coop))
		text = request["body"].decode()
		for other in (
			self.city,
			self.citizen.name,
			self.citizen.full_name,
			"Nota per il partner",
			self.case_manager,
		):
			self.assertNotIn(other, text)
		# nothing the cooperative cannot read itself
		read = self.client("coordinator").get_doc("Referral", referral["name"])
		for field, value in body["data"].items():
			if field != "doctype":
				self.assertEqual(str(read[field]), str(value), field)
		# the cooperative sees the delivery; the other organisation sees nothing of it
		deliveries = eventually(
			lambda: [
				d
				for d in self.client("staff").get_list(
					"Partner Webhook Delivery", fields=["name", "status", "reference_name", "attempts"]
				)
				if d["reference_name"] == referral["name"] and d["status"] == "Delivered"
			],
			message="the delivery recorded as delivered",
		)
		self.assertEqual(deliveries[0]["attempts"], 1)
		self.assertEqual(Client(self.intruder).get_list("Partner Webhook Delivery", fields=["name"]), [])

	def test_another_organisation_cannot_register_read_change_or_rotate_the_cooperatives_webhook(self):
		intruder = Client(self.intruder)
		name = self.webhook["name"]
		before = frappe.db.count("Partner Webhook", {"provider": self.coop})
		attacks = {
			"insert for the cooperative": lambda: intruder.insert(
				{"doctype": "Partner Webhook", "endpoint_url": self.receiver.url, "provider": self.coop}
			),
			"read": lambda: intruder.get_doc("Partner Webhook", name),
			"change its address": lambda: intruder.update(
				"Partner Webhook", name, {"endpoint_url": "https://attacker.example.org/hook"}
			),
			"rotate its secret": lambda: intruder.post(
				"tolink.api.partner.rotate_webhook_secret", webhook=name
			),
			"delete": lambda: intruder.delete("Partner Webhook", name),
			"choose its own secret": lambda: intruder.insert(
				{"doctype": "Partner Webhook", "endpoint_url": self.receiver.url, "secret": "scelto"}
			),
		}
		for what, attack in attacks.items():
			with self.assertRaises(RestError, msg=what) as raised:
				attack()
			self.assertIn(raised.exception.status_code, (400, 403, 404, 417), what)
		self.assertEqual(intruder.get_list("Partner Webhook", fields=["name", "endpoint_url"]), [])
		# its own webhook cannot be moved to the cooperative
		own = intruder.insert({"doctype": "Partner Webhook", "endpoint_url": self.receiver.url})
		self.assertEqual(own["provider"], self.other)
		with self.assertRaises(RestError):
			intruder.update("Partner Webhook", own["name"], {"provider": self.coop})
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Partner Webhook", {"provider": self.coop}), before)
		self.assertEqual(
			frappe.db.get_value("Partner Webhook", name, "endpoint_url"), self.receiver.url, "unchanged"
		)
		self.assertEqual(frappe.db.get_value("Partner Webhook", own["name"], "provider"), self.other)
		# the cooperative's staff read their webhooks; only the coordinator manages them
		staff = self.client("staff")
		self.assertEqual([w["name"] for w in staff.get_list("Partner Webhook", fields=["name"])], [name])
		with self.assertRaises(RestError) as raised:
			staff.update("Partner Webhook", name, {"enabled": 0})
		self.assertEqual(raised.exception.status_code, 403)

	def test_an_http_address_is_refused_in_italian(self):
		with self.assertRaises(RestError) as raised:
			self.client("coordinator").insert(
				{"doctype": "Partner Webhook", "endpoint_url": "http://gestionale.example.org/hook"}
			)
		self.assertEqual(raised.exception.status_code, 417)
		self.assertIn("deve usare https://", raised.exception.response.text)
