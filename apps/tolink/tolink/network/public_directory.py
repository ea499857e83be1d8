"""The page "Trova un servizio" (tolink/www/trova-un-servizio): the public directory for the people
who need a service, without login, in the city's main languages.

It searches the services tolink.network.hsds publishes (Active, of active organisations) by need
(a Need Category and its sub-needs), district (services for the whole city included), words and
"open today", and shows each with the public fields hsds publishes, nothing else. The results of a
query are cached for a minute under the directory's cache generation (a change to the directory shows
at once); only known needs and districts are used as filters, anything else sent is ignored.
"""

import frappe
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import cint, cstr, getdate, today

from tolink.network import hsds
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS
from tolink.network.eligibility import FindInSet, format_eur

PAGE_SIZE = 20
RESULTS_SECONDS = 60
# the page's languages, each named in itself; Italian first (the default)
LANGUAGES = {
	"it": "Italiano",
	"en": "English",
	"fr": "Français",
	"ar": "العربية",
	"ro": "Română",
	"zh": "中文",
}
DEFAULT_LANGUAGE = "it"
RIGHT_TO_LEFT = frozenset({"ar"})
ROOT_NEED = "All Needs"


def page_language(requested: str | None, current: str | None) -> str:
	"""The language of the page: the one asked for (?lang=), else the visitor's (Frappe's choice:
	?_lang=, the preferred_language cookie, the browser's Accept-Language), if the page has it."""
	for candidate in (requested, current):
		code = cstr(candidate).strip().lower().replace("_", "-")
		for code_ in (code, code.split("-")[0]):
			if code_ in LANGUAGES:
				return code_
	return DEFAULT_LANGUAGE


def needs() -> list[dict]:
	"""The needs to choose from: the tree under the root, in order, with their depth."""

	def build():
		rows = frappe.get_all(
			"Need Category",
			fields=["name", "parent_need_category", "lft", "rgt"],
			order_by="lft asc",
		)
		depth, stack, out = {}, [], []
		for r in rows:
			while stack and stack[-1][1] < r.lft:
				stack.pop()
			depth[r.name] = len(stack)
			stack.append((r.name, r.rgt))
			if r.name != ROOT_NEED:
				out.append({"name": r.name, "depth": max(depth[r.name] - 1, 0)})
		return out

	return hsds.cached("page:needs", build)


def districts() -> list[dict]:
	return hsds.cached(
		"page:districts",
		lambda: frappe.get_all("District", fields=["name", "district_name"], order_by="district_number asc"),
	)


def search(
	need: str | None = None,
	district: str | None = None,
	text: str | None = None,
	open_today: bool | int | str | None = False,
	page: int | str = 1,
) -> dict:
	"""The page's results: {total, page, pages, services, query}, cached for a minute."""
	query = normalise(need, district, text, open_today, page)
	key = "page:results:{need}:{district}:{open_today}:{page}:{day}:{text}".format(day=today(), **query)
	results = frappe.cache.get_value(f"tolink:hsds:{hsds.generation()}:{key}")
	if results is None:
		results = find(**query)
		frappe.cache.set_value(
			f"tolink:hsds:{hsds.generation()}:{key}", results, expires_in_sec=RESULTS_SECONDS
		)
	return results


def normalise(need, district, text, open_today, page) -> dict:
	"""Only known needs and districts; words cut to 100 characters; page from 1."""
	need = cstr(need).strip() if isinstance(need, str) else ""
	if need not in {n["name"] for n in needs()}:
		need = ""
	district = cstr(district).strip() if isinstance(district, str) else ""
	if district not in {d["name"] for d in districts()}:
		district = ""
	return {
		"need": need,
		"district": district,
		"text": hsds.text_argument(text),
		"open_today": int(hsds.flag(open_today) or cstr(open_today) == "on"),
		"page": max(1, min(cint(page) if isinstance(page, str | int) else 1, 10**6)),
	}


def find(need: str, district: str, text: str, open_today: int, page: int) -> dict:
	weekday = WEEKDAYS[getdate(today()).weekday()]
	query, s = hsds.service_query(needs=hsds.need_subtree(need) if need else None, search=text)
	if district:
		query = query.where(
			(Coalesce(s.district_list, "") == "") | (FindInSet(district, s.district_list) > 0)
		)
	if open_today:
		query = query.where(FindInSet(weekday, s.open_days) > 0)
	total = query.select(Count(s.name)).run()[0][0]
	pages = max(1, -(-total // PAGE_SIZE))
	page = min(page, pages)
	names = (
		query.select(s.name)
		.orderby(s.service_name)
		.orderby(s.name)
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE)
		.run(pluck=True)
		if total
		else []
	)
	docs = hsds.service_documents(names)
	return {
		"total": total,
		"page": page,
		"pages": pages,
		"weekday": weekday,
		"services": [card(docs[n], weekday) for n in names if n in docs],
	}


def card(doc: dict, weekday: str) -> dict:
	"""What the page shows of a service (from its published HSDS document)."""
	places = []
	for sal in doc.get("service_at_locations", []):
		location = sal["location"]
		address = (location.get("addresses") or [{}])[0].get("address_1")
		places.append(
			{
				"name": location.get("name"),
				"address": address,
				"district": (location.get("x_tolink_district") or {}).get("name"),
				"accessible": bool(location.get("accessibility")),
				"phone": (location.get("phones") or [{}])[0].get("number"),
				"hours": hours(sal.get("schedules", [])),
			}
		)
	every = doc.get("schedules", []) + [
		sch for sal in doc.get("service_at_locations", []) for sch in sal.get("schedules", [])
	]
	code = hsds.BYDAY[weekday]
	today_hours = sorted(f"{sch['opens_at']}-{sch['closes_at']}" for sch in every if sch.get("byday") == code)
	return {
		"id": doc["id"],
		"name": doc["name"],
		"organization": doc["organization"]["name"],
		"description": doc.get("description"),
		"how_to_apply": doc.get("application_process"),
		"eligibility_description": doc.get("eligibility_description"),
		"required_documents": [d["document"] for d in doc.get("required_documents", [])],
		"phone": (doc.get("phones") or [{}])[0].get("number"),
		"email": doc.get("email"),
		"needs": [a["taxonomy_term"]["name"] for a in doc.get("attributes", []) if a.get("taxonomy_term")],
		"areas": [
			area["name"] for area in doc.get("service_areas", []) if area.get("extent_type") == "district"
		],
		"places": places,
		"hours": hours(doc.get("schedules", [])),
		"has_hours": bool(every),
		"today": today_hours,
		"rules": rules(doc.get("x_tolink_eligibility") or {}),
	}


def hours(schedules: list[dict]) -> list[dict]:
	"""Opening hours by weekday, Monday first: [{weekday, hours: ["09:00-12:30", ...]}]."""
	by_day: dict[str, list[str]] = {}
	codes = {code: day for day, code in hsds.BYDAY.items()}
	for sch in schedules:
		day = codes.get(sch.get("byday"))
		if day:
			by_day.setdefault(day, []).append(f"{sch['opens_at']}-{sch['closes_at']}")
	return [{"weekday": day, "hours": sorted(by_day[day])} for day in WEEKDAYS if day in by_day]


def rules(x: dict) -> dict:
	"""The machine-readable eligibility rules, for the page to say in the visitor's language."""
	return {
		"min_age": x.get("min_age"),
		"max_age": x.get("max_age"),
		"max_isee": format_eur(x["max_isee_eur"]) if x.get("max_isee_eur") else None,
		"min_household_size": x.get("min_household_size"),
		"max_household_size": x.get("max_household_size"),
		"residency": bool(x.get("residency_in_turin_required")),
	}


def helpline() -> str | None:
	"""The public helpline number (To Link Settings), shown on the page."""
	return frappe.db.get_single_value("To Link Settings", "public_helpline") or None
