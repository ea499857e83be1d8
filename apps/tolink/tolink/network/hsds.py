"""The public service directory in Open Referral HSDS 3.0 (Human Services Data Specification): the
documents of the read API (tolink.api.public.hsds_*) and of the page "Trova un servizio"
(tolink/www/trova-un-servizio), generated from Provider, Service and Need Category.

What is published: the Active services of active organisations, and only these fields of them.

- Organization (Provider): provider_name, description, provider_type (as legal_status), email,
  phone and website (the organisation's own contacts, as its card in the directory shows them).
  Never: tax_id (a sole trader's partita IVA is their codice fiscale), coordinator (a person),
  address and district (where the office is, not where the services are), is_active (a filter).
- Service: service_name, description (as plain text), how_to_apply (application_process),
  eligibility_description, required_documents (one line each), contact_email / contact_phone (the
  service's desk), need categories (taxonomy terms), districts (service areas), min_age / max_age,
  modified (last_modified), and the eligibility rules in machine-readable form in the To Link
  extension `x_tolink_eligibility` (the fields tolink.network.eligibility judges people with).
  Never: capacity, capacity_used, available_from (how full a service is is the network's business),
  response_deadline_days, distribution_hub, parcel_template, district_list / open_days (search
  columns), status (only Active is published), owner and modified_by (people), anything of
  referrals, citizens or households.
- Service Location: location_name, address, district, phone (the desk of the place), accessible.
- Service Schedule: weekday, opens_at, closes_at (HSDS: freq WEEKLY, byday, opens_at, closes_at),
  tied to its location when it names one.
- Need Category: name, description, parent (one taxonomy: the network's needs).

HSDS ids are UUIDs: uuid5 of the Frappe name under a fixed namespace (`hsds_id`), the same on every
site and at every generation. A by-id request finds the Frappe name again through a Redis hash of the
published ids (built in a fixed number of queries).

Everything is cached in Redis under a generation (`VERSION_KEY`): the pages of the lists, the
documents, the id map. Saving (or deleting, renaming) a Provider, Service, Need Category or District
drops the generation (hooks.doc_events -> `invalidate`), again when the transaction commits or rolls
back; the next request builds a new one. Entries also expire after CACHE_SECONDS (a change made
without the document events, e.g. frappe.db.set_value, shows by then). A list's page is read from the
database with LIMIT/OFFSET and a COUNT: a request never loads every service.

The data is public by definition: it is read without the caller's permissions (a Guest has none on
Service), the published set being fixed here, in code, not chosen by the caller.
"""

import html
import math
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
import redis
from frappe import _
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import cint, cstr, get_system_timezone, get_time, getdate, strip_html, today
from pypika.terms import Criterion

from tolink.network.doctype.service.service import TAKING_REFERRALS
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS

HSDS_VERSION = "3.0"
# fixed forever: changing it changes every published id
NAMESPACE = uuid.UUID("2f6b2b8e-6f0e-5c55-9a57-7c1f0e4b7a11")
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
CACHE_SECONDS = 600
VERSION_KEY = "tolink:hsds:version"
BYDAY = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
TAXONOMY = "need_category"
TAXONOMY_NAME = "To Link need categories"
CITY = "Torino"
POSTAL_CODE = re.compile(r"\b(10[01]\d\d)\b")
# the To Link extension: the eligibility rules, machine-readable (HSDS has no standard for them yet)
ELIGIBILITY_SCHEMA = {
	"type": "object",
	"description": "To Link extension: the service's eligibility rules as tolink.network.eligibility "
	"applies them. null: no such limit. A person whose age, ISEE or district is unknown does not meet "
	"a limit on it; the ISEE must be valid on the day.",
	"properties": {
		"min_age": {"type": ["integer", "null"]},
		"max_age": {"type": ["integer", "null"]},
		"max_isee_eur": {"type": ["number", "null"], "description": "ISEE ceiling in euros"},
		"min_household_size": {"type": ["integer", "null"]},
		"max_household_size": {"type": ["integer", "null"]},
		"districts": {
			"type": "array",
			"items": {"type": "string"},
			"description": "Turin's districts (circoscrizioni) served by number; empty: the whole city",
		},
		"residency_in_turin_required": {"type": "boolean"},
	},
	"required": [
		"min_age",
		"max_age",
		"max_isee_eur",
		"min_household_size",
		"max_household_size",
		"districts",
		"residency_in_turin_required",
	],
}


class NotPublished(frappe.DoesNotExistError):
	"""404: no published record has this id (unknown, not a UUID, or not public)."""


def hsds_id(kind: str, name: str) -> str:
	"""The HSDS id (a UUID) of a record: stable, derived from its Frappe name."""
	return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


# --- cache


def generation() -> str:
	"""The current cache generation (a new one after every change of the directory)."""
	version = frappe.cache.get_value(VERSION_KEY)
	if not version:
		version = frappe.generate_hash(length=10)
		frappe.cache.set_value(VERSION_KEY, version)
	return version


def invalidate(doc=None, method=None) -> None:
	"""doc_events of the directory's doctypes: drop the generation now, and again when the
	transaction ends (a request meanwhile may have cached what was not committed yet)."""
	drop_generation()
	if getattr(frappe.local, "db", None):
		frappe.db.after_commit.add(drop_generation)
		frappe.db.after_rollback.add(drop_generation)


def drop_generation() -> None:
	frappe.cache.delete_value(VERSION_KEY)


def cached(key: str, build):
	"""`build()` cached under this generation for CACHE_SECONDS."""
	full_key = f"tolink:hsds:{generation()}:{key}"
	value = frappe.cache.get_value(full_key)
	if value is None:
		value = build()
		frappe.cache.set_value(full_key, value, expires_in_sec=CACHE_SECONDS)
	return value


# --- arguments


def page_arguments(page, per_page) -> tuple[int, int]:
	"""page from 1; per_page from 1 to MAX_PER_PAGE (more is capped, nothing or 0 is the default)."""
	page = max(1, min(cint(page) or 1, 10**9))
	per_page = cint(per_page) or DEFAULT_PER_PAGE
	return page, max(1, min(per_page, MAX_PER_PAGE))


def text_argument(value) -> str:
	return cstr(value).strip()[:100] if isinstance(value, str | int | float) else ""


def flag(value) -> bool:
	return cstr(value).strip().lower() in ("1", "true", "yes")


def like(text: str) -> str:
	escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"


def paginate(total: int, page: int, per_page: int, fetch) -> dict:
	"""The HSDS paginated response; `fetch(limit, offset)` runs only for a page that has rows."""
	total_pages = math.ceil(total / per_page) if total else 0
	offset = (page - 1) * per_page
	contents = fetch(per_page, offset) if offset < total else []
	return {
		"total_items": total,
		"total_pages": total_pages,
		"page_number": page,
		"size": len(contents),
		"first_page": page == 1,
		"last_page": page >= total_pages,
		"empty": not contents,
		"contents": contents,
	}


# --- what is published


def published(s, p) -> Criterion:
	"""The services the directory publishes (on Service `s` joined to its Provider `p`)."""
	return s.status.isin(TAKING_REFERRALS) & (p.is_active == 1)


def service_query(provider: str | None = None, needs: list[str] | None = None, search: str = ""):
	s, p = frappe.qb.DocType("Service"), frappe.qb.DocType("Provider")
	query = frappe.qb.from_(s).join(p).on(p.name == s.provider).where(published(s, p))
	if provider:
		query = query.where(s.provider == provider)
	if needs is not None:
		snc = frappe.qb.DocType("Service Need Category")
		query = query.where(
			s.name.isin(
				frappe.qb.from_(snc)
				.select(snc.parent)
				.where((snc.parenttype == "Service") & snc.need_category.isin(needs or [""]))
			)
		)
	if search:
		pattern = like(search)
		query = query.where(
			s.service_name.like(pattern)
			| Coalesce(s.description, "").like(pattern)
			| p.provider_name.like(pattern)
		)
	return query, s


def published_service_names(names: list[str]) -> list[str]:
	s, p = frappe.qb.DocType("Service"), frappe.qb.DocType("Provider")
	if not names:
		return []
	return (
		frappe.qb.from_(s)
		.join(p)
		.on(p.name == s.provider)
		.select(s.name)
		.where(published(s, p) & s.name.isin(names))
		.run(pluck=True)
	)


# --- the id map: HSDS id -> Frappe record


def map_key() -> str:
	return frappe.cache.make_key(f"tolink:hsds:{generation()}:ids")


def resolve(kind: str, id: str) -> tuple[str, str | None]:
	"""(Frappe name, its service for child rows) of a published HSDS id; NotPublished otherwise."""
	try:
		id = str(uuid.UUID(cstr(id)))
	except (ValueError, TypeError, AttributeError):
		not_found()
	key = map_key()
	client = frappe.cache
	value = redis.Redis.hget(client, key, id)
	if value is None and not redis.Redis.hexists(client, key, "__built__"):
		build_id_map(key)
		value = redis.Redis.hget(client, key, id)
	if value is None:
		not_found()
	found_kind, name, parent = value.decode().split("\x1f")
	if found_kind != kind:
		not_found()
	return name, parent or None


def not_found() -> None:
	frappe.throw(_("Not found in the public directory"), NotPublished)


def build_id_map(key: str) -> None:
	"""Every published id, in one Redis hash (a fixed number of queries)."""
	s, p = frappe.qb.DocType("Service"), frappe.qb.DocType("Provider")
	services = (
		frappe.qb.from_(s).join(p).on(p.name == s.provider).select(s.name, s.provider).where(published(s, p))
	).run()
	entries = {"__built__": "1"}

	def add(kind, name, parent=""):
		entries[hsds_id(kind, name)] = f"{kind}\x1f{name}\x1f{parent}"

	for name, provider in services:
		add("service", name)
		add("organization", provider)
	names = [name for name, _provider in services]
	for chunk in chunks(names, 1000):
		for doctype, kinds in (
			("Service Location", ("location", "service_at_location")),
			("Service Schedule", ("schedule",)),
		):
			t = frappe.qb.DocType(doctype)
			for row, parent in (
				frappe.qb.from_(t)
				.select(t.name, t.parent)
				.where((t.parenttype == "Service") & t.parent.isin(chunk))
				.run()
			):
				for kind in kinds:
					add(kind, row, parent)
	add("taxonomy", TAXONOMY)
	for name in frappe.get_all("Need Category", pluck="name", order_by="lft asc"):
		add("taxonomy_term", name)
	client = frappe.cache
	pipe = redis.Redis.pipeline(client)
	pipe.delete(key)
	pipe.hset(key, mapping=entries)
	pipe.expire(key, CACHE_SECONDS)
	pipe.execute()


def chunks(items: list, size: int):
	for start in range(0, len(items), size):
		yield items[start : start + size]


# --- documents


def service_documents(names: list[str]) -> dict[str, dict]:
	"""The full HSDS Service of each published service (cached one by one)."""
	out, missing = {}, []
	for name in names:
		doc = frappe.cache.get_value(f"tolink:hsds:{generation()}:service:{name}")
		if doc is None:
			missing.append(name)
		else:
			out[name] = doc
	if missing:
		for name, doc in build_services(missing).items():
			frappe.cache.set_value(
				f"tolink:hsds:{generation()}:service:{name}", doc, expires_in_sec=CACHE_SECONDS
			)
			out[name] = doc
	return out


def build_services(names: list[str]) -> dict[str, dict]:
	"""Full HSDS Services of these services, in a fixed number of queries."""
	names = published_service_names(names)
	if not names:
		return {}
	s = frappe.qb.DocType("Service")
	rows = (
		frappe.qb.from_(s)
		.select(
			s.name,
			s.service_name,
			s.provider,
			s.description,
			s.how_to_apply,
			s.eligibility_description,
			s.required_documents,
			s.contact_email,
			s.contact_phone,
			s.min_age,
			s.max_age,
			s.max_isee,
			s.min_household_size,
			s.max_household_size,
			s.residency_required,
			s.modified,
		)
		.where(s.name.isin(names))
		.run(as_dict=True)
	)
	organizations = organization_documents(list({r.provider for r in rows}))
	districts = child_rows("Service District", ("district",), names)
	district_names = dict(frappe.get_all("District", fields=["name", "district_name"], as_list=True))
	needs = child_rows("Service Need Category", ("need_category",), names)
	terms = taxonomy_term_documents([n.need_category for rows_ in needs.values() for n in rows_])
	locations = child_rows(
		"Service Location", ("location_name", "address", "district", "phone", "accessible"), names
	)
	schedules = child_rows("Service Schedule", ("location_name", "weekday", "opens_at", "closes_at"), names)
	out = {}
	for r in rows:
		sid = hsds_id("service", r.name)
		organization = organizations[r.provider]
		doc = {
			"id": sid,
			"organization_id": organization["id"],
			"name": r.service_name,
			"description": plain_text(r.description),
			"status": "active",
			"application_process": r.how_to_apply,
			"eligibility_description": r.eligibility_description,
			"minimum_age": r.min_age or None,
			"maximum_age": r.max_age or None,
			"email": r.contact_email,
			"last_modified": iso_datetime(r.modified),
			"organization": organization_summary(organization),
			"phones": [{"id": hsds_id("service_phone", r.name), "service_id": sid, "number": r.contact_phone}]
			if r.contact_phone
			else [],
			"service_areas": service_areas(r.name, sid, districts.get(r.name, []), district_names),
			"required_documents": [
				{"id": hsds_id("required_document", f"{r.name}/{i}"), "service_id": sid, "document": line}
				for i, line in enumerate(document_lines(r.required_documents))
			],
			"attributes": [
				{
					"id": hsds_id("attribute", f"{r.name}/{n.need_category}"),
					"link_id": sid,
					"link_type": "need_category",
					"link_entity": "service",
					"taxonomy_term_id": terms[n.need_category]["id"],
					"taxonomy_term": terms[n.need_category],
				}
				for n in needs.get(r.name, [])
				if n.need_category in terms
			],
			"x_tolink_eligibility": eligibility(r, districts.get(r.name, [])),
		}
		place_rows = locations.get(r.name, [])
		by_location_name = {row.location_name: row for row in place_rows if row.location_name}
		service_schedules, at_location = [], {}
		for row in schedules.get(r.name, []):
			place = by_location_name.get(row.location_name)
			schedule = schedule_document(row, sid, place)
			if place is None:
				service_schedules.append(schedule)
			else:
				at_location.setdefault(place.name, []).append(schedule)
		doc["schedules"] = service_schedules
		doc["service_at_locations"] = [
			{
				"id": hsds_id("service_at_location", row.name),
				"service_id": sid,
				"location_id": hsds_id("location", row.name),
				"location": location_document(row, organization["id"], district_names),
				"schedules": at_location.get(row.name, []),
			}
			for row in place_rows
		]
		out[r.name] = drop_empty(doc)
	return out


def child_rows(doctype: str, fields: tuple[str, ...], parents: list[str]) -> dict[str, list]:
	t = frappe.qb.DocType(doctype)
	out: dict[str, list] = {}
	for row in (
		frappe.qb.from_(t)
		.select(t.name, t.parent, *(t[f] for f in fields))
		.where((t.parenttype == "Service") & t.parent.isin(parents))
		.orderby(t.parent)
		.orderby(t.idx)
		.run(as_dict=True)
	):
		out.setdefault(row.parent, []).append(row)
	return out


def eligibility(service, districts: list) -> dict:
	return {
		"min_age": service.min_age or None,
		"max_age": service.max_age or None,
		"max_isee_eur": float(service.max_isee) if service.max_isee else None,
		"min_household_size": service.min_household_size or None,
		"max_household_size": service.max_household_size or None,
		"districts": sorted({d.district for d in districts}),
		"residency_in_turin_required": bool(service.residency_required),
	}


def service_areas(name: str, sid: str, districts: list, district_names: dict) -> list[dict]:
	if not districts:
		return [
			{
				"id": hsds_id("service_area", f"{name}/city"),
				"service_id": sid,
				"name": CITY,
				"description": "The whole city",
			}
		]
	return [
		{
			"id": hsds_id("service_area", f"{name}/{d.district}"),
			"service_id": sid,
			"name": district_names.get(d.district) or d.district,
			"extent_type": "district",
			"x_tolink_district": d.district,
		}
		for d in districts
	]


def schedule_document(row, sid: str, place=None) -> dict:
	doc = {
		"id": hsds_id("schedule", row.name),
		"service_id": sid,
		"freq": "WEEKLY",
		"wkst": "MO",
		"byday": BYDAY.get(row.weekday, ""),
		"opens_at": hhmm(row.opens_at),
		"closes_at": hhmm(row.closes_at),
		"description": f"{row.weekday} {hhmm(row.opens_at)}-{hhmm(row.closes_at)}"
		+ (f" ({row.location_name})" if row.location_name else ""),
		"x_tolink_timezone": get_system_timezone(),
	}
	if place is not None:
		doc["location_id"] = hsds_id("location", place.name)
		doc["service_at_location_id"] = hsds_id("service_at_location", place.name)
	return doc


def location_document(row, organization_id: str, district_names: dict) -> dict:
	lid = hsds_id("location", row.name)
	doc = {
		"id": lid,
		"location_type": "physical",
		"organization_id": organization_id,
		"name": row.location_name,
		"addresses": [],
		"phones": [],
		"accessibility": [],
	}
	if row.address:
		postal_code = POSTAL_CODE.search(row.address)
		doc["addresses"].append(
			{
				"id": hsds_id("address", row.name),
				"location_id": lid,
				"address_1": row.address,
				"city": CITY,
				"region": "Piemonte",
				"state_province": "TO",
				"postal_code": postal_code.group(1) if postal_code else "",
				"country": "IT",
				"address_type": "physical",
			}
		)
	if row.phone:
		doc["phones"].append(
			{"id": hsds_id("location_phone", row.name), "location_id": lid, "number": row.phone}
		)
	if row.accessible:
		doc["accessibility"].append(
			{"id": hsds_id("accessibility", row.name), "location_id": lid, "description": "Step-free access"}
		)
	if row.district:
		doc["x_tolink_district"] = {"number": row.district, "name": district_names.get(row.district)}
	return drop_empty(doc)


def organization_documents(providers: list[str]) -> dict[str, dict]:
	if not providers:
		return {}
	p = frappe.qb.DocType("Provider")
	out = {}
	for r in (
		frappe.qb.from_(p)
		.select(p.name, p.provider_name, p.provider_type, p.description, p.email, p.phone, p.website)
		.where(p.name.isin(providers))
		.run(as_dict=True)
	):
		oid = hsds_id("organization", r.name)
		out[r.name] = drop_empty(
			{
				"id": oid,
				"name": r.provider_name,
				"description": r.description or r.provider_type or "",
				"legal_status": r.provider_type,
				"email": r.email,
				"website": website(r.website),
				"phones": [
					{"id": hsds_id("organization_phone", r.name), "organization_id": oid, "number": r.phone}
				]
				if r.phone
				else [],
			}
		)
	return out


ORGANIZATION_SUMMARY = ("id", "name", "description", "email", "website", "legal_status")


def organization_summary(doc: dict) -> dict:
	return {k: doc[k] for k in ORGANIZATION_SUMMARY if k in doc}


def taxonomy_document() -> dict:
	return {
		"id": hsds_id("taxonomy", TAXONOMY),
		"name": TAXONOMY_NAME,
		"description": "The needs the services of Turin's To Link network answer, as a tree.",
		"version": "1",
	}


def taxonomy_term_documents(names: list[str] | None = None) -> dict[str, dict]:
	"""The taxonomy terms (all Need Categories: a small tree), by name."""
	filters = {"name": ("in", sorted(set(names)))} if names is not None else {}
	if names is not None and not names:
		return {}
	taxonomy = taxonomy_document()
	out = {}
	for r in frappe.get_all(
		"Need Category",
		filters=filters,
		fields=["name", "need_category_name", "description", "parent_need_category"],
		order_by="lft asc",
	):
		out[r.name] = drop_empty(
			{
				"id": hsds_id("taxonomy_term", r.name),
				"code": r.name,
				"name": r.need_category_name or r.name,
				"description": r.description or r.need_category_name or r.name,
				"parent_id": hsds_id("taxonomy_term", r.parent_need_category)
				if r.parent_need_category
				else None,
				"taxonomy": taxonomy["name"],
				"taxonomy_id": taxonomy["id"],
			}
		)
	return out


# --- the read API


def list_services(page=1, per_page=None, search=None, taxonomy_term_id=None, organization_id=None, full=None):
	page, per_page = page_arguments(page, per_page)
	search, full = text_argument(search), flag(full)
	provider = needs = None
	if organization_id:
		provider, _parent = resolve_or_none("organization", organization_id)
		if provider is None:
			return paginate(0, page, per_page, None)
	if taxonomy_term_id:
		term, _parent = resolve_or_none("taxonomy_term", taxonomy_term_id)
		if term is None:
			return paginate(0, page, per_page, None)
		needs = need_subtree(term)

	def build():
		query, s = service_query(provider, needs, search)
		total = query.select(Count(s.name)).run()[0][0]

		def fetch(limit, offset):
			names = query.select(s.name).orderby(s.service_name).orderby(s.name).limit(limit).offset(offset)
			names = names.run(pluck=True)
			docs = service_documents(names)
			return [docs[n] if full else service_list_item(docs[n]) for n in names if n in docs]

		return paginate(total, page, per_page, fetch)

	key = f"services:{page}:{per_page}:{provider}:{taxonomy_term_id if needs else ''}:{int(full)}"
	return build() if search else cached(key, build)


SERVICE_LIST_FIELDS = (
	"id",
	"organization_id",
	"name",
	"description",
	"status",
	"email",
	"application_process",
	"eligibility_description",
	"minimum_age",
	"maximum_age",
	"last_modified",
	"organization",
	"x_tolink_eligibility",
)


def service_list_item(doc: dict) -> dict:
	"""A service in a list: its one-to-one fields (HSDS service_list), with the eligibility rules."""
	return {k: doc[k] for k in SERVICE_LIST_FIELDS if k in doc}


def get_service(id: str) -> dict:
	name, _parent = resolve("service", id)
	doc = service_documents([name]).get(name)
	if not doc:
		not_found()
	return doc


def resolve_or_none(kind: str, id: str) -> tuple[str | None, str | None]:
	try:
		return resolve(kind, id)
	except NotPublished:
		frappe.clear_last_message()
		return None, None


def need_subtree(need: str) -> list[str]:
	bounds = frappe.db.get_value("Need Category", need, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return [need]
	nc = frappe.qb.DocType("Need Category")
	return (
		frappe.qb.from_(nc)
		.select(nc.name)
		.where((nc.lft >= bounds.lft) & (nc.rgt <= bounds.rgt))
		.run(pluck=True)
	)


def list_organizations(page=1, per_page=None, search=None, full_service=None):
	page, per_page = page_arguments(page, per_page)
	search, full_service = text_argument(search), flag(full_service)

	def build():
		s, p = frappe.qb.DocType("Service"), frappe.qb.DocType("Provider")
		query = frappe.qb.from_(p).where(
			(p.is_active == 1)
			& p.name.isin(frappe.qb.from_(s).select(s.provider).where(s.status.isin(TAKING_REFERRALS)))
		)
		if search:
			query = query.where(p.provider_name.like(like(search)))
		total = query.select(Count(p.name)).run()[0][0]

		def fetch(limit, offset):
			names = (
				query.select(p.name).orderby(p.provider_name).orderby(p.name).limit(limit).offset(offset)
			).run(pluck=True)
			docs = organization_documents(names)
			if full_service:
				return [organization_with_services(docs[n], n) for n in names if n in docs]
			return [organization_summary(docs[n]) for n in names if n in docs]

		return paginate(total, page, per_page, fetch)

	return build() if search else cached(f"organizations:{page}:{per_page}:{int(full_service)}", build)


def get_organization(id: str) -> dict:
	name, _parent = resolve("organization", id)
	doc = organization_documents([name]).get(name)
	if not doc:
		not_found()
	return organization_with_services(doc, name)


def organization_with_services(doc: dict, provider: str) -> dict:
	"""An organization with its published services (one-to-one fields) and their locations."""
	query, s = service_query(provider)
	names = query.select(s.name).orderby(s.service_name).limit(200).run(pluck=True)
	services = service_documents(names)
	doc = dict(doc)
	doc["services"] = [service_list_item(services[n]) for n in names if n in services]
	doc["locations"] = [
		sal["location"] for n in names if n in services for sal in services[n].get("service_at_locations", [])
	]
	return drop_empty(doc)


def child_page(doctype: str, page, per_page, build_item, key: str):
	"""A paginated list of the child rows (locations, schedules) of published services."""
	page, per_page = page_arguments(page, per_page)

	def build():
		s, p, t = frappe.qb.DocType("Service"), frappe.qb.DocType("Provider"), frappe.qb.DocType(doctype)
		query = (
			frappe.qb.from_(t)
			.join(s)
			.on((s.name == t.parent) & (t.parenttype == "Service"))
			.join(p)
			.on(p.name == s.provider)
			.where(published(s, p))
		)
		total = query.select(Count(t.name)).run()[0][0]

		def fetch(limit, offset):
			rows = (
				(query.select(t.name, t.parent).orderby(s.service_name).orderby(t.parent).orderby(t.idx))
				.limit(limit)
				.offset(offset)
				.run(as_dict=True)
			)
			docs = service_documents(list({r.parent for r in rows}))
			items = []
			for r in rows:
				if r.parent in docs:
					item = build_item(docs[r.parent], r.name)
					if item is not None:
						items.append(item)
			return items

		return paginate(total, page, per_page, fetch)

	return cached(f"{key}:{page}:{per_page}", build)


def service_at_location_in(service: dict, row: str) -> dict | None:
	sal_id = hsds_id("service_at_location", row)
	return next((sal for sal in service.get("service_at_locations", []) if sal["id"] == sal_id), None)


def schedule_in(service: dict, row: str) -> dict | None:
	schedule_id = hsds_id("schedule", row)
	for schedule in [
		*service.get("schedules", []),
		*(sch for sal in service.get("service_at_locations", []) for sch in sal.get("schedules", [])),
	]:
		if schedule["id"] == schedule_id:
			return schedule
	return None


def service_summary(service: dict) -> dict:
	return {k: service[k] for k in ("id", "organization_id", "name", "description", "status") if k in service}


def service_at_location_item(service: dict, row: str, full: bool = False) -> dict | None:
	sal = service_at_location_in(service, row)
	if sal is None:
		return None
	item = dict(sal, service=service_summary(service))
	if not full:
		item.pop("schedules", None)
	return item


def list_service_at_locations(page=1, per_page=None, full=None):
	full = flag(full)
	return child_page(
		"Service Location",
		page,
		per_page,
		lambda service, row: service_at_location_item(service, row, full),
		f"service_at_locations:{int(full)}",
	)


def get_service_at_location(id: str) -> dict:
	row, service = resolve("service_at_location", id)
	doc = service_documents([service]).get(service)
	item = doc and service_at_location_item(doc, row, full=True)
	if not item:
		not_found()
	return item


def location_item(service: dict, row: str) -> dict | None:
	sal = service_at_location_in(service, row)
	return None if sal is None else sal["location"]


def list_locations(page=1, per_page=None):
	return child_page("Service Location", page, per_page, location_item, "locations")


def get_location(id: str) -> dict:
	row, service = resolve("location", id)
	doc = service_documents([service]).get(service)
	item = doc and location_item(doc, row)
	if not item:
		not_found()
	return item


def list_schedules(page=1, per_page=None):
	return child_page("Service Schedule", page, per_page, schedule_in, "schedules")


def get_schedule(id: str) -> dict:
	row, service = resolve("schedule", id)
	doc = service_documents([service]).get(service)
	item = doc and schedule_in(doc, row)
	if not item:
		not_found()
	return item


def list_taxonomies(page=1, per_page=None):
	page, per_page = page_arguments(page, per_page)
	return paginate(1, page, per_page, lambda limit, offset: [taxonomy_document()][offset : offset + limit])


def get_taxonomy(id: str) -> dict:
	resolve("taxonomy", id)
	return taxonomy_document()


def list_taxonomy_terms(page=1, per_page=None, taxonomy_id=None, parent_id=None):
	page, per_page = page_arguments(page, per_page)
	if taxonomy_id and resolve_or_none("taxonomy", taxonomy_id)[0] is None:
		return paginate(0, page, per_page, None)
	parent = None
	if parent_id:
		parent = resolve_or_none("taxonomy_term", parent_id)[0]
		if parent is None:
			return paginate(0, page, per_page, None)

	def build():
		terms = list(cached("taxonomy_terms", lambda: taxonomy_term_documents()).values())
		if parent:
			parent_uuid = hsds_id("taxonomy_term", parent)
			terms = [t for t in terms if t.get("parent_id") == parent_uuid]
		return paginate(len(terms), page, per_page, lambda limit, offset: terms[offset : offset + limit])

	return build()


def get_taxonomy_term(id: str) -> dict:
	name, _parent = resolve("taxonomy_term", id)
	terms = cached("taxonomy_terms", lambda: taxonomy_term_documents())
	if name not in terms:
		not_found()
	return terms[name]


def api_information() -> dict:
	return {"version": HSDS_VERSION, "profile": "https://docs.openreferral.org/en/3.0/hsds/"}


# --- formatting


def hhmm(value) -> str:
	t = get_time(value)
	return f"{t.hour:02d}:{t.minute:02d}"


def iso_datetime(value) -> str | None:
	if not value:
		return None
	if not isinstance(value, datetime):
		value = datetime.fromisoformat(str(value))
	return value.replace(microsecond=0, tzinfo=ZoneInfo(get_system_timezone())).isoformat()


def plain_text(value: str | None) -> str | None:
	"""A Text Editor's HTML as plain text, paragraphs on their own lines."""
	if not value:
		return None
	text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</div>|</h\d>", "\n", value)
	text = html.unescape(strip_html(text))
	lines = [" ".join(line.split()) for line in text.splitlines()]
	return "\n".join(line for line in lines if line) or None


def document_lines(text: str | None) -> list[str]:
	"""Required documents, one per line or separated by semicolons."""
	parts = re.split(r"[\n;]+", text or "")
	return [p.strip(" -•\t") for p in parts if p.strip(" -•\t")]


def website(url: str | None) -> str | None:
	url = (url or "").strip()
	if not url:
		return None
	return url if re.match(r"(?i)^https?://", url) else f"https://{url}"


def drop_empty(doc: dict) -> dict:
	"""HSDS fields are typed: a value we do not have is left out, not null (except in extensions)."""
	return {k: v for k, v in doc.items() if v not in (None, "", []) or k.startswith("x_tolink_")}


def today_weekday() -> str:
	return WEEKDAYS[getdate(today()).weekday()]
