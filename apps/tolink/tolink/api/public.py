"""What answers without a login: `/api/method/tolink.api.public.<name>`: the health check and the
public service directory in Open Referral HSDS 3.0 (tolink.network.hsds).

Each endpoint here says why it needs no login; it reveals nothing about people.
Described in docs/openapi.yaml (generated from these declarations: `bench --site SITE
tolink-openapi`).
"""

import frappe

from tolink import health as checks
from tolink.api import endpoint
from tolink.network import hsds as hsds_directory
from tolink.permissions.allowlist import EVERYONE

CHECK = {
	"type": "object",
	"properties": {
		"status": {"type": "string", "enum": ["ok", "backlog", "error"]},
		"detail": {
			"type": "string",
			"description": "Why it is down (e.g. unreachable) or behind (backlog); empty when up",
		},
	},
}
QUEUES_CHECK = {
	"type": "object",
	"properties": {
		**CHECK["properties"],
		"queues": {
			"type": "object",
			"description": "Per background queue (short, default, long, bulk): jobs waiting and the age "
			"in seconds of the oldest",
			"additionalProperties": {
				"type": "object",
				"properties": {"size": {"type": "integer"}, "oldest_age": {"type": "integer"}},
			},
		},
	},
}
REPORT = {
	"type": "object",
	"properties": {
		"status": {"type": "string", "enum": ["ok", "backlog", "error"]},
		"checks": {
			"type": "object",
			"properties": {
				**{name: CHECK for name in ("database", "cache", "queue", "scheduler", "workers")},
				"queues": QUEUES_CHECK,
			},
		},
	},
}


# allow_guest: load balancers and uptime monitors call this without a session. It reveals only
# up/down states, reads nothing personal and does constant work (a few pings), so it needs no login.
@endpoint(
	"public",
	EVERYONE,
	"the app's health check for the monitoring",
	allow_guest=True,
	response=REPORT,
	errors={503: "A component is down: the same body, naming it"},
)
def health() -> dict:
	"""Is the site up? Database, cache Redis, queue Redis, scheduler, background workers and queues:
	200 when all are up ("backlog" when jobs wait but are being done, with each queue's size and
	oldest job's age), 503 naming the component that is down. States only: no versions, host names,
	counts of records or personal data."""
	report = checks.collect()
	if report["status"] == checks.ERROR:
		frappe.local.response["http_status_code"] = 503
	return report


# --- the public service directory: Open Referral HSDS 3.0 (tolink.network.hsds)
# allow_guest, every one: the directory is public by design (whoever needs help may read it, and
# other directories may copy it). It publishes the Active services of active organisations and only
# the fields listed in tolink.network.hsds, none of them about a person; the published set is fixed
# in code, not chosen by the caller; pages are capped at hsds_directory.MAX_PER_PAGE rows and cached.
DIRECTORY = "the public directory, no personal data"
HSDS_SCHEMAS = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
PAGE_PARAMS = {
	"page": {"minimum": 1, "description": "Page number, from 1; beyond the last page: an empty page."},
	"per_page": {
		"minimum": 1,
		"maximum": hsds_directory.MAX_PER_PAGE,
		"description": f"Rows per page (default {hsds_directory.DEFAULT_PER_PAGE}; more than {hsds_directory.MAX_PER_PAGE} is "
		f"capped to {hsds_directory.MAX_PER_PAGE}).",
	},
}
ID_PARAM = {"id": {"format": "uuid", "description": "The HSDS id (UUID)."}}
NOT_FOUND = {404: "No published record has this id"}


def page_of(schema: str, extra: dict | None = None) -> dict:
	"""The HSDS paginated response (schema/openapi.json: Page) of objects of `schema`."""
	item = {"$ref": HSDS_SCHEMAS + schema}
	if extra:
		item = {"allOf": [item, {"type": "object", "properties": extra}]}
	return {
		"type": "object",
		"description": "HSDS 3.0 Page",
		"properties": {
			"total_items": {"type": "integer"},
			"total_pages": {"type": "integer"},
			"page_number": {"type": "integer"},
			"size": {"type": "integer"},
			"first_page": {"type": "boolean"},
			"last_page": {"type": "boolean"},
			"empty": {"type": "boolean"},
			"contents": {"type": "array", "items": item},
		},
	}


def one(schema: str, extra: dict | None = None) -> dict:
	item = {"$ref": HSDS_SCHEMAS + schema}
	return {"allOf": [item, {"type": "object", "properties": extra}]} if extra else item


ELIGIBILITY = {"x_tolink_eligibility": hsds_directory.ELIGIBILITY_SCHEMA}


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	response={
		"type": "object",
		"properties": {"version": {"type": "string"}, "profile": {"type": "string", "format": "uri"}},
	},
)
def hsds() -> dict:
	"""The HSDS API's information: the version of Open Referral HSDS it publishes (3.0). The
	directory's lists are the hsds_* methods below; the JSON documents are in `message`."""
	return hsds_directory.api_information()


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params={
		**PAGE_PARAMS,
		"search": {"description": "Words in the service's name, description or organisation."},
		"taxonomy_term_id": {
			"description": "Only services for this need (HSDS taxonomy term, sub-needs included)."
		},
		"organization_id": {"description": "Only this organisation's services."},
		"full": {"type": "integer", "enum": [0, 1], "default": 0, "description": "1: fully nested services."},
	},
	response=page_of("compiled/service_list.json", ELIGIBILITY),
)
def hsds_services(
	page: int = 1,
	per_page: int = hsds_directory.DEFAULT_PER_PAGE,
	search: str | None = None,
	taxonomy_term_id: str | None = None,
	organization_id: str | None = None,
	full: int = 0,
) -> dict:
	"""The public services (HSDS 3.0 /services): the Active services of the network's active
	organisations, by name, with their eligibility rules machine-readable in `x_tolink_eligibility`."""
	return hsds_directory.list_services(page, per_page, search, taxonomy_term_id, organization_id, full)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("service.json", ELIGIBILITY),
	errors=NOT_FOUND,
)
def hsds_service(id: str) -> dict:
	"""One public service, fully nested (HSDS 3.0 /services/{id}): organisation, places and opening
	hours (service_at_locations, schedules), areas, required documents, needs (attributes)."""
	return hsds_directory.get_service(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params={
		**PAGE_PARAMS,
		"search": {"description": "Words in the organisation's name."},
		"full_service": {
			"type": "integer",
			"enum": [0, 1],
			"default": 0,
			"description": "1: with their services.",
		},
	},
	response=page_of("compiled/organization_list.json"),
)
def hsds_organizations(
	page: int = 1,
	per_page: int = hsds_directory.DEFAULT_PER_PAGE,
	search: str | None = None,
	full_service: int = 0,
) -> dict:
	"""The organisations running public services (HSDS 3.0 /organizations), by name."""
	return hsds_directory.list_organizations(page, per_page, search, full_service)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("organization.json"),
	errors=NOT_FOUND,
)
def hsds_organization(id: str) -> dict:
	"""One organisation (HSDS 3.0 /organizations/{id}) with its public services and their places."""
	return hsds_directory.get_organization(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params={
		**PAGE_PARAMS,
		"full": {"type": "integer", "enum": [0, 1], "default": 0, "description": "1: with opening hours."},
	},
	response=page_of("compiled/service_at_location_list.json"),
)
def hsds_service_at_locations(
	page: int = 1, per_page: int = hsds_directory.DEFAULT_PER_PAGE, full: int = 0
) -> dict:
	"""Where each public service is delivered (HSDS 3.0 /service_at_locations): the service, the place."""
	return hsds_directory.list_service_at_locations(page, per_page, full)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("service_at_location.json"),
	errors=NOT_FOUND,
)
def hsds_service_at_location(id: str) -> dict:
	"""One service at one place, with its opening hours there (HSDS 3.0 /service_at_locations/{id})."""
	return hsds_directory.get_service_at_location(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=PAGE_PARAMS,
	response=page_of("location.json"),
)
def hsds_locations(page: int = 1, per_page: int = hsds_directory.DEFAULT_PER_PAGE) -> dict:
	"""The places where public services are delivered (HSDS 3.0 locations): address, phone,
	step-free access, district."""
	return hsds_directory.list_locations(page, per_page)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("location.json"),
	errors=NOT_FOUND,
)
def hsds_location(id: str) -> dict:
	"""One place where a public service is delivered (HSDS 3.0 location)."""
	return hsds_directory.get_location(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=PAGE_PARAMS,
	response=page_of("schedule.json"),
)
def hsds_schedules(page: int = 1, per_page: int = hsds_directory.DEFAULT_PER_PAGE) -> dict:
	"""The weekly opening hours of the public services (HSDS 3.0 schedules: freq WEEKLY, byday,
	opens_at, closes_at, local time of x_tolink_timezone)."""
	return hsds_directory.list_schedules(page, per_page)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("schedule.json"),
	errors=NOT_FOUND,
)
def hsds_schedule(id: str) -> dict:
	"""One weekly opening of a public service (HSDS 3.0 schedule)."""
	return hsds_directory.get_schedule(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=PAGE_PARAMS,
	response=page_of("taxonomy.json"),
)
def hsds_taxonomies(page: int = 1, per_page: int = hsds_directory.DEFAULT_PER_PAGE) -> dict:
	"""The taxonomies of the directory (HSDS 3.0 /taxonomies): one, the network's needs."""
	return hsds_directory.list_taxonomies(page, per_page)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("taxonomy.json"),
	errors=NOT_FOUND,
)
def hsds_taxonomy(id: str) -> dict:
	"""One taxonomy (HSDS 3.0 /taxonomies/{id})."""
	return hsds_directory.get_taxonomy(id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params={
		**PAGE_PARAMS,
		"taxonomy_id": {"description": "Only the terms of this taxonomy."},
		"parent_id": {"description": "Only the terms under this one."},
	},
	response=page_of("taxonomy_term.json"),
)
def hsds_taxonomy_terms(
	page: int = 1,
	per_page: int = hsds_directory.DEFAULT_PER_PAGE,
	taxonomy_id: str | None = None,
	parent_id: str | None = None,
) -> dict:
	"""The needs services answer (HSDS 3.0 /taxonomy_terms: the Need Category tree, parent_id)."""
	return hsds_directory.list_taxonomy_terms(page, per_page, taxonomy_id, parent_id)


@endpoint(
	"public",
	EVERYONE,
	DIRECTORY,
	allow_guest=True,
	params=ID_PARAM,
	response=one("taxonomy_term.json"),
	errors=NOT_FOUND,
)
def hsds_taxonomy_term(id: str) -> dict:
	"""One need (HSDS 3.0 /taxonomy_terms/{id})."""
	return hsds_directory.get_taxonomy_term(id)
