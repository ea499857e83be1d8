"""/trova-un-servizio: the public directory page (no login). Server-rendered from the published
directory (tolink.network.public_directory, cached), in the visitor's language."""

from urllib.parse import urlencode

import frappe

from tolink.network import public_directory as directory

# the answer depends on the query and the language: Frappe's page cache (per path) must not keep it
no_cache = 1
ROUTE = "/trova-un-servizio"


def get_context(context):
	form = frappe.form_dict
	requested = form.get("lang") if isinstance(form.get("lang"), str) else None
	lang = directory.page_language(requested, frappe.local.lang)
	if requested and requested.strip().lower() == lang and getattr(frappe.local, "cookie_manager", None):
		# remembered as Frappe remembers a guest's language
		frappe.local.cookie_manager.set_cookie("preferred_language", lang)
	frappe.local.lang = lang
	results = directory.search(
		form.get("need"), form.get("district"), form.get("q"), form.get("open_today"), form.get("page") or 1
	)
	query = directory.normalise(
		form.get("need"), form.get("district"), form.get("q"), form.get("open_today"), 1
	)
	helpline = directory.helpline()
	context.update(
		{
			"lang": lang,
			"direction": "rtl" if lang in directory.RIGHT_TO_LEFT else "ltr",
			"query": query,
			"results": results,
			"needs": directory.needs(),
			"districts": directory.districts(),
			"helpline": helpline,
			"helpline_tel": "".join(c for c in helpline or "" if c.isdigit() or c == "+"),
			"languages": [
				{"code": code, "name": name, "current": code == lang, "url": url(query, lang=code)}
				for code, name in directory.LANGUAGES.items()
			],
			"previous_url": url(query, lang=lang, page=results["page"] - 1) if results["page"] > 1 else None,
			"next_url": url(query, lang=lang, page=results["page"] + 1)
			if results["page"] < results["pages"]
			else None,
			"hsds_url": "/api/method/tolink.api.public.hsds_services",
		}
	)
	return context


def url(query: dict, **changes) -> str:
	"""This page with the same search, some parameters changed."""
	params = {
		"need": query["need"],
		"district": query["district"],
		"q": query["text"],
		"open_today": query["open_today"] or "",
		**changes,
	}
	if params.get("page") == 1:
		params.pop("page")
	return ROUTE + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})
