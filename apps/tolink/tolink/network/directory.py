"""The network directory: search services by need, district and openness today (the Service
Directory report, and tolink.api.partner.search_services, which checks the caller may read
services)."""

import frappe
from frappe.utils import cint, get_time, getdate, today

from tolink.network.doctype.service.service import TAKING_REFERRALS
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS


def search_services(
	need_category: str | None = None,
	district: str | None = None,
	open_today: bool | int | str | None = False,
	text: str | None = None,
	limit: int = 50,
) -> list[dict]:
	"""Active services answering the need (or one of its sub-needs), serving the district (or the
	whole city), optionally open today; a fixed number of queries whatever the results."""
	limit = max(1, min(cint(limit) or 50, 500))
	filters = {"status": "Active"}
	if text:
		filters["service_name"] = ("like", f"%{text}%")
	names = None
	if need_category:
		names = set(services_by_need([need_category]).get(need_category, []))
	if district:
		served = services_serving_district(district)
		names = served if names is None else names & served
	weekday = WEEKDAYS[getdate(today()).weekday()]
	if cint(open_today):
		open_now = services_with_schedule_on(weekday, names)
		names = open_now if names is None else names & open_now
	if names is not None:
		if not names:
			return []
		filters["name"] = ("in", sorted(names))
	rows = frappe.get_list(
		"Service",
		filters=filters,
		fields=["name", "service_name", "provider", "how_to_apply", "capacity", "capacity_used"],
		order_by="service_name asc",
		limit_page_length=limit,
	)
	if not rows:
		return []
	found = [r.name for r in rows]
	needs = child_values("Service Need Category", "need_category", found)
	districts = child_values("Service District", "district", found)
	hours = todays_hours(found, weekday)
	for r in rows:
		r["need_categories"] = needs.get(r.name, [])
		r["districts"] = districts.get(r.name, [])
		r["today_hours"] = hours.get(r.name, [])
		r["open_today"] = bool(r["today_hours"])
	return rows


def services_serving_district(district: str) -> set[str]:
	"""Services listing the district, plus those with no district (the whole city)."""
	sd = frappe.qb.DocType("Service District")
	service = frappe.qb.DocType("Service")
	listing = frappe.qb.from_(sd).select(sd.parent).where(sd.parenttype == "Service")
	with_district = set(listing.where(sd.district == district).run(pluck=True))
	any_district = frappe.qb.from_(sd).select(sd.parent).where(sd.parenttype == "Service")
	whole_city = set(
		frappe.qb.from_(service)
		.select(service.name)
		.where((service.status == "Active") & service.name.notin(any_district))
		.run(pluck=True)
	)
	return with_district | whole_city


def services_with_schedule_on(weekday: str, among: set[str] | None = None) -> set[str]:
	sch = frappe.qb.DocType("Service Schedule")
	query = (
		frappe.qb.from_(sch)
		.select(sch.parent)
		.distinct()
		.where((sch.parenttype == "Service") & (sch.weekday == weekday))
	)
	if among is not None:
		if not among:
			return set()
		query = query.where(sch.parent.isin(sorted(among)))
	return set(query.run(pluck=True))


def child_values(doctype: str, field: str, parents: list[str]) -> dict[str, list[str]]:
	t = frappe.qb.DocType(doctype)
	out: dict[str, list[str]] = {}
	for parent, value in (
		frappe.qb.from_(t)
		.select(t.parent, t[field])
		.where((t.parenttype == "Service") & t.parent.isin(parents))
		.orderby(t.idx)
		.run()
	):
		out.setdefault(parent, []).append(value)
	return out


def format_time(value) -> str:
	"""A TIME column (timedelta) as HH:MM."""
	t = get_time(value)
	return f"{t.hour:02d}:{t.minute:02d}"


def todays_hours(parents: list[str], weekday: str) -> dict[str, list[str]]:
	sch = frappe.qb.DocType("Service Schedule")
	out: dict[str, list[str]] = {}
	for parent, opens, closes, location in (
		frappe.qb.from_(sch)
		.select(sch.parent, sch.opens_at, sch.closes_at, sch.location_name)
		.where((sch.parenttype == "Service") & sch.parent.isin(parents) & (sch.weekday == weekday))
		.orderby(sch.opens_at)
		.run()
	):
		hours = f"{format_time(opens)}-{format_time(closes)}"
		out.setdefault(parent, []).append(f"{hours} {location}".strip() if location else hours)
	return out


def need_subtrees(need_categories: list[str]) -> dict[str, list[str]]:
	"""Each need category with its sub-categories (the tree is small: one query)."""
	b = frappe.qb.DocType("Need Category").as_("b")
	sub = frappe.qb.DocType("Need Category").as_("sub")
	rows = (
		frappe.qb.from_(b)
		.join(sub)
		.on((sub.lft >= b.lft) & (sub.rgt <= b.rgt))
		.select(b.name, sub.name)
		.where(b.name.isin(list(need_categories)))
		.run()
	)
	subtrees: dict[str, list[str]] = {}
	for need, child in rows:
		subtrees.setdefault(need, []).append(child)
	return subtrees


def services_by_need(need_categories: list[str]) -> dict[str, list[str]]:
	"""Active services answering each need category or one of its sub-categories (two queries)."""
	if not need_categories:
		return {}
	nc = frappe.qb.DocType("Need Category")
	bounds = (
		frappe.qb.from_(nc)
		.select(nc.name, nc.lft, nc.rgt)
		.where(nc.name.isin(need_categories))
		.run(as_dict=True)
	)
	if not bounds:
		return {}
	sub = frappe.qb.DocType("Need Category").as_("sub")
	snc = frappe.qb.DocType("Service Need Category")
	service = frappe.qb.DocType("Service")
	condition = None
	for b in bounds:
		c = (sub.lft >= b.lft) & (sub.rgt <= b.rgt)
		condition = c if condition is None else condition | c
	rows = (
		frappe.qb.from_(snc)
		.join(sub)
		.on(sub.name == snc.need_category)
		.join(service)
		.on(service.name == snc.parent)
		.select(snc.parent.as_("service"), sub.lft, sub.rgt)
		.where((snc.parenttype == "Service") & service.status.isin(TAKING_REFERRALS) & condition)
		.run(as_dict=True)
	)
	result: dict[str, list[str]] = {b.name: [] for b in bounds}
	for b in bounds:
		seen = result[b.name]
		for r in rows:
			if b.lft <= r.lft and r.rgt <= b.rgt and r.service not in seen:
				seen.append(r.service)
	return result
