"""Webhooks per organisation, in process against a local receiver: the receiving organisation is
told of a referral (signed, without a person's data), a rolled-back referral tells nobody, failures
are retried with back-off and then given up, deadlines near are told once, a shop hears of its
redemptions and a referring organisation of the first parcel collected; the endpoint's address
is checked; only an organisation's coordinator and administrators manage its webhooks."""

import json

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, today
from frappe.utils.password import get_decrypted_password

from tolink.api.partner import rotate_webhook_secret
from tolink.care_path import webhooks as care_path_webhooks
from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.devtools.vouchers import issue, make_programme, make_shop
from tolink.devtools.webhook_receiver import WebhookReceiver
from tolink.distribution import enrolment
from tolink.network import webhooks
from tolink.network.doctype.partner_webhook_delivery.partner_webhook_delivery import (
	DELIVERED,
	FAILED,
	PENDING,
	RETRYING,
)
from tolink.tests.case import CommittingTestCase
from tolink.vouchers import redemption

ALL_EVENTS = {field: 1 for field in webhooks.EVENTS.values()}


def verify(secret: str, request: dict) -> bool:
	"""What the README tells a partner to do."""
	import base64
	import hashlib
	import hmac

	expected = base64.b64encode(hmac.new(secret.encode(), request["body"], hashlib.sha256).digest()).decode()
	received = {k.lower(): v for k, v in request["headers"].items()}[webhooks.SIGNATURE_HEADER.lower()]
	return hmac.compare_digest(expected, received)


class WebhookTestCase(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = cls.s = uid()
		cls.city = make_provider(f"Comune WH {s}")
		cls.coop = make_provider(f"Cooperativa WH {s}", provider_type="Social Cooperative")
		cls.other = make_provider(f"Altra WH {s}")
		cls.case_manager = make_user(f"cm-{s}@wh.test", ["Case Manager"], cls.city)
		cls.coordinator = make_user(f"coord-{s}@wh.test", ["Provider Staff"], cls.coop)
		cls.staff = make_user(f"staff-{s}@wh.test", ["Provider Staff"], cls.coop)
		cls.other_coordinator = make_user(f"coord-other-{s}@wh.test", ["Provider Staff"], cls.other)
		cls.city_coordinator = make_user(f"coord-city-{s}@wh.test", ["Case Manager"], cls.city)
		frappe.db.set_value("Provider", cls.coop, "coordinator", cls.coordinator)
		frappe.db.set_value("Provider", cls.other, "coordinator", cls.other_coordinator)
		frappe.db.set_value("Provider", cls.city, "coordinator", cls.city_coordinator)
		cls.citizen = make_citizen(cls.city)
		make_household(cls.city, [cls.citizen], isee=3000)
		make_consent(cls.citizen.name, cls.city, partner=cls.coop)
		cls.service = make_service(cls.coop, capacity=50)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		names = frappe.get_all(
			"Partner Webhook Delivery",
			filters={"provider": ("in", [cls.city, cls.coop, cls.other, *cls.extra_providers()])},
			pluck="name",
		)
		if names:
			frappe.db.delete("Webhook Request Log", {"reference_document": ("in", names)})
			frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def extra_providers(cls) -> list[str]:
		return []

	def setUp(self):
		frappe.set_user("Administrator")
		self.receiver = WebhookReceiver().start()
		self.addCleanup(self.receiver.stop)
		self.conf_before = frappe.conf.get(webhooks.ALLOW_HTTP_CONFIG)
		frappe.conf[webhooks.ALLOW_HTTP_CONFIG] = 1

	def tearDown(self):
		frappe.conf[webhooks.ALLOW_HTTP_CONFIG] = self.conf_before
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.delete("Partner Webhook Delivery", {"provider": ("in", [self.city, self.coop, self.other])})
		frappe.db.delete("Partner Webhook", {"provider": ("in", [self.city, self.coop, self.other])})
		frappe.db.commit()

	def register(self, user: str, url: str | None = None, **events) -> tuple[str, str]:
		"""A webhook registered by `user` for its organisation: (name, secret)."""
		frappe.set_user(user)
		doc = frappe.get_doc(
			{"doctype": "Partner Webhook", "endpoint_url": url or self.receiver.url, **ALL_EVENTS, **events}
		).insert()
		secret = doc.flags.new_secret
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.assertEqual(get_decrypted_password("Partner Webhook", doc.name, "secret"), secret)
		return doc.name, secret

	def refer(self):
		frappe.set_user(self.case_manager)
		doc = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": self.service.name,
				"note_for_provider": f"Nota riservata {self.s}",
			}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		return doc

	def deliveries(self, **filters) -> list[dict]:
		return frappe.get_all(
			"Partner Webhook Delivery",
			filters=filters,
			fields=["name", "provider", "event", "status", "attempts", "reference_name", "webhook"],
			order_by="creation asc",
		)


class TestReferralEvents(WebhookTestCase):
	def test_the_partner_receives_a_signed_event_without_personal_data(self):
		webhook, secret = self.register(self.coordinator)
		self.register(self.other_coordinator)  # another organisation: told nothing
		referral = self.refer()
		(delivery,) = self.deliveries(reference_name=referral.name)
		self.assertEqual(
			(delivery.provider, delivery.event, delivery.status), (self.coop, "referral_received", PENDING)
		)
		self.assertEqual(webhooks.deliver(delivery.name), DELIVERED)
		(request,) = self.receiver.requests
		self.assertTrue(verify(secret, request))
		headers = {k.lower(): v for k, v in request["headers"].items()}
		self.assertEqual(headers["x-tolink-event"], "referral_received")
		self.assertEqual(headers["x-tolink-delivery"], delivery.name)
		body = json.loads(request["body"])
		self.assertEqual(body["event"], "referral_received")
		self.assertEqual(body["organisation"], self.coop)
		self.assertEqual(body["delivery"], delivery.name)
		self.assertEqual(
			body["data"],
			{
				"doctype": "Referral",
				"name": referral.name,
				"service": self.service.name,
				"service_name": referral.service_name,
				"status": "Sent",
				"response_due": str(referral.response_due),
			},
		)
		text = request["body"].decode()
		for personal in (self.citizen.name, self.citizen.full_name, f"Nota riservata {self.s}", self.city):
			self.assertNotIn(personal, text)
		# everything said is what the partner reads on the referral itself
		frappe.set_user(self.staff)
		readable = frappe.get_doc("Referral", referral.name)
		self.assertTrue(frappe.has_permission("Referral", "read", doc=readable))
		for field, value in body["data"].items():
			if field != "doctype":
				self.assertEqual(str(readable.get(field)), str(value), field)
		frappe.set_user("Administrator")
		# the partner's record and Frappe's request log
		d = frappe.get_doc("Partner Webhook Delivery", delivery.name)
		self.assertEqual((d.status, d.attempts, d.last_response_code), (DELIVERED, 1, 200))
		self.assertEqual(frappe.db.get_value("Partner Webhook", webhook, "last_delivery_status"), DELIVERED)
		self.assertTrue(frappe.db.exists("Webhook Request Log", {"reference_document": delivery.name}))
		# sent once: a second job or the sweep find nothing due
		self.assertIsNone(webhooks.deliver(delivery.name))
		self.assertEqual(webhooks.send_due(), [])
		self.assertEqual(len(self.receiver.requests), 1)

	def test_a_rolled_back_referral_sends_nothing(self):
		self.register(self.coordinator)
		frappe.set_user(self.case_manager)
		doc = frappe.get_doc(
			{"doctype": "Referral", "citizen": self.citizen.name, "service": self.service.name}
		)
		doc.insert()
		name = doc.name
		self.assertEqual(len(self.deliveries(reference_name=name)), 1)
		frappe.db.rollback()
		frappe.set_user("Administrator")
		self.assertEqual(self.deliveries(reference_name=name), [])
		self.assertEqual(webhooks.send_due(), [])
		self.assertEqual(self.receiver.requests, [])

	def test_cancelled_is_told_and_only_subscribed_events(self):
		self.register(self.coordinator, on_referral_received=0)
		referral = self.refer()
		self.assertEqual(self.deliveries(reference_name=referral.name), [])
		frappe.set_user(self.case_manager)
		doc = frappe.get_doc("Referral", referral.name)
		doc.status = "Cancelled"
		doc.save()
		frappe.set_user("Administrator")
		frappe.db.commit()
		(delivery,) = self.deliveries(reference_name=referral.name)
		self.assertEqual(delivery.event, "referral_cancelled")
		webhooks.send_due()
		self.assertEqual(json.loads(self.receiver.requests[0]["body"])["data"]["status"], "Cancelled")

	def test_failures_are_retried_with_back_off_then_delivered(self):
		webhook, secret = self.register(self.coordinator)
		self.receiver.codes = [500, 500]
		referral = self.refer()
		(delivery,) = self.deliveries(reference_name=referral.name)
		self.assertEqual(webhooks.deliver(delivery.name), RETRYING)
		d = frappe.get_doc("Partner Webhook Delivery", delivery.name)
		self.assertEqual((d.attempts, d.last_response_code), (1, 500))
		wait = (d.next_attempt_on - now_datetime()).total_seconds()
		self.assertTrue(40 < wait <= 60, wait)  # first back-off: a minute
		self.assertEqual(frappe.db.get_value("Partner Webhook", webhook, "failures_in_a_row"), 1)
		# not due yet: the sweep leaves it
		self.assertEqual(webhooks.send_due(), [])
		self.make_due(delivery.name)
		self.assertEqual(webhooks.send_due(), [delivery.name])
		d.reload()
		self.assertEqual((d.status, d.attempts), (RETRYING, 2))
		wait = (d.next_attempt_on - now_datetime()).total_seconds()
		self.assertTrue(4 * 60 < wait <= 5 * 60, wait)  # then five minutes
		self.make_due(delivery.name)
		webhooks.send_due()
		d.reload()
		self.assertEqual((d.status, d.attempts, d.last_response_code), (DELIVERED, 3, 200))
		self.assertEqual(len(self.receiver.requests), 3)
		# the same body and signature every time: the partner deduplicates on the delivery
		self.assertEqual(len({r["body"] for r in self.receiver.requests}), 1)
		self.assertTrue(all(verify(secret, r) for r in self.receiver.requests))
		self.assertEqual(frappe.db.get_value("Partner Webhook", webhook, "failures_in_a_row"), 0)
		self.assertEqual(frappe.db.count("Webhook Request Log", {"reference_document": delivery.name}), 3)

	def test_an_endpoint_that_never_answers_is_given_up(self):
		closed = WebhookReceiver()
		url = closed.url
		closed.server.server_close()  # nobody listens there
		self.register(self.coordinator, url=url)
		referral = self.refer()
		(delivery,) = self.deliveries(reference_name=referral.name)
		for _attempt in range(webhooks.MAX_ATTEMPTS):
			self.make_due(delivery.name)
			webhooks.send_due()
		d = frappe.get_doc("Partner Webhook Delivery", delivery.name)
		self.assertEqual((d.status, d.attempts, d.next_attempt_on), (FAILED, webhooks.MAX_ATTEMPTS, None))
		self.assertIn("ConnectionError", d.last_error)
		self.make_due(delivery.name)
		self.assertEqual(webhooks.send_due(), [])

	def test_a_webhook_disabled_meanwhile_sends_nothing(self):
		webhook, _secret = self.register(self.coordinator)
		referral = self.refer()
		frappe.db.set_value("Partner Webhook", webhook, "enabled", 0)
		frappe.db.commit()
		(delivery,) = self.deliveries(reference_name=referral.name)
		self.assertEqual(webhooks.deliver(delivery.name), FAILED)
		self.assertEqual(self.receiver.requests, [])

	def test_a_deadline_near_is_told_once(self):
		self.register(self.coordinator)
		referral = self.refer()
		late = self.refer()
		frappe.db.set_value("Referral", referral.name, "response_due", add_days(today(), 1))
		frappe.db.set_value("Referral", late.name, "response_due", add_days(today(), 4))
		frappe.db.commit()
		sent = care_path_webhooks.send_deadline_near()
		self.assertEqual(len(sent), 1)
		self.assertEqual(
			frappe.db.get_value("Partner Webhook Delivery", sent[0], ["event", "reference_name"]),
			("referral_deadline_near", referral.name),
		)
		self.assertEqual(care_path_webhooks.send_deadline_near(), [], "once per referral")

	def make_due(self, delivery: str) -> None:
		frappe.db.set_value(
			"Partner Webhook Delivery",
			delivery,
			"next_attempt_on",
			add_to_date(now_datetime(), seconds=-1),
			update_modified=False,
		)
		frappe.db.commit()


class TestWebhookRegistration(WebhookTestCase):
	def test_the_coordinator_manages_the_staff_reads_others_see_nothing(self):
		name, _secret = self.register(self.coordinator)
		self.assertEqual(frappe.db.get_value("Partner Webhook", name, "provider"), self.coop)
		frappe.set_user(self.staff)
		self.assertEqual(frappe.get_list("Partner Webhook", pluck="name"), [name])
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Partner Webhook", "endpoint_url": self.receiver.url}).insert()
		doc = frappe.get_doc("Partner Webhook", name)
		doc.enabled = 0
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		with self.assertRaises(frappe.PermissionError):
			rotate_webhook_secret(name)
		frappe.set_user(self.other_coordinator)
		self.assertEqual(frappe.get_list("Partner Webhook", pluck="name"), [])
		self.assertFalse(frappe.has_permission("Partner Webhook", "read", doc=name))
		with self.assertRaises(frappe.PermissionError):
			rotate_webhook_secret(name)
		# a webhook for a foreign organisation: refused, nothing made
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Partner Webhook", "endpoint_url": self.receiver.url, "provider": self.coop}
			).insert()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.get_all("Partner Webhook", {"provider": self.coop}, pluck="name"), [name])

	def test_rotating_the_secret_returns_it_once_and_signs_with_it(self):
		name, old = self.register(self.coordinator)
		frappe.set_user(self.coordinator)
		answer = rotate_webhook_secret(name)
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.assertEqual(answer["webhook"], name)
		self.assertNotEqual(answer["secret"], old)
		self.assertEqual(get_decrypted_password("Partner Webhook", name, "secret"), answer["secret"])
		self.assertNotIn(
			answer["secret"], json.dumps(frappe.get_doc("Partner Webhook", name).as_dict(), default=str)
		)
		self.refer()
		webhooks.send_due()
		self.assertTrue(verify(answer["secret"], self.receiver.requests[0]))
		self.assertFalse(verify(old, self.receiver.requests[0]))
		# the secret is To Link's: not set by hand
		frappe.set_user(self.coordinator)
		doc = frappe.get_doc("Partner Webhook", name)
		doc.secret = "scelto-da-me"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		frappe.set_user("Administrator")

	def test_the_address_must_be_https_and_public(self):
		frappe.local.lang = "it"
		self.addCleanup(setattr, frappe.local, "lang", "en")
		frappe.set_user(self.coordinator)
		refused = (
			"http://partner.example.org/hook",
			"ftp://partner.example.org/hook",
			"https://utente:password@partner.example.org/hook",
			"https://10.1.2.3/hook",
			"https://169.254.169.254/latest",
			"partner.example.org/hook",
		)
		for url in refused:
			with self.assertRaises(webhooks.WebhookURLError, msg=url):
				frappe.get_doc({"doctype": "Partner Webhook", "endpoint_url": url}).insert()
		with self.assertRaises(webhooks.WebhookURLError) as raised:
			frappe.get_doc(
				{"doctype": "Partner Webhook", "endpoint_url": "http://partner.example.org/h"}
			).insert()
		self.assertIn("deve usare https://", str(raised.exception))
		# loopback over http only with the site's switch, for tests
		frappe.conf[webhooks.ALLOW_HTTP_CONFIG] = 0
		with self.assertRaises(webhooks.WebhookURLError):
			frappe.get_doc({"doctype": "Partner Webhook", "endpoint_url": self.receiver.url}).insert()
		doc = frappe.get_doc(
			{"doctype": "Partner Webhook", "endpoint_url": "https://partner.example.org/hook"}
		)
		doc.insert()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Partner Webhook", {"provider": self.coop}), 1)


class TestVoucherAndParcelEvents(WebhookTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.shop = make_shop(f"Negozio WH {s}")
		cls.shop_coordinator = make_user(f"coord-shop-{s}@wh.test", ["Merchant"], cls.shop)
		cls.shop_user = make_user(f"cassa-{s}@wh.test", ["Merchant"], cls.shop)
		frappe.db.set_value("Provider", cls.shop, "coordinator", cls.shop_coordinator)
		frappe.db.commit()

	@classmethod
	def extra_providers(cls) -> list[str]:
		return [cls.shop]

	def tearDown(self):
		frappe.db.delete("Partner Webhook Delivery", {"provider": self.shop})
		frappe.db.delete("Partner Webhook", {"provider": self.shop})
		super().tearDown()

	def test_the_shop_is_told_of_its_redemption(self):
		_name, secret = self.register(self.shop_coordinator)
		self.register(self.city_coordinator)  # the issuing organisation: not told of the shop's sales
		programme = make_programme(self.city, [self.shop])
		household = frappe.db.get_value("Citizen", self.citizen.name, "household")
		make_consent(self.citizen.name, self.city, purpose="Vouchers")
		voucher = issue(programme.name, household, self.city)
		frappe.db.commit()
		frappe.set_user(self.shop_user)
		result = redemption.redeem(self.shop, voucher.code, 12.5, f"k-{uid()}")
		frappe.set_user("Administrator")
		frappe.db.commit()
		(delivery,) = self.deliveries(reference_name=result["redemption"])
		self.assertEqual((delivery.provider, delivery.event), (self.shop, "voucher_redeemed"))
		self.assertEqual(self.deliveries(provider=self.city), [])
		webhooks.send_due()
		(request,) = self.receiver.requests
		self.assertTrue(verify(secret, request))
		data = json.loads(request["body"])["data"]
		self.assertEqual(data["name"], result["redemption"])
		self.assertEqual((data["amount"], data["balance_after"]), (12.5, result["balance"]))
		self.assertNotIn(voucher.code, request["body"].decode())
		self.assertNotIn(voucher.name, request["body"].decode())
		# what the shop reads of its own redemption
		frappe.set_user(self.shop_user)
		self.assertTrue(frappe.has_permission("Voucher Redemption", "read", doc=result["redemption"]))
		frappe.set_user("Administrator")

	def test_the_referring_organisation_hears_of_the_first_parcel(self):
		from frappe.model.workflow import apply_workflow

		bank = make_provider(f"Banco WH {uid()}", provider_type="Food Bank")
		self.sweep_providers.add(bank)
		manager = make_user(f"mgr-{uid()}@wh.test", ["Hub Manager"], bank)
		volunteer = make_user(f"vol-{uid()}@wh.test", ["Hub Volunteer"], bank)
		frappe.db.set_value("Provider", bank, "coordinator", manager)
		hub = make_hub(bank, district="6").name
		receive(hub, "Pasta", 100)
		service = make_service(bank, districts=("6",), capacity=10)
		service.distribution_hub = hub
		service.parcel_template = frappe.db.get_value("Parcel Template", {}, "name")
		service.save()
		h = frappe.get_doc("Distribution Hub", hub)
		h.append("staff", {"user": manager, "hub_role": "Hub Manager"})
		h.save()
		head = make_citizen(self.city, district="6")
		household = make_household(self.city, [head], isee=3000)
		make_consent(head.name, self.city, partner=bank)
		frappe.db.commit()
		_name, secret = self.register(self.city_coordinator)
		bank_hook, _s = self.register(manager)
		frappe.set_user(self.case_manager)
		referral = frappe.get_doc(
			{"doctype": "Referral", "citizen": head.name, "service": service.name}
		).insert()
		frappe.set_user(manager)
		apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")
		frappe.set_user(manager)
		rnd = frappe.get_doc(
			{
				"doctype": "Distribution Round",
				"hub": hub,
				"from_date": today(),
				"to_date": add_days(today(), 2),
			}
		).insert()
		frappe.set_user(volunteer)
		delivery = frappe.get_doc(
			{
				"doctype": "Parcel Delivery",
				"hub": hub,
				"household": household.name,
				"distribution_round": rnd.name,
				"items": [{"aid_item": "Pasta", "qty": 1}],
			}
		).insert()
		delivery.submit()
		frappe.set_user("Administrator")
		# a later collection is not the first
		enrolment.record_collection(delivery)
		frappe.db.commit()
		collected = [d for d in self.deliveries(provider=self.city) if d.event == "parcel_collected"]
		self.assertEqual(len(collected), 1, "the first parcel only")
		self.assertEqual(
			[d.event for d in self.deliveries(provider=bank)], ["referral_received"], "the hub is not told"
		)
		webhooks.deliver(collected[0].name)
		request = next(r for r in self.receiver.requests if b"parcel_collected" in r["body"])
		self.assertTrue(verify(secret, request))
		data = json.loads(request["body"])["data"]
		self.assertEqual(
			data,
			{
				"doctype": "Referral",
				"name": referral.name,
				"service": service.name,
				"service_name": referral.service_name,
				"first_collection_on": today(),
			},
		)
		for secret_value in (household.name, head.name, head.full_name, delivery.name, hub):
			self.assertNotIn(secret_value, request["body"].decode())
		frappe.db.delete("Partner Webhook Delivery", {"provider": bank})
		frappe.db.delete("Partner Webhook", {"name": bank_hook})
		frappe.db.commit()
