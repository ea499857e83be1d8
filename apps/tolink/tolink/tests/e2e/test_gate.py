"""The request gate over HTTP (tolink.permissions.gate): deny by default, as several roles.

Organisation A registers a person, a household and a voucher; staff of organisation B, a hub
volunteer of B and a merchant try the ways the issue found to reach them: methods off the
allowlist, SQL in `fields`, string filters, link search with its switches, server-owned fields,
and telling "not yours" from "not there".
"""

import json
import re

import frappe

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.rest import Client, make_api_key, make_user
from tolink.devtools.vouchers import issue, make_consent, make_programme, make_shop
from tolink.tests.e2e.case import LiveServerTestCase


def body(response) -> str:
	"""The answer without Frappe's random id of the error (the same for every answer)."""
	return re.sub(r"__frappe_exc_id[^,}]*", "", response.text)


def messages(response) -> str:
	"""The messages of an answer, decoded."""
	data = response.json()
	out = [error.get("message", "") for error in data.get("errors") or []]  # API v2
	for message in json.loads(data.get("_server_messages") or "[]"):
		out.append(json.loads(message).get("message", ""))
	return " ".join(out)


class TestRequestGate(LiveServerTestCase):
	roles = {  # staff of organisation A (cls.org)
		"case_manager_a": ["Case Manager"],
		"reception_a": ["Reception Operator"],
	}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.suffix = cls.s
		cls.org_a, cls.org_b = cls.org, make_provider(f"Gate B {s}")
		cls.shop = make_shop(f"Gate Shop {s}")
		cls.citizen = make_citizen(cls.org_a, first_name="Gina", last_name=f"Cancello{s}")
		cls.cf = cls.citizen.codice_fiscale
		cls.household = make_household(cls.org_a, [cls.citizen], isee=3000)
		make_consent(cls.citizen.name, cls.org_a, purpose="Vouchers")
		programme = make_programme(cls.org_a, merchants=[cls.shop])
		cls.voucher = issue(programme.name, cls.household.name, cls.org_a)
		cls.users.update(
			{
				"staff_b": make_user(f"gate-staff-b-{s}@gate.test", ["Provider Staff"], cls.org_b),
				"reception_b": make_user(f"gate-rec-b-{s}@gate.test", ["Reception Operator"], cls.org_b),
				"volunteer_b": make_user(f"gate-vol-b-{s}@gate.test", ["Hub Volunteer"], cls.org_b),
				"hub_manager_b": make_user(f"gate-hubm-b-{s}@gate.test", ["Hub Manager"], cls.org_b),
				"merchant": make_user(f"gate-shop-{s}@gate.test", ["Merchant"], cls.shop),
				"monitoring": make_user(f"gate-mon-{s}@gate.test", ["Monitoring Officer"], cls.org_b),
			}
		)
		frappe.db.commit()

	@classmethod
	def client(cls, who: str) -> Client:
		if who not in cls.clients:
			cls.clients[who] = Client(cls.users[who]) if who != "guest" else Client()
		return cls.clients[who]

	def assert_no_canary(self, response, where: str):
		for canary in (self.cf, f"Cancello{self.suffix}"):
			self.assertNotIn(canary, response.text, f"{where}: the other organisation's data leaked")

	def assert_refused(self, response, status: int, where: str):
		self.assertEqual(response.status_code, status, f"{where}: {response.text[:300]}")
		self.assert_no_canary(response, where)

	# --- the allowlist
	def test_unlisted_methods_answer_like_missing_ones(self):
		methods = (
			"frappe.core.doctype.user.user.get_all_roles",  # exists, whitelisted, not on the list
			"frappe.utils.global_search.search",
			"frappe.desk.reportview.save_report",
			"tolink.permissions.api.get_count",  # our override, under its own path
			"tolink.permissions.api.frappe_validate_link",  # an imported original would be this
			"frappe.client.validate_link_that_does_not_exist",
			"no.such.module.method",
		)
		for who in ("guest", "reception_b", "merchant", "volunteer_b", "monitoring"):
			c = self.client(who)
			answers = set()
			for method in methods:
				for verb in ("GET", "POST"):
					r = c.request(verb, f"/api/method/{method}")
					self.assertEqual(r.status_code, 403, f"{who} {verb} {method}: {r.text[:200]}")
					answers.add(body(r))
					# the legacy `cmd` on any path, and API v2, answer the same
					r = c.request(verb, "/", data={"cmd": method})
					self.assertEqual(r.status_code, 403, f"{who} cmd={method}")
					answers.add(body(r))
			self.assertEqual(len(answers), 1, f"{who}: an unlisted method is told from a missing one")
			r = c.request("GET", "/api/v2/method/frappe.core.doctype.user.user.get_all_roles")
			self.assertEqual(r.status_code, 403)

	def test_a_site_adds_a_method_without_a_release(self):
		"""README: `tolink_allowed_methods` in site_config lets the roles named call one more method."""
		from frappe.installer import update_site_config

		method = "/api/method/frappe.core.doctype.user.user.get_all_roles"
		c = self.client("reception_b")
		self.assertEqual(c.request("GET", method).status_code, 403)
		update_site_config(
			"tolink_allowed_methods", {"frappe.core.doctype.user.user.get_all_roles": ["Reception Operator"]}
		)
		try:
			r = c.request("GET", method)
			self.assertEqual(r.status_code, 200, r.text[:300])
			self.assertIn("Reception Operator", r.json()["message"])
			# for the roles named only
			self.assertEqual(self.client("staff_b").request("GET", method).status_code, 403)
		finally:
			update_site_config("tolink_allowed_methods", "None")
		self.assertEqual(c.request("GET", method).status_code, 403)

	def test_listed_methods_still_answer(self):
		self.assertEqual(self.client("guest").request("GET", "/api/method/ping").json()["message"], "pong")
		c = self.client("reception_a")
		self.assertEqual(c.count("Citizen", {"name": self.citizen.name}), 1)
		self.assertIn(self.citizen.name, c.search_link("Citizen", self.citizen.last_name))

	def test_api_key_clients_pass_the_gate_too(self):
		key, secret = make_api_key(self.users["merchant"])
		c = Client.with_token(key, secret)
		r = c.request("GET", "/api/method/frappe.core.doctype.user.user.get_all_roles")
		self.assertEqual(r.status_code, 403)
		r = c.request(
			"GET", "/api/method/tolink.api.merchant.check_voucher", params={"code": self.voucher.code}
		)
		self.assertEqual(r.status_code, 200, r.text[:300])
		r = c.request("GET", "/api/resource/Citizen", params={"fields": '["name", "codice_fiscale"]'})
		self.assert_no_canary(r, "merchant's API key lists citizens")

	def test_controller_methods_are_listed_by_doctype(self):
		c = self.client("case_manager_a")
		r = c.request(
			"POST",
			"/api/method/run_doc_method",
			data={"dt": "Voucher", "dn": self.voucher.name, "method": "get_doc_before_save"},
		)
		self.assertEqual(r.status_code, 403, r.text[:300])

	# --- the grammar
	def test_the_merchant_reads_no_citizen_through_fields(self):
		"""The issue's first reproduction: SQL inside `fields` of a list the merchant may read."""
		c = self.client("merchant")
		attacks = [
			["name", "(select group_concat(codice_fiscale) from `tabCitizen`) as x"],
			["name", "concat(name, (select codice_fiscale from tabCitizen limit 1))"],
			["`tabCitizen`.`codice_fiscale`"],
			["name as n, (select 1)"],
			["name from tabCitizen -- "],
			["name; select 1"],
		]
		for doctype in ("Voucher Redemption", "Provider"):
			for fields in attacks:
				r = c.request(
					"GET", f"/api/resource/{doctype}", params={"fields": json.dumps(fields), "limit": 5}
				)
				self.assert_refused(r, 417, f"{doctype} fields={fields}")
				r = c.request(
					"POST",
					"/api/method/frappe.desk.reportview.get",
					data={"doctype": doctype, "fields": json.dumps(fields)},
				)
				self.assert_refused(r, 417, f"reportview {doctype} fields={fields}")

	def test_grammar_violations_answer_417(self):
		c = self.client("reception_b")
		sub = "(select codice_fiscale from `tabCitizen` limit 1)"
		cases = {
			"order_by": ("GET", "/api/resource/Citizen", {"order_by": f"{sub} desc"}),
			"order_by_function": ("GET", "/api/resource/Citizen", {"order_by": "sleep(1)"}),
			"group_by": ("GET", "/api/resource/Citizen", {"group_by": "name having 1=1"}),
			"string_filter": ("GET", "/api/resource/Citizen", {"filters": "1=1"}),
			"string_in_list": ("GET", "/api/resource/Citizen", {"filters": '["1=1"]'}),
			"nested_value": (
				"GET",
				"/api/resource/Citizen",
				{"filters": json.dumps([["name", "in", [["x"]]]])},
			),
			"unknown_operator": (
				"GET",
				"/api/resource/Citizen",
				{"filters": json.dumps([["name", "regexp", ".*"]])},
			),
			"field_in_filter_key": ("GET", "/api/resource/Citizen", {"filters": json.dumps({sub: "x"})}),
			"foreign_table": (
				"GET",
				"/api/resource/Service",
				{"fields": '["`tabCitizen`.`codice_fiscale`"]'},
			),
			"malformed_fields": ("GET", "/api/resource/Citizen", {"fields": '["name"'}),
			"count_string_filter": (
				"GET",
				"/api/method/frappe.client.get_count",
				{"doctype": "Citizen", "filters": "1=1"},
			),
			"group_by_count_string": (
				"GET",
				"/api/method/frappe.desk.listview.get_group_by_count",
				{"doctype": "Citizen", "current_filters": "1=1", "field": "owner"},
			),
			"group_by_count_field": (
				"GET",
				"/api/method/frappe.desk.listview.get_group_by_count",
				{"doctype": "Citizen", "current_filters": "[]", "field": sub},
			),
			"get_value_fieldname": (
				"GET",
				"/api/method/frappe.client.get_value",
				{"doctype": "Service", "fieldname": json.dumps([sub]), "filters": "{}"},
			),
			"searchfield": (
				"GET",
				"/api/method/frappe.desk.search.search_widget",
				{"doctype": "Citizen", "txt": "a", "searchfield": sub},
			),
			"report_filters": (
				"POST",
				"/api/method/frappe.desk.query_report.run",
				{"report_name": "Service Directory", "filters": json.dumps({"x": {"$sub": sub}})},
			),
			"v2_count": ("GET", "/api/v2/doctype/Citizen/count", {"filters": "1=1"}),
			"aggregate": (
				"POST",
				"/api/method/frappe.desk.reportview.get",
				{
					"doctype": "Citizen",
					"fields": '["name"]',
					"group_by": "name",
					"aggregate_function": "group_concat",
					"aggregate_on_field": "codice_fiscale",
					"aggregate_on_doctype": "Citizen",
				},
			),
		}
		for name, (verb, path, args) in cases.items():
			kw = {"params": args} if verb == "GET" else {"data": args}
			r = c.request(verb, path, **kw)
			self.assert_refused(r, 417, name)
			# the message says what was refused, in the user's language
			self.assertIn("non è accettato", messages(r), f"{name}: {r.text[:300]}")

	def test_the_grammar_accepts_what_desk_sends(self):
		c = self.client("reception_a")
		dt = "Citizen"
		rows = c.get_list(
			dt,
			fields=[
				"name",
				f"`tab{dt}`.`first_name`",
				"`tabCitizen Language`.`language`",
				"household.name as household_name",
			],
			filters=[[dt, "last_name", "like", f"%Cancello{self.suffix}%", False], ["status", "!=", "x"]],
			order_by=f"`tab{dt}`.`modified` desc, name asc",
		)
		self.assertEqual({row["name"] for row in rows}, {self.citizen.name})
		out = c.post(
			"frappe.desk.reportview.get",
			doctype=dt,
			fields=json.dumps(
				[f"count(`tab{dt}`.`name`) as total", f"count(distinct `tab{dt}`.`name`) as n"]
			),
			filters=json.dumps({"last_name": ["like", f"%Cancello{self.suffix}%"]}),
		)
		self.assertEqual(out["values"][0][0], 1)
		self.assertEqual(
			c.get("frappe.client.get_value", doctype=dt, fieldname="first_name", filters=self.citizen.name),
			{"first_name": "Gina"},
		)

	# --- switches
	def test_link_search_ignores_no_row_rule(self):
		"""The issue's third reproduction: link search with ignore_user_permissions=1."""
		for who in ("volunteer_b", "reception_b"):
			c = self.client(who)
			for method in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
				r = c.request(
					"GET",
					f"/api/method/{method}",
					params={"doctype": "Citizen", "txt": self.cf[:6], "ignore_user_permissions": 1},
				)
				self.assert_refused(r, 417, f"{who} {method}")
		# elsewhere the switch is neutralised, not honoured: link search still works
		r = self.client("reception_b").request(
			"GET",
			"/api/method/frappe.desk.search.search_link",
			params={"doctype": "Provider", "txt": "Gate A", "ignore_user_permissions": 1},
		)
		self.assertEqual(r.status_code, 200, r.text[:300])

	def test_permissions_are_not_evaluated_as_another_user(self):
		r = self.client("reception_b").request(
			"POST",
			"/api/method/frappe.desk.reportview.get",
			data={"doctype": "Citizen", "fields": '["name"]', "user": "Administrator"},
		)
		self.assert_refused(r, 417, "reportview as Administrator")

	# --- server-owned fields
	def test_server_owned_fields_are_refused_on_every_write(self):
		"""The issue's voucher: the issuing organisation's staff inflate a balance over REST."""
		c = self.client("case_manager_a")
		name = self.voucher.name
		balance = frappe.db.get_value("Voucher", name, "balance")
		doc = c.get_doc("Voucher", name)
		attempts = {
			"PUT": lambda: c.request("PUT", f"/api/resource/Voucher/{name}", json={"balance": 9999}),
			"v2 PATCH": lambda: c.request(
				"PATCH", f"/api/v2/document/Voucher/{name}", json={"balance": 9999}
			),
			"set_value": lambda: c.request(
				"POST",
				"/api/method/frappe.client.set_value",
				data={"doctype": "Voucher", "name": name, "fieldname": "balance", "value": 9999},
			),
			"set_value dict": lambda: c.request(
				"POST",
				"/api/method/frappe.client.set_value",
				data={"doctype": "Voucher", "name": name, "fieldname": json.dumps({"balance": 9999})},
			),
			"save": lambda: c.request(
				"POST", "/api/method/frappe.client.save", data={"doc": json.dumps({**doc, "balance": 9999})}
			),
			"savedocs": lambda: c.request(
				"POST",
				"/api/method/frappe.desk.form.save.savedocs",
				data={"doc": json.dumps({**doc, "balance": 9999}), "action": "Save"},
			),
			"insert": lambda: c.request(
				"POST",
				"/api/resource/Voucher",
				json={"programme": doc["programme"], "household": doc["household"], "balance": 9999},
			),
		}
		for what, attempt in attempts.items():
			r = attempt()
			self.assertEqual(r.status_code, 417, f"{what}: {r.text[:300]}")
			self.assertIn("ServerOwnedFieldError", r.text, what)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Voucher", name, "balance"), balance)
		# the same document sent back unchanged is not refused for its server-owned fields
		r = c.request("PUT", f"/api/resource/Voucher/{name}", json={"balance": balance})
		self.assertNotIn("ServerOwnedFieldError", r.text)

	# --- not yours == not there
	def test_not_yours_answers_as_not_there(self):
		mine, missing = self.citizen.name, f"CIT-NOPE-{uid()}"
		for who in ("staff_b", "merchant", "volunteer_b"):
			c = self.client(who)
			probes = {
				"GET": lambda n: c.request("GET", f"/api/resource/Citizen/{n}"),
				"v2 GET": lambda n: c.request("GET", f"/api/v2/document/Citizen/{n}"),
				"PUT": lambda n: c.request("PUT", f"/api/resource/Citizen/{n}", json={"first_name": "X"}),
				"DELETE": lambda n: c.request("DELETE", f"/api/resource/Citizen/{n}"),
				"getdoc": lambda n: c.request(
					"GET",
					"/api/method/frappe.desk.form.load.getdoc",
					params={"doctype": "Citizen", "name": n},
				),
				"client.get": lambda n: c.request(
					"GET", "/api/method/frappe.client.get", params={"doctype": "Citizen", "name": n}
				),
				"get_value": lambda n: c.request(
					"GET",
					"/api/method/frappe.client.get_value",
					params={"doctype": "Citizen", "fieldname": "name", "filters": n},
				),
				"validate_link": lambda n: c.request(
					"GET",
					"/api/method/frappe.client.validate_link",
					params={"doctype": "Citizen", "docname": n, "fields": "[]"},
				),
				"links": lambda n: c.request(
					"GET",
					"/api/method/frappe.desk.form.linked_with.get",
					params={"doctype": "Citizen", "docname": n},
				),
				"submitted_links": lambda n: c.request(
					"GET",
					"/api/method/frappe.desk.form.linked_with.get_submitted_linked_docs",
					params={"doctype": "Citizen", "name": n},
				),
				"docinfo": lambda n: c.request(
					"GET",
					"/api/method/frappe.desk.form.load.get_docinfo",
					params={"doctype": "Citizen", "name": n},
				),
				"comment": lambda n: c.request(
					"POST",
					"/api/method/frappe.desk.form.utils.add_comment",
					data={
						"reference_doctype": "Citizen",
						"reference_name": n,
						"content": "x",
						"comment_email": "x@gate.test",
						"comment_by": "x",
					},
				),
			}
			for what, probe in probes.items():
				theirs, nothing = probe(mine), probe(missing)
				self.assertEqual(
					theirs.status_code, nothing.status_code, f"{who} {what}: {theirs.text[:300]}"
				)
				self.assertEqual(
					body(theirs).replace(mine, "<name>"),
					body(nothing).replace(missing, "<name>"),
					f"{who} {what}",
				)
				self.assert_no_canary(theirs, f"{who} {what}")
			# by codice fiscale: a foreign one and an unknown one
			by_cf = [
				c.request(
					"GET",
					"/api/method/frappe.client.get",
					params={"doctype": "Citizen", "filters": json.dumps({"codice_fiscale": cf})},
				)
				for cf in (self.cf, "XXXXXX00X00X000X")
			]
			self.assertEqual(by_cf[0].status_code, by_cf[1].status_code, who)
			self.assertEqual(body(by_cf[0]), body(by_cf[1]), who)

	# --- bad input
	def test_malformed_requests_answer_4xx(self):
		c = self.client("reception_a")
		for path in ("/api/method/frappe.client.get_list", "/api/resource/Citizen"):
			r = c.request("POST", path, data="{not json", headers={"Content-Type": "application/json"})
			self.assertEqual(r.status_code, 400, f"{path}: {r.text[:300]}")
			# in the site's language, although Frappe failed before it set the request's
			message = json.loads(json.loads(r.json()["_server_messages"])[0])["message"]
			self.assertIn("non è un JSON valido", message)
		r = c.request(
			"POST", "/api/method/frappe.client.insert", data={"doc": '{"doctype": "Citizen", "first_name": '}
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		r = c.request(
			"GET", "/api/method/frappe.client.get_list", params={"doctype": "Citizen", "filters": "[["}
		)
		self.assertEqual(r.status_code, 417, r.text[:300])

	def test_methods_failing_on_their_arguments_answer_400(self):
		"""Frappe's methods parse what they are sent unchecked: a broken argument is the client's
		mistake, answered 400 in the user's language (found by the API fuzzer)."""
		c = self.client("reception_b")
		for method, params in (
			("frappe.model.utils.user_settings.save", {"doctype": "Citizen", "user_settings": "{broken"}),
			("frappe.desk.doctype.route_history.route_history.deferred_insert", {"routes": "{broken"}),
			("frappe.desk.form.load.get_user_info_for_viewers", {"users": "{broken"}),
		):
			r = c.request("POST", f"/api/method/{method}", data=params)
			self.assertEqual(r.status_code, 400, f"{method}: {r.text[:300]}")
			self.assertIn("non sono validi", messages(r), method)
		# the app's own methods check their arguments themselves
		r = self.client("hub_manager_b").request(
			"GET", "/api/method/tolink.api.desk.propose_hubs", params={"households": "HH-1"}
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("elenco di nomi", messages(r))

	# --- found by the API fuzzer
	def test_a_user_cannot_move_to_another_organisation(self):
		"""A user may edit their own User record: not the organisation, which decides every rule."""
		user = self.users["reception_b"]
		c = self.client("reception_b")
		attempts = (
			("PUT", f"/api/resource/User/{user}", {"json": {"tolink_provider": self.org_a}}),
			("PATCH", f"/api/v2/document/User/{user}", {"json": {"tolink_provider": self.org_a}}),
			(
				"POST",
				"/api/method/frappe.client.set_value",
				{
					"data": {
						"doctype": "User",
						"name": user,
						"fieldname": "tolink_provider",
						"value": self.org_a,
					}
				},
			),
		)
		for verb, path, kwargs in attempts:
			r = c.request(verb, path, **kwargs)
			self.assertIn(r.status_code, (403, 417), f"{verb} {path}: {r.text[:300]}")
			self.assertEqual(frappe.db.get_value("User", user, "tolink_provider"), self.org_b, path)
		# still reads nothing of A
		self.assertEqual(c.count("Citizen", {"name": self.citizen.name}), 0)

	def test_link_titles_of_records_not_yours_are_not_given(self):
		"""Desk shows a link's title (a citizen's full name); Frappe read it for any record."""
		path = "/api/method/frappe.desk.search.get_link_title"
		own = self.client("reception_a").request(
			"GET", path, params={"doctype": "Citizen", "docname": self.citizen.name}
		)
		self.assertIn(f"Cancello{self.suffix}", own.json()["message"])
		c = self.client("reception_b")
		mine_not = c.request("GET", path, params={"doctype": "Citizen", "docname": self.citizen.name})
		self.assertEqual(mine_not.json()["message"], self.citizen.name)
		self.assert_no_canary(mine_not, "link title")
		missing = c.request("GET", path, params={"doctype": "Citizen", "docname": "CIT-1999-99999"})
		self.assertEqual(missing.json()["message"], "CIT-1999-99999")
		# as Desk asks (POST): the title of one's own, the name of another's (a 403 here was a
		# "Non permesso" dialog on every form linking a person)
		own = self.client("reception_a").request(
			"POST", path, data={"doctype": "Citizen", "docname": self.citizen.name}
		)
		self.assertIn(f"Cancello{self.suffix}", own.json()["message"])
		mine_not = c.request("POST", path, data={"doctype": "Citizen", "docname": self.citizen.name})
		self.assertEqual(mine_not.json()["message"], self.citizen.name)

	# --- charts and cards
	def test_charts_and_cards_of_personal_data_are_refused(self):
		c = self.client("reception_b")
		chart = {
			"chart_type": "Count",
			"document_type": "Citizen",
			"based_on": "creation",
			"timeseries": 0,
			"type": "Line",
		}
		r = c.request(
			"POST",
			"/api/method/frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			data={"chart": json.dumps(chart), "filters": "[]"},
		)
		self.assert_refused(r, 403, "chart of citizens")
		card = {"function": "Count", "document_type": "Citizen", "type": "Document Type"}
		r = c.request(
			"POST",
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			data={"doc": json.dumps(card), "filters": "[]"},
		)
		self.assert_refused(r, 403, "card of citizens")
		card = {
			"function": "Sum",
			"document_type": "Service",
			"aggregate_function_based_on": "(select count(*) from `tabCitizen`)",
		}
		r = c.request(
			"POST",
			"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
			data={"doc": json.dumps(card), "filters": "[]"},
		)
		self.assert_refused(r, 417, "card with a sub-query")
