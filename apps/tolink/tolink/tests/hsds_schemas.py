"""Validation against the official Open Referral HSDS 3.0 JSON schemas (tests/fixtures/hsds, copied
from the specification's repository: see the README there)."""

import functools
import json
import os

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "hsds")
# the schemas' own address: openapi.json refers to them by it
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
COMPILED = ("service_list.json", "organization_list.json", "service_at_location_list.json")
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")


def load(name: str) -> dict:
	with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
		return json.load(f)


@functools.cache
def registry() -> Registry:
	resources = []
	for name in sorted(os.listdir(FIXTURES)):
		if not name.endswith(".json") or name == "openapi.json":
			continue
		uri = BASE + ("compiled/" if name in COMPILED else "") + name
		resources.append((uri, Resource.from_contents(load(name), default_specification=DRAFT202012)))
	return Registry().with_resources(resources)


@functools.cache
def validator(schema: str) -> Draft202012Validator:
	"""A validator of the HSDS object `schema` (e.g. "service.json", "compiled/service_list.json")."""
	return Draft202012Validator(
		{"$ref": BASE + schema}, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
	)


@functools.cache
def page_validator() -> Draft202012Validator:
	"""The API's paginated response (openapi.json: components.schemas.Page), every field required."""
	page = dict(load("openapi.json")["components"]["schemas"]["Page"])
	page["properties"] = {**page["properties"], "contents": {"type": "array"}}
	page["required"] = [*PAGE_FIELDS, "contents"]
	return Draft202012Validator(page)


def errors(document, schema: str) -> list[str]:
	return [
		f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema).iter_errors(document)
	]


def page_errors(page: dict, item_schema: str) -> list[str]:
	found = [f"page: {e.message}" for e in page_validator().iter_errors(page)]
	for i, item in enumerate(page.get("contents") or []):
		found += [f"contents/{i}/{e}" for e in errors(item, item_schema)]
	return found


def keys(document) -> set[str]:
	"""Every key anywhere in a JSON document."""
	if isinstance(document, dict):
		return set(document) | {k for v in document.values() for k in keys(v)}
	if isinstance(document, list):
		return {k for v in document for k in keys(v)}
	return set()
