"""The public directory over HTTP, as a Guest: the HSDS 3.0 API and the page /trova-un-servizio
(filters, languages, a new service shown at once, no Desk), and the page in Chromium on a phone with
an accessibility check (labels, alt text, contrast, keyboard)."""

import os

import frappe
import requests
from frappe.utils import getdate, today

from tolink.devtools.factories import make_service
from tolink.devtools.live_server import LOG_DIR, api_url, site_headers
from tolink.devtools.wait import eventually
from tolink.network import hsds
from tolink.network.doctype.service_schedule.service_schedule import WEEKDAYS
from tolink.tests import hsds_schemas
from tolink.tests.e2e.browser import BrowserTestCase
from tolink.tests.e2e.case import LiveServerTestCase

# names of fields about people (and the network's internals): none may appear in a public answer
PERSONAL_FIELDS = {
	"citizen",
	"citizen_name",
	"codice_fiscale",
	"first_name",
	"last_name",
	"birth_date",
	"household",
	"isee_value",
	"referral",
	"user",
	"owner",
	"modified_by",
	"coordinator",
	"tax_id",
	"capacity",
	"capacity_used",
	"notes",
	"note",
}
LISTS = (
	("hsds_services", "compiled/service_list.json"),
	("hsds_organizations", "compiled/organization_list.json"),
	("hsds_locations", "location.json"),
	("hsds_schedules", "schedule.json"),
	("hsds_service_at_locations", "compiled/service_at_location_list.json"),
	("hsds_taxonomies", "taxonomy.json"),
	("hsds_taxonomy_terms", "taxonomy_term.json"),
)
HELPLINE = "800 123 456"


def set_helpline(value):
	frappe.db.set_single_value("To Link Settings", "public_helpline", value)
	frappe.db.commit()


class PublicDirectoryData:
	@classmethod
	def make_directory(cls):
		weekday = getdate(today()).weekday()
		cls.today, cls.other_day = WEEKDAYS[weekday], WEEKDAYS[(weekday + 1) % 7]
		s = cls.s
		cls.parcels = make_service(
			cls.org,
			needs=("Food parcels",),
			districts=("6",),
			service_name=f"Panieri {s}",
			how_to_apply=f"Telefonare prima {s}",
			max_isee=6000,
			locations=[{"location_name": "Sede", "address": "Via Como 12, 10152 Torino", "district": "6"}],
			schedules=[
				{"location_name": "Sede", "weekday": cls.today, "opens_at": "09:00", "closes_at": "12:30"}
			],
		)
		cls.canteen = make_service(
			cls.org,
			needs=("Canteens",),
			service_name=f"Mensa {s}",
			schedules=[{"weekday": cls.other_day, "opens_at": "18:00", "closes_at": "20:00"}],
		)
		cls.housing = make_service(
			cls.org, needs=("Rent support",), districts=("2",), service_name=f"Casa {s}"
		)
		cls.suspended = make_service(
			cls.org, needs=("Canteens",), service_name=f"Sospeso {s}", status="Suspended"
		)
		cls.helpline_before = frappe.db.get_single_value("To Link Settings", "public_helpline")
		set_helpline(HELPLINE)
		hsds.invalidate()
		frappe.db.commit()

	@classmethod
	def restore_helpline(cls):
		set_helpline(cls.helpline_before)


class TestPublicDirectoryOverHTTP(PublicDirectoryData, LiveServerTestCase):
	roles = {"admin": ["Network Administrator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.make_directory()
		cls.addClassCleanup(cls.restore_helpline)
		cls.base = api_url()

	def guest(self, path: str, **params) -> requests.Response:
		return requests.get(
			self.base + path, params=params, headers=site_headers(), timeout=60, allow_redirects=False
		)

	def method(self, name: str, **params):
		r = self.guest(f"/api/method/tolink.api.public.{name}", **params)
		self.assertEqual(r.status_code, 200, r.text[:500])
		return r.json()["message"]

	def page(self, **params) -> str:
		r = self.guest("/trova-un-servizio", **{"q": self.s, **params})
		self.assertEqual(r.status_code, 200, r.text[:500])
		return r.text

	def test_hsds_answers_guests_with_no_personal_data(self):
		org_id = hsds.hsds_id("organization", self.org)
		for name, schema in LISTS:
			params = {"organization_id": org_id, "full": 1} if name == "hsds_services" else {"per_page": 100}
			page = self.method(name, **params)
			self.assertEqual(
				hsds_schemas.page_errors(page, "service.json" if "full" in params else schema), [], name
			)
			self.assertEqual(hsds_schemas.keys(page) & PERSONAL_FIELDS, set(), name)
		services = self.method("hsds_services", organization_id=org_id)["contents"]
		self.assertEqual(
			{s["name"] for s in services}, {f"Panieri {self.s}", f"Mensa {self.s}", f"Casa {self.s}"}
		)
		one = self.method("hsds_service", id=hsds.hsds_id("service", self.parcels.name))
		self.assertEqual(hsds_schemas.errors(one, "service.json"), [])
		self.assertEqual(one["x_tolink_eligibility"]["max_isee_eur"], 6000.0)
		self.assertEqual(hsds_schemas.keys(one) & PERSONAL_FIELDS, set())
		# not published: 404, the same for a suspended service and an id that never existed
		for id in (hsds.hsds_id("service", self.suspended.name), "not-a-uuid"):
			r = self.guest("/api/method/tolink.api.public.hsds_service", id=id)
			self.assertEqual(r.status_code, 404, r.text[:300])
		capped = self.method("hsds_taxonomy_terms", per_page=100000)
		self.assertLessEqual(capped["size"], hsds.MAX_PER_PAGE)

	def test_one_address_cannot_flood_a_public_endpoint(self):
		"""Past its share a minute an address gets 429 from that endpoint, and only from it."""
		from frappe.installer import update_site_config

		update_site_config("tolink_public_rate_limit", 5)
		self.addCleanup(update_site_config, "tolink_public_rate_limit", None)
		for cmd in ("hsds_schedules", "hsds_locations"):  # what other tests called this minute
			frappe.cache.delete_value(f"rl:tolink.api.public.{cmd}:127.0.0.1")
		statuses = [self.guest("/api/method/tolink.api.public.hsds_schedules").status_code for _ in range(7)]
		self.assertEqual(statuses[:5], [200] * 5, statuses)
		self.assertEqual(statuses[5:], [429, 429], statuses)
		# another endpoint still answers: the share is per endpoint
		self.assertEqual(self.guest("/api/method/tolink.api.public.hsds_locations").status_code, 200)

	def test_the_page_filters_by_need_district_and_open_today(self):
		html = self.page()
		for name in (f"Panieri {self.s}", f"Mensa {self.s}", f"Casa {self.s}"):
			self.assertIn(name, html)
		self.assertNotIn(f"Sospeso {self.s}", html)
		self.assertIn(f"Telefonare prima {self.s}", html)
		self.assertIn("Via Como 12, 10152 Torino", html)
		self.assertIn("09:00-12:30", html)
		self.assertIn(HELPLINE, html)
		self.assertIn("ISEE fino a 6.000 €", html)
		self.assertIn('<html lang="it" dir="ltr">', html)
		food = self.page(need="Food")
		self.assertIn(f"Panieri {self.s}", food)
		self.assertNotIn(f"Casa {self.s}", food)
		district = self.page(district="2")
		self.assertIn(f"Casa {self.s}", district)
		self.assertIn(f"Mensa {self.s}", district)
		self.assertNotIn(f"Panieri {self.s}", district)
		open_today = self.page(open_today="1")
		self.assertIn(f"Panieri {self.s}", open_today)
		self.assertNotIn(f"Mensa {self.s}", open_today)
		# hostile parameters: ignored, still the page
		self.assertIn(f"Panieri {self.s}", self.page(need="<script>", district="' or 1=1", page="-3"))
		self.assertNotIn("<script>", self.page(q="<script>alert(1)</script>"))
		# no Desk links, no personal data
		self.assertNotIn("/app", html)

	def test_languages(self):
		arabic = self.page(lang="ar")
		self.assertIn('<html lang="ar" dir="rtl">', arabic)
		self.assertIn("ابحث عن خدمة", arabic)
		self.assertIn(f"Panieri {self.s}", arabic)  # names stay as written
		for lang, title in (
			("en", "Find a service"),
			("fr", "Trouver un service"),
			("ro", "Găsește un serviciu"),
		):
			self.assertIn(f"<h1>{title}</h1>", self.page(lang=lang), lang)
		self.assertIn("<h1>查找服务</h1>", self.page(lang="zh"))
		# Frappe's own way of asking (?_lang=) and the browser's language work too
		self.assertIn('dir="rtl"', self.page(_lang="ar"))
		r = requests.get(
			self.base + "/trova-un-servizio",
			headers={**site_headers(), "Accept-Language": "fr-FR,fr;q=0.9"},
			timeout=60,
		)
		self.assertIn("<h1>Trouver un service</h1>", r.text)

	def test_guests_reach_the_page_and_not_desk(self):
		self.assertEqual(self.guest("/trova-un-servizio").status_code, 200)
		desk = self.guest("/app")
		self.assertIn(desk.status_code, (301, 302, 303))
		self.assertIn("/login", desk.headers.get("Location", ""))
		self.assertEqual(self.guest("/api/resource/Service").status_code, 403)

	def test_a_new_service_shows_at_once(self):
		self.page()  # cached
		admin = self.client("admin")
		name = f"Nuovo sportello {self.s}"
		created = admin.insert(
			{
				"doctype": "Service",
				"service_name": name,
				"provider": self.org,
				"status": "Active",
				"need_categories": [{"need_category": "Job search"}],
			}
		)
		eventually(lambda: name in self.page(), timeout=60, message="the new service on the page")
		services = self.method("hsds_services", search=self.s)["contents"]
		self.assertIn(name, {s["name"] for s in services})
		admin.update("Service", created["name"], {"status": "Suspended"})
		eventually(lambda: name not in self.page(), timeout=60, message="the suspended service gone")


# the page's accessibility, computed in the browser
A11Y_SCRIPT = """() => {
	const problems = [];
	for (const el of document.querySelectorAll('input, select, textarea, button')) {
		if (el.type === 'hidden') continue;
		const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`))
			|| el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
			|| (el.tagName === 'BUTTON' && el.textContent.trim());
		if (!labelled) problems.push('no label: ' + (el.id || el.name || el.outerHTML.slice(0, 60)));
	}
	for (const img of document.querySelectorAll('img')) {
		if (!img.hasAttribute('alt')) problems.push('no alt: ' + img.src);
	}
	const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
	const lum = ([r, g, b]) => {
		const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
	};
	const background = (el) => {
		for (let e = el; e; e = e.parentElement) {
			const c = rgb(getComputedStyle(e).backgroundColor);
			if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
		}
		return [255, 255, 255];
	};
	let checked = 0;
	for (const el of document.querySelectorAll('body *')) {
		const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
		const style = getComputedStyle(el);
		if (!text || style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
		if (el.classList.contains('skip')) continue;  // off screen until focused
		const a = lum(rgb(style.color).slice(0, 3)), b = lum(background(el));
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
		const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
		checked++;
		if (ratio < needed) problems.push(`contrast ${ratio.toFixed(2)} < ${needed}: ${el.tagName} "${el.textContent.trim().slice(0, 40)}"`);
	}
	const overflow = document.documentElement.scrollWidth > window.innerWidth + 1;
	if (overflow) problems.push('wider than the screen: ' + document.documentElement.scrollWidth);
	return {problems, checked};
}"""


class TestPublicDirectoryInBrowser(PublicDirectoryData, BrowserTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from tolink.devtools.factories import make_provider, uid

		frappe.set_user("Administrator")
		cls.s = uid()
		cls.org = make_provider(f"Browser Directory {cls.s}")
		cls.make_directory()
		cls.addClassCleanup(cls.restore_helpline)
		cls.start_browser()
		cls.page.set_viewport_size({"width": 390, "height": 844})

	def test_on_a_phone_accessible_and_usable_by_keyboard(self):
		with self.screenshot_on_failure():
			self.check_page()

	def check_page(self):
		page = self.page
		for lang in ("it", "ar"):
			page.goto(f"{self.base}/trova-un-servizio?lang={lang}&q={self.s}")
			self.assertIn(f"Panieri {self.s}", page.inner_text("#results"))
			result = page.evaluate(A11Y_SCRIPT)
			self.assertGreater(result["checked"], 20)
			self.assertEqual(result["problems"], [], lang)
		self.assertEqual(page.evaluate("document.documentElement.dir"), "rtl")
		# keyboard: Tab reaches the search button through the form's fields, in order; Enter submits
		page.goto(f"{self.base}/trova-un-servizio")
		order = []
		for _ in range(40):
			page.keyboard.press("Tab")
			focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
			order.append(focused)
			if focused == "search-button":
				break
		self.assertEqual(order[-1], "search-button", order)
		fields = [f for f in order if f in ("need", "district", "q", "open_today", "search-button")]
		self.assertEqual(fields, ["need", "district", "q", "open_today", "search-button"])
		page.focus("#q")
		page.keyboard.type(f"Mensa {self.s}")
		with page.expect_navigation():
			page.keyboard.press("Enter")
		self.assertIn(f"q=Mensa+{self.s}", page.url)
		self.assertIn(f"Mensa {self.s}", page.inner_text("#results"))
		self.assertNotIn(f"Panieri {self.s}", page.inner_text("#results"))
		self.assertEqual(page.evaluate("document.querySelectorAll('a[href^=\"/app\"]').length"), 0)
		page.screenshot(path=os.path.join(LOG_DIR, "test-public-directory-phone.png"), full_page=True)
