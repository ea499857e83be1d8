"""The workspaces' number cards and charts (tolink.api.desk.card_*, chart_*) count the caller's
organisation's records and nobody else's: two organisations hold known numbers of records, counted
here by hand, and each one's users read their own figures."""

import frappe
from frappe.utils import add_days, add_months, add_to_date, now_datetime, today

from tolink.api import desk
from tolink.care_path.doctype.referral import referral
from tolink.devtools.cleanup import record
from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import make_user
from tolink.distribution.stock import alerts
from tolink.tests.case import CommittingTestCase

# per organisation: how many of each counted record it holds (different, so a mix-up shows)
SIZES = {"a": 2, "b": 3}


def insert(doctype: str, **values) -> str:
	"""A row as the cards read it (no controller: the counts, not the workflows, are tested here)."""
	doc = frappe.get_doc({"doctype": doctype, **values})
	doc.db_insert()
	record(doctype, doc.name)
	return doc.name


def make_dashboard_records(org: str, other: str, manager: str, n: int) -> dict:
	"""n records of org for every card, and beside them records no card of org counts: another
	day, another status, another case manager, a closed or done one. Referrals are sent by `other`
	to org. Returns the figures org's users should read."""
	s = uid()
	far = add_days(today(), 60)
	for i in range(n):
		insert("Intake", citizen=f"CIT-{s}-{i}", intake_date=today(), status="Open", provider=org)
		insert("Citizen", first_name="Doppio", last_name=f"Card{s}{i}", possible_duplicate=1, provider=org)
		insert(
			"Welfare Plan",
			citizen=f"CIT-{s}-{i}",
			case_manager=manager,
			status="Active",
			next_review_date=add_days(today(), 3),
			provider=org,
		)
		insert(
			"Referral",
			citizen=f"CIT-{s}-{i}",
			status="Sent",
			is_overdue=int(i > 0),
			provider=other,
			target_provider=org,
		)
		insert("Helpline Call", call_datetime=now_datetime(), callback_due=today(), provider=org)
		insert(
			"Helpline Call",
			call_datetime=now_datetime(),
			triage="Emergency",
			urgent_notified_on=now_datetime(),
			provider=org,
		)
		insert("Parcel Delivery", household=f"H-{s}", delivery_date=today(), docstatus=1, provider=org)
		insert("Voucher", code=f"V{s}{i}", issue_date=today(), status="Issued", provider=org)
		insert("Voucher Application", household=f"H-{s}-{i}", status="Proposed", provider=org)
		insert(
			"Housing Situation",
			household=f"H-{s}-{i}",
			eviction_pending=1,
			next_eviction_date=add_days(today(), 10),
			provider=org,
		)
		insert(
			"Work Measure",
			citizen=f"CIT-{s}-{i}",
			status="In progress",
			end_date=add_days(today(), 10),
			provider=org,
		)
	# what no card of org counts
	insert("Intake", citizen=f"CIT-{s}", intake_date=add_days(today(), -1), status="Open", provider=org)
	insert("Citizen", first_name="Unico", last_name=f"Card{s}", possible_duplicate=0, provider=org)
	insert("Welfare Plan", citizen=f"CIT-{s}", case_manager=manager, status="Closed", provider=org)
	# in the caseload, its review not due yet
	insert(
		"Welfare Plan",
		citizen=f"CIT-{s}",
		case_manager=manager,
		status="Active",
		next_review_date=far,
		provider=org,
	)
	insert("Referral", citizen=f"CIT-{s}", status="Accepted", provider=other, target_provider=org)
	# a referral of the last 12 months between two other organisations, and one of two years ago
	third = make_provider(f"Terzo {s}")
	insert("Referral", citizen=f"CIT-{s}", status="Sent", provider=third, target_provider=third)
	old = insert("Referral", citizen=f"CIT-{s}", status="Completed", provider=other, target_provider=org)
	frappe.db.set_value("Referral", old, "creation", add_months(now_datetime(), -24), update_modified=False)
	insert(
		"Helpline Call",
		call_datetime=now_datetime(),
		callback_due=today(),
		callback_done_on=today(),
		provider=org,
	)
	insert(
		"Helpline Call",
		call_datetime=now_datetime(),
		triage="Emergency",
		urgent_notified_on=now_datetime(),
		taken_by=manager,
		provider=org,
	)
	insert("Parcel Delivery", household=f"H-{s}", delivery_date=today(), docstatus=0, provider=org)
	insert(
		"Parcel Delivery", household=f"H-{s}", delivery_date=add_days(today(), -21), docstatus=1, provider=org
	)
	insert("Voucher", code=f"V{s}", issue_date=add_months(today(), -13), status="Issued", provider=org)
	insert("Voucher Application", household=f"H-{s}", status="Approved", provider=org)
	insert("Housing Situation", household=f"H-{s}", eviction_pending=1, next_eviction_date=far, provider=org)
	insert("Work Measure", citizen=f"CIT-{s}", status="In progress", end_date=far, provider=org)
	return {
		"card_todays_intakes": n,
		"card_possible_duplicates": n,
		"card_my_caseload": n + 1,
		"card_reviews_due": n,
		"card_referrals_awaiting_answer": n,
		"card_overdue_referrals": n - 1,
		"card_callbacks_due_today": n,
		"card_urgent_calls_not_taken": n,
		"card_deliveries_this_week": n,
		"card_vouchers_issued_this_month": n,
		"card_applications_awaiting_approval": n,
		"card_evictions_within_30_days": n,
		"card_work_measures_ending_soon": n,
	}


class TestDashboards(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.orgs = {key: make_provider(f"Cruscotto {key.upper()} {s}") for key in SIZES}
		cls.users = {
			key: make_user(
				f"dash-{key}-{s}@dashboards.test",
				["Case Manager", "Reception Operator", "Provider Staff", "Hub Manager"],
				org,
			)
			for key, org in cls.orgs.items()
		}
		cls.expected = {
			key: make_dashboard_records(cls.orgs[key], cls.orgs[other], cls.users[key], SIZES[key])
			for key, other in (("a", "b"), ("b", "a"))
		}
		# hubs: one of A's, two of B's; a lot expiring at A's
		cls.hubs = {
			"a": [make_hub(cls.orgs["a"]).name],
			"b": [make_hub(cls.orgs["b"]).name for _ in range(2)],
		}
		item = frappe.get_doc(
			{
				"doctype": "Aid Item",
				"item_name": f"Latte cruscotto {s}",
				"unit": "l",
				"category": "Food",
				"low_stock_threshold": 1000,
			}
		).insert(ignore_permissions=True)
		record("Aid Item", item.name)
		receive(cls.hubs["a"][0], item.name, 10, lot=f"L{s}", expiry_days=3)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_each_organisation_reads_its_own_counts(self):
		for key in SIZES:
			frappe.set_user(self.users[key])
			for method, value in self.expected[key].items():
				with self.subTest(organisation=key, card=method):
					answer = getattr(desk, method)()
					self.assertEqual(answer["value"], value)
					self.assertEqual(answer["fieldtype"], "Int")

	def test_a_card_opens_the_list_it_counts(self):
		frappe.set_user(self.users["a"])
		answer = desk.card_overdue_referrals()
		self.assertEqual(answer["route"], ["List", "Referral"])
		self.assertEqual(
			answer["route_options"], {"status": "Sent", "is_overdue": 1, "target_provider": self.orgs["a"]}
		)
		# the list Desk opens shows what the card counted
		self.assertEqual(len(frappe.get_list("Referral", filters=answer["route_options"])), answer["value"])

	def test_referrals_chart_counts_both_sides_of_the_last_12_months(self):
		for key in SIZES:
			frappe.set_user(self.users[key])
			chart = desk.chart_referrals_by_status()
			# the statuses in the user's language, in the controller's order
			by_status = dict(zip(referral.STATUSES, chart["datasets"][0]["values"], strict=True))
			self.assertEqual(chart["labels"], [frappe._(status) for status in referral.STATUSES])
			# sent to A (2) and sent by A to B (3): both sides see all 5; one accepted each way
			self.assertEqual(by_status["Sent"], SIZES["a"] + SIZES["b"])
			self.assertEqual(by_status["Accepted"], 2)
			self.assertEqual(by_status["Completed"], 0)  # two years ago

	def test_deliveries_chart_counts_the_weeks(self):
		for key in SIZES:
			frappe.set_user(self.users[key])
			values = desk.chart_deliveries_per_week()["datasets"][0]["values"]
			self.assertEqual(len(values), 12)
			self.assertEqual(values[-1], SIZES[key])
			self.assertEqual(values[-4], 1)
			self.assertEqual(sum(values), SIZES[key] + 1)

	def test_stock_at_risk_counts_the_organisations_hubs_only(self):
		frappe.set_user("Administrator")
		expected = {
			key: sum(len(found["low_stock"]) + len(found["expiring"]) for found in map(alerts, hubs))
			for key, hubs in self.hubs.items()
		}
		self.assertGreaterEqual(expected["a"], 2)  # the new item is low, and its lot expires
		for key in SIZES:
			frappe.set_user(self.users[key])
			self.assertEqual(desk.card_stock_at_risk()["value"], expected[key])

	def test_a_role_that_does_not_read_the_doctype_is_refused(self):
		psychologist = make_user(f"dash-psy-{uid()}@dashboards.test", ["Psychologist"], self.orgs["a"])
		frappe.set_user(psychologist)
		for method in ("card_todays_intakes", "card_my_caseload", "card_deliveries_this_week"):
			with self.subTest(card=method), self.assertRaises(frappe.PermissionError):
				getattr(desk, method)()
