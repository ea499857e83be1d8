"""The partner organisations' REST API (Desk may call it too): `/api/method/tolink.api.partner.<name>`.

Partners authenticate with a user's API key (`Authorization: token KEY:SECRET`) or a session.
Described in docs/openapi.yaml (generated from these declarations: `bench --site SITE
tolink-openapi`). Thin: who may call and what was sent are checked in the first lines; the work
is done by the domain modules.
"""

import frappe
from frappe import _

from tolink.api import endpoint
from tolink.api import openapi as api_document
from tolink.care_path import responses
from tolink.distribution import counter
from tolink.distribution.permissions import check_hub_access, require_hub_role
from tolink.network import directory
from tolink.permissions.allowlist import DESK, HUB

REFERRAL_ANSWER = {
	"type": "object",
	"properties": {
		"name": {"type": "string"},
		"status": {"type": "string", "enum": sorted(set(responses.DECISIONS.values()))},
		"responded_on": {"type": "string", "format": "date-time", "nullable": True},
		"decline_reason": {"type": "string", "nullable": True},
	},
}


@endpoint(
	"partner",
	{"Provider Staff", "Case Manager", "Hub Manager", "Network Administrator"},
	"partner API and Desk: accept, decline or close a referral sent to the organisation (or its hubs)",
	methods=("POST",),
	params={
		"referral": {"description": "The referral's name (GET /api/resource/Referral lists yours)."},
		"decision": {"enum": list(responses.DECISIONS)},
		"reason": {"description": "Why: required to decline and for not_complete."},
		"outcome": {"description": "What came of it: required to complete."},
	},
	response=REFERRAL_ANSWER,
	errors={
		417: "Refused: unknown decision, a decline or not_complete without a reason, completion "
		"without an outcome, no capacity left, a change the workflow does not allow"
	},
)
def respond_to_referral(
	referral: str, decision: str, reason: str | None = None, outcome: str | None = None
) -> dict:
	"""Answer a referral. The receiving organisation accepts, declines (reason required), starts,
	completes (outcome required) or closes it as not completed (reason required); the referring
	organisation cancels it. The same rules hold as in Desk, whose Referral workflow ends in the
	same save."""
	if decision not in responses.DECISIONS:
		frappe.throw(
			_("Unknown decision {0}: use one of {1}.").format(
				frappe.bold(decision), ", ".join(responses.DECISIONS)
			),
			frappe.ValidationError,
		)
	doc = frappe.get_doc("Referral", referral)
	doc.check_permission("write")
	return responses.respond(doc, decision, reason, outcome)


@endpoint(
	"partner",
	HUB,
	"the hub counter's household lookup",
	params={
		"hub": {"description": "The hub where the caller works."},
		"code": {
			"description": "The household's card code, or the codice fiscale of one of its members.",
			"example": "ABCD1234",
		},
		"distribution_round": {"description": "The round being handed out, if any."},
	},
	response={
		"type": "object",
		"properties": {
			"found": {"type": "boolean"},
			"message": {"type": "string", "description": "When not found"},
			"household": {"type": "string"},
			"household_size": {"type": "integer"},
			"head_first_name": {"type": "string"},
			"active": {"type": "boolean"},
			"already_collected": {
				"type": "array",
				"description": "Where and when it already collected in this period, anywhere in the network",
				"items": {
					"type": "object",
					"properties": {
						"hub": {"type": "string"},
						"date": {"type": "string", "format": "date"},
					},
				},
			},
			"warning": {"type": "string", "nullable": True},
			"assigned_to_round": {"type": "boolean", "nullable": True},
		},
	},
)
def counter_lookup(hub: str, code: str, distribution_round: str | None = None) -> dict:
	"""Find a household at the hub counter by its card or a member's codice fiscale: its size, the
	head's first name, and whether it already collected in this period anywhere in the network.
	Every lookup is in the person's access log."""
	require_hub_role()
	check_hub_access(hub)
	return counter.lookup(hub, code, distribution_round)


@endpoint(
	"partner",
	DESK,
	"the service directory",
	params={
		"need_category": {"description": "A need (its sub-needs included)."},
		"district": {"description": "A district (services for the whole city included)."},
		"open_today": {
			"type": "integer",
			"enum": [0, 1],
			"default": 0,
			"description": "1: only services with opening hours today.",
		},
		"text": {"description": "Part of the service's name."},
		"limit": {"minimum": 1, "maximum": 500},
	},
	response={
		"type": "array",
		"items": {
			"type": "object",
			"properties": {
				"name": {"type": "string"},
				"service_name": {"type": "string"},
				"provider": {"type": "string"},
				"how_to_apply": {"type": "string", "nullable": True},
				"capacity": {"type": "integer"},
				"capacity_used": {"type": "integer"},
				"need_categories": {"type": "array", "items": {"type": "string"}},
				"districts": {"type": "array", "items": {"type": "string"}},
				"today_hours": {"type": "array", "items": {"type": "string", "example": "09:00-12:30"}},
				"open_today": {"type": "boolean"},
			},
		},
	},
)
def search_services(
	need_category: str | None = None,
	district: str | None = None,
	open_today: bool | int | str | None = False,
	text: str | None = None,
	limit: int = 50,
) -> list[dict]:
	"""Active services answering the need (or one of its sub-needs), serving the district (or the
	whole city), optionally open today, by name."""
	frappe.has_permission("Service", "read", throw=True)
	return directory.search_services(need_category, district, open_today, text, limit)


@endpoint(
	"partner",
	DESK,
	"the API's own description (OpenAPI 3.1) for the developers of partners and shops: no records",
	response={
		"type": "object",
		"description": "This OpenAPI 3.1 document, with the address of the site answering in `servers`",
	},
)
def openapi() -> dict:
	"""This document: the OpenAPI 3.1 description of the partner, merchant and public API, generated
	from the code and document types of the site that answers. Save the `message` as openapi.json
	for your tools."""
	return api_document.document(server=frappe.utils.get_url())


@endpoint(
	"partner",
	{"Provider Staff", "Case Manager", "Hub Manager", "Merchant", "Network Administrator"},
	"a new signing secret for one of the organisation's webhooks (its coordinator, or an administrator)",
	methods=("POST",),
	params={"webhook": {"description": "The Partner Webhook's name (GET /api/resource/Partner Webhook)."}},
	response={
		"type": "object",
		"properties": {
			"webhook": {"type": "string"},
			"secret": {
				"type": "string",
				"description": "Shown only in this answer: X-Frappe-Webhook-Signature is "
				"base64(HMAC-SHA256(secret, body)) of every request from now on",
			},
		},
	},
	errors={403: "Not a webhook of your organisation, or you are not its coordinator"},
)
def rotate_webhook_secret(webhook: str) -> dict:
	"""Make a new secret for the webhook and return it, once: the old one no longer signs anything.
	The organisation's coordinator and Network Administrators may."""
	doc = frappe.get_doc("Partner Webhook", webhook)
	doc.check_permission("write")
	return {"webhook": doc.name, "secret": doc.rotate_secret()}
