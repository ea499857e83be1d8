"""Webhooks per organisation: a partner's system is told when something happens for it.

An organisation registers an HTTPS endpoint (Partner Webhook) and the events it wants. When one
happens, the module of the domain that knows it (tolink.care_path.webhooks,
tolink.vouchers.webhooks, tolink.distribution.webhooks) calls `emit()` for the organisation
concerned, with a payload built from an explicit list of fields that organisation reads itself
through the REST API: names, statuses, dates, never a person's data (the partner's system reads the
record with its own API key, so every read of personal data stays in the access log).

Delivery, on Frappe's background jobs and Frappe's webhook conventions:
- `emit()` writes one Partner Webhook Delivery per endpoint in the same transaction as the event
  (an outbox: a rolled-back referral sends nothing) and enqueues `deliver()` on the bulk queue once
  the transaction commits.
- `deliver()` POSTs the JSON body with Frappe's signature header, `X-Frappe-Webhook-Signature`:
  base64(HMAC-SHA256(secret, body)), 5 s timeout, no redirects; each attempt is written to Frappe's
  Webhook Request Log (the administrators' record) and to the delivery (the partner's).
- A failure is retried with back-off (RETRY_MINUTES after each attempt), by `send_due()`, which the
  scheduler runs every minute (RQ here has no delayed jobs); after the last it is Failed.

Endpoints must be https://. For tests only, the site config `tolink_allow_http_webhooks` lets
http:// go to a loopback address (127.0.0.1, ::1, localhost); without it loopback, private and
link-local addresses are refused at save and again at every send.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import socket
from urllib.parse import urlsplit

import frappe
import requests
from frappe import _
from frappe.utils import add_to_date, now_datetime
from frappe.utils.password import get_decrypted_password

from tolink.network.doctype.partner_webhook_delivery.partner_webhook_delivery import (
	DELIVERED,
	DUE,
	FAILED,
	PENDING,
	RETRYING,
)
from tolink.network.notifications import bulk_queue

# event -> the Check field of Partner Webhook that subscribes to it
EVENTS = {
	"referral_received": "on_referral_received",
	"referral_deadline_near": "on_referral_deadline_near",
	"referral_cancelled": "on_referral_cancelled",
	"voucher_redeemed": "on_voucher_redeemed",
	"parcel_collected": "on_parcel_collected",
}
SIGNATURE_HEADER = "X-Frappe-Webhook-Signature"
EVENT_HEADER = "X-ToLink-Event"
DELIVERY_HEADER = "X-ToLink-Delivery"
TIMEOUT_SECONDS = 5
# minutes to wait after a failed attempt: after the last, the delivery is Failed (7 attempts)
RETRY_MINUTES = (1, 5, 25, 60, 180, 600)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
# a delivery claimed by a worker is not taken by another for this long (more than a send lasts)
CLAIM_MINUTES = 2
# deliveries kept for the partner to see, then purged (Frappe's Webhook Request Log has its own)
KEEP_DAYS = 90
ALLOW_HTTP_CONFIG = "tolink_allow_http_webhooks"
LOOPBACK_NAMES = ("localhost",)


class WebhookURLError(frappe.ValidationError):
	pass


# --- the endpoint's address


def check_endpoint_url(url: str) -> None:
	"""At save: https:// (http:// to loopback only when the site allows it, for tests), a host,
	no credentials in the URL, not a loopback, private or link-local address given literally."""
	parts = urlsplit((url or "").strip())
	allow_http = bool(frappe.conf.get(ALLOW_HTTP_CONFIG))
	host = (parts.hostname or "").lower()
	if parts.scheme not in ("https", "http") or not host:
		frappe.throw(_("The endpoint must be a full https:// address."), WebhookURLError)
	if parts.username or parts.password:
		frappe.throw(_("The endpoint's address cannot contain a user name or password."), WebhookURLError)
	loopback = is_loopback_host(host)
	if parts.scheme == "http" and not (allow_http and loopback):
		frappe.throw(
			_("The endpoint must use https://: http:// is not accepted."),
			WebhookURLError,
		)
	if not (allow_http and loopback) and (loopback or is_internal_address(host)):
		frappe.throw(
			_("The endpoint must be a public address: {0} is an address of an internal network.").format(
				frappe.bold(host)
			),
			WebhookURLError,
		)


def is_loopback_host(host: str) -> bool:
	if host in LOOPBACK_NAMES:
		return True
	try:
		return ipaddress.ip_address(host).is_loopback
	except ValueError:
		return False


def is_internal_address(host: str) -> bool:
	"""A literal IP address that is not a public one (private, loopback, link-local, reserved...)."""
	try:
		address = ipaddress.ip_address(host)
	except ValueError:
		return False
	return not address.is_global


def destination_refusal(url: str) -> str | None:
	"""At send: why the address may not be called (its host resolves to an internal address), or
	None. A name registered as public may since point inside the network."""
	host = (urlsplit(url).hostname or "").lower()
	allow_loopback = bool(frappe.conf.get(ALLOW_HTTP_CONFIG))
	try:
		addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
	except OSError as e:
		return _("The endpoint's host {0} cannot be resolved: {1}").format(host, e)
	for address in addresses:
		ip = ipaddress.ip_address(address.split("%", 1)[0])
		if ip.is_loopback and allow_loopback:
			continue
		if not ip.is_global:
			return _("The endpoint's host {0} is an address of an internal network: not called.").format(host)
	return None


# --- signing


def sign(secret: str, body: bytes) -> str:
	"""Frappe's webhook signature: base64 of the HMAC-SHA256 of the body, keyed with the secret."""
	return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def new_secret() -> str:
	return frappe.generate_hash(length=48)


# --- emitting


def subscribed_webhooks(provider: str, event: str) -> list[str]:
	"""The enabled webhooks of the organisation that want the event (one indexed query)."""
	if not provider or event not in EVENTS:
		return []
	return frappe.get_all(
		"Partner Webhook",
		filters={"provider": provider, "enabled": 1, EVENTS[event]: 1},
		pluck="name",
		order_by="name asc",
	)


def providers_subscribed(event: str) -> list[str]:
	"""Organisations with an enabled webhook wanting the event."""
	return frappe.get_all(
		"Partner Webhook",
		filters={"enabled": 1, EVENTS[event]: 1},
		pluck="provider",
		distinct=True,
		order_by="provider asc",
	)


def emit(provider: str, event: str, reference_doctype: str, reference_name: str, data: dict) -> list[str]:
	"""Tell the organisation's endpoints of the event: one delivery each, written in the current
	transaction, sent by a background job once it commits. `data` holds only what the organisation
	reads itself (the caller's explicit field list). Returns the deliveries' names."""
	webhooks = subscribed_webhooks(provider, event)
	if not webhooks:
		return []
	occurred_at = now_datetime()
	names = []
	for webhook in webhooks:
		delivery = frappe.get_doc(
			{
				"doctype": "Partner Webhook Delivery",
				"webhook": webhook,
				"provider": provider,
				"event": event,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"status": PENDING,
				"attempts": 0,
				"next_attempt_on": occurred_at,
			}
		)
		# the app's own record of what it sends, from server-side values only
		delivery.insert(ignore_permissions=True)
		delivery.db_set(
			"payload",
			json.dumps(
				{
					"event": event,
					"delivery": delivery.name,
					"occurred_at": occurred_at.isoformat(),
					"organisation": provider,
					"data": data,
				},
				default=str,
				sort_keys=True,
			),
			update_modified=False,
		)
		names.append(delivery.name)
	frappe.db.after_commit.add(lambda: enqueue_deliveries(names))
	return names


def enqueue_deliveries(names: list[str]) -> None:
	for name in names:
		frappe.enqueue(
			"tolink.network.webhooks.deliver",
			queue=bulk_queue(),
			# Frappe prefixes the site: one job per delivery, however often it is enqueued
			job_id=f"tolink-webhook::{name}",
			deduplicate=True,
			delivery=name,
		)


# --- delivering


def deliver(delivery: str) -> str | None:
	"""Background job: one attempt at sending a delivery that is due (a delivery another worker has
	claimed, or already delivered, is left alone). Returns its status after the attempt."""
	if not claim(delivery):
		return None
	doc = frappe.get_doc("Partner Webhook Delivery", delivery)
	webhook = frappe.db.get_value(
		"Partner Webhook", doc.webhook, ["name", "endpoint_url", "enabled", "provider"], as_dict=True
	)
	secret = webhook and get_decrypted_password(
		"Partner Webhook", webhook.name, "secret", raise_exception=False
	)
	if not webhook or not webhook.enabled or webhook.provider != doc.provider or not secret:
		record_attempt(doc, None, _("The webhook was removed or disabled: not sent."), final=True)
		return doc.status
	body = (doc.payload or "{}").encode()
	headers = {
		"Content-Type": "application/json",
		"User-Agent": "ToLink-Webhooks/1",
		EVENT_HEADER: doc.event,
		DELIVERY_HEADER: doc.name,
		SIGNATURE_HEADER: sign(secret, body),
	}
	refusal = destination_refusal(webhook.endpoint_url)
	response = error = None
	if refusal:
		error = refusal
	else:
		try:
			response = requests.post(
				webhook.endpoint_url,
				data=body,
				headers=headers,
				timeout=TIMEOUT_SECONDS,
				allow_redirects=False,
			)
			if not 200 <= response.status_code < 300:
				error = _("The endpoint answered {0}.").format(response.status_code)
		except requests.RequestException as e:
			error = _("The endpoint could not be reached: {0}").format(type(e).__name__)
	log_request(doc, webhook.endpoint_url, headers, response, error)
	record_attempt(doc, response, error)
	return doc.status


def claim(delivery: str) -> bool:
	"""Take a due delivery for one attempt: its row is locked, checked and pushed CLAIM_MINUTES
	ahead, and committed, so another worker (the job and the retry sweep) does not send it too."""
	now = now_datetime()
	row = frappe.db.get_value(
		"Partner Webhook Delivery", delivery, ["status", "next_attempt_on"], as_dict=True, for_update=True
	)
	if not row or row.status not in DUE or (row.next_attempt_on and row.next_attempt_on > now):
		frappe.db.commit()  # the lock goes
		return False
	frappe.db.set_value(
		"Partner Webhook Delivery",
		delivery,
		"next_attempt_on",
		add_to_date(now, minutes=CLAIM_MINUTES),
		update_modified=False,
	)
	frappe.db.commit()
	return True


def record_attempt(doc, response, error: str | None, final: bool = False) -> None:
	"""The attempt on the delivery (what the partner sees) and on its webhook (last delivery,
	failures in a row); the next attempt with back-off, or the end."""
	now = now_datetime()
	attempts = (doc.attempts or 0) + 1
	values = {
		"attempts": attempts,
		"last_attempt_on": now,
		"last_response_code": response.status_code if response is not None else 0,
		"last_error": (error or "")[:500] or None,
	}
	if not error:
		values.update(status=DELIVERED, delivered_on=now, next_attempt_on=None)
	elif final or attempts >= MAX_ATTEMPTS:
		values.update(status=FAILED, next_attempt_on=None)
	else:
		values.update(status=RETRYING, next_attempt_on=add_to_date(now, minutes=RETRY_MINUTES[attempts - 1]))
	frappe.db.set_value("Partner Webhook Delivery", doc.name, values, update_modified=True)
	doc.update(values)
	failures = frappe.db.get_value("Partner Webhook", doc.webhook, "failures_in_a_row")
	if failures is not None:
		frappe.db.set_value(
			"Partner Webhook",
			doc.webhook,
			{
				"last_delivery_on": now,
				"last_delivery_status": values["status"],
				"failures_in_a_row": failures + 1 if error else 0,
			},
			update_modified=False,
		)
	frappe.db.commit()


def log_request(doc, url: str, headers: dict, response, error: str | None) -> None:
	"""Frappe's record of a webhook request (Webhook Request Log, read by System Managers), one per
	attempt: the delivery in `reference_document`."""
	frappe.get_doc(
		{
			"doctype": "Webhook Request Log",
			"reference_document": doc.name,
			"user": frappe.session.user,
			"url": url,
			"headers": frappe.as_json(headers),
			"data": doc.payload,
			"response": response.text[:2000] if response is not None else None,
			"error": error,
		}
	).insert(ignore_permissions=True)


def send_due(limit: int = 200) -> list[str]:
	"""Scheduled every minute: the deliveries due (retries whose back-off has passed, and first
	attempts whose job was lost), sent one after the other, oldest first."""
	delivery = frappe.qb.DocType("Partner Webhook Delivery")
	due = (
		frappe.qb.from_(delivery)
		.select(delivery.name)
		.where(delivery.status.isin(DUE) & (delivery.next_attempt_on <= now_datetime()))
		.orderby(delivery.next_attempt_on)
		.limit(limit)
		.run(pluck=True)
	)
	for name in due:
		deliver(name)
	return due


def purge_old_deliveries() -> None:
	"""Daily: deliveries older than KEEP_DAYS that are over (delivered or failed) go."""
	delivery = frappe.qb.DocType("Partner Webhook Delivery")
	frappe.qb.from_(delivery).delete().where(
		delivery.status.isin((DELIVERED, FAILED))
		& (delivery.creation < add_to_date(now_datetime(), days=-KEEP_DAYS))
	).run()
