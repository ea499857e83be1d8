"""The workspaces' number cards and charts over HTTP, called as Desk calls them: each organisation's
user reads its own figures and never the other's, a role that does not read the doctype is refused,
and Frappe's own card and chart methods stay refused on the same personal data."""

import json

import frappe

from tolink.devtools.factories import make_provider
from tolink.devtools.rest import Client, make_user
from tolink.tests.e2e.case import LiveServerTestCase
from tolink.tests.test_dashboards import make_dashboard_records

CARD = "/api/method/tolink.api.desk.{}"
STAFF = ["Case Manager", "Reception Operator", "Provider Staff", "Hub Manager"]


class TestDashboardsOverREST(LiveServerTestCase):
	roles = {"staff": STAFF, "psychologist": ["Psychologist"], "approver": ["Voucher Approver"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.org_b = make_provider(f"Cruscotto B {s}")
		cls.staff_b = make_user(f"staff-b-{s}@dashboards.test", STAFF, cls.org_b)
		cls.expected = {
			"a": make_dashboard_records(cls.org, cls.org_b, cls.users["staff"], 2),
			"b": make_dashboard_records(cls.org_b, cls.org, cls.staff_b, 3),
		}
		frappe.db.commit()

	def card(self, client: Client, method: str):
		# as Desk's number card widget sends it: the card's filters (none)
		return client.request("POST", CARD.format(method), data={"filters": "[]"})

	def test_each_organisation_reads_its_own_figures(self):
		clients = {"a": self.client("staff"), "b": Client(self.staff_b)}
		for key, client in clients.items():
			for method, value in self.expected[key].items():
				with self.subTest(organisation=key, card=method):
					r = self.card(client, method)
					self.assertEqual(r.status_code, 200, r.text[:300])
					self.assertEqual(r.json()["message"]["value"], value)

	def test_charts_answer_as_desk_asks(self):
		c = self.client("staff")
		for method, chart in (
			("chart_referrals_by_status", "Referrals by Status"),
			("chart_deliveries_per_week", "Deliveries per Week"),
		):
			with self.subTest(chart=chart):
				# Desk's chart widget: the chart's document, its source's script, then the method
				self.assertEqual(c.getdoc("Dashboard Chart", chart)[0]["name"], chart)
				r = c.request(
					"POST",
					"/api/method/frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config",
					data={"name": chart},
				)
				self.assertEqual(r.status_code, 200, r.text[:300])
				self.assertIn(f"tolink.api.desk.{method}", r.json()["message"])
				args = {
					"chart_name": chart,
					"filters": "[]",
					"refresh": 1,
					"time_interval": "",
					"timespan": "",
				}
				r = c.request("POST", CARD.format(method), data=args)
				self.assertEqual(r.status_code, 200, r.text[:300])
				self.assertEqual(
					len(r.json()["message"]["labels"]), len(r.json()["message"]["datasets"][0]["values"])
				)
		# the referrals of A (sent to it by B, and by it to B): B's are the other side of the same
		by_status = self.client("staff").get("tolink.api.desk.chart_referrals_by_status")
		# in Italian, as the user reads it
		values = dict(zip(by_status["labels"], by_status["datasets"][0]["values"], strict=True))
		self.assertEqual(values[frappe._("Sent", lang="it")], 5)

	def test_cards_load_in_desk(self):
		c = self.client("staff")
		for name in ("Intakes Today", "Overdue Referrals to Answer", "Deliveries This Week"):
			with self.subTest(card=name):
				self.assertEqual(c.getdoc("Number Card", name)[0]["method"].split(".")[0], "tolink")

	def test_a_role_without_access_is_refused(self):
		refused = {
			"psychologist": (
				"card_todays_intakes",
				"card_my_caseload",
				"card_stock_at_risk",
				"chart_referrals_by_status",
			),
			"approver": ("card_todays_intakes", "card_callbacks_due_today", "card_deliveries_this_week"),
		}
		for who, methods in refused.items():
			for method in methods:
				with self.subTest(role=who, card=method):
					self.assertEqual(self.card(self.client(who), method).status_code, 403)

	def test_frappes_card_and_chart_methods_stay_refused(self):
		c = self.client("staff")
		for doctype in ("Referral", "Intake", "Parcel Delivery", "Welfare Plan"):
			with self.subTest(doctype=doctype):
				card = {"function": "Count", "document_type": doctype, "type": "Document Type"}
				r = c.request(
					"POST",
					"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
					data={"doc": json.dumps(card), "filters": "[]"},
				)
				self.assertEqual(r.status_code, 403, r.text[:300])
		# our own Custom cards and charts through Frappe's methods: refused too
		card = {"type": "Custom", "method": "tolink.api.desk.card_todays_intakes", "document_type": "Intake"}
		r = c.request(
			"POST",
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			data={"doc": json.dumps(card), "filters": "[]"},
		)
		self.assertEqual(r.status_code, 403, r.text[:300])
		r = c.request(
			"POST",
			"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			data={"chart_name": "Referrals by Status", "filters": "[]"},
		)
		self.assertEqual(r.status_code, 403, r.text[:300])
