"""The voucher application step over HTTP: a case manager of a cooperative proposes a voucher for a
household, an approver of the City (which runs the programme) approves it through Frappe's
workflow endpoint, the voucher is issued and a shop of the programme redeems it. And the attacks:
an approver of another organisation, the proposer approving, server-owned fields written by PUT,
a proposal for another organisation's household: all refused, nothing changed."""

import json
import uuid

import frappe

from tolink.devtools.factories import make_provider
from tolink.devtools.rest import Client, RestError, make_api_key, make_user
from tolink.devtools.vouchers import make_eligible_household, make_programme, make_shop
from tolink.tests.e2e.case import LiveServerTestCase

APPLY = "frappe.model.workflow.apply_workflow"


class TestVoucherApplicationsOverREST(LiveServerTestCase):
	roles = {"case_manager": ["Case Manager"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.city, cls.elsewhere = make_provider(f"Città {s}"), make_provider(f"Altrove {s}")
		cls.shop = make_shop(f"Bottega {s}")
		cls.programme = make_programme(cls.city, [cls.shop], budget=1000, max_isee=6000)
		cls.approver = make_user(f"approvatore-{s}@vap-rest.test", ["Voucher Approver"], cls.city)
		cls.foreign_approver = make_user(
			f"appr-altrove-{s}@vap-rest.test", ["Voucher Approver"], cls.elsewhere
		)
		cls.foreign_cm = make_user(f"cm-altrove-{s}@vap-rest.test", ["Case Manager"], cls.elsewhere)
		cls.merchant = make_user(f"negozio-{s}@vap-rest.test", ["Merchant"], cls.shop)
		frappe.db.commit()
		cls.merchant_key = make_api_key(cls.merchant)

	def household(self):
		household, _head = make_eligible_household(self.org, size=1, isee=3000)
		frappe.db.commit()
		return household.name

	def propose(self, household: str) -> str:
		out = self.client("case_manager").post(
			"tolink.api.desk.propose_voucher_application", household=household
		)
		self.assertEqual(out["proposed_amount"], 100)
		return out["name"]

	def apply(self, client: Client, name: str, action: str):
		return client.post(APPLY, doc={"doctype": "Voucher Application", "name": name}, action=action)

	def stored(self, name: str) -> dict:
		frappe.db.rollback()  # a fresh snapshot: the server committed
		return frappe.db.get_value(
			"Voucher Application", name, ["status", "voucher", "proposed_amount", "decided_by"], as_dict=True
		)

	def issued(self) -> float:
		frappe.db.rollback()
		return frappe.db.get_value("Voucher Programme", self.programme.name, "issued_amount")

	def test_proposed_approved_issued_and_redeemed(self):
		household = self.household()
		cm = self.client("case_manager")
		programmes = cm.get("tolink.api.desk.voucher_programmes_for", household=household)
		(row,) = [p for p in programmes if p["programme"] == self.programme.name]
		self.assertTrue(row["eligible"])
		self.assertTrue(any("ISEE" in r for r in row["reasons"]))
		name = self.propose(household)
		approver = Client(self.approver)
		# the approver of the programme's organisation reads it (not the household itself)
		self.assertEqual(approver.get_doc("Voucher Application", name)["status"], "Proposed")
		self.assertIn(name, [r["name"] for r in approver.get_list("Voucher Application")])
		with self.assertRaises(RestError):
			approver.get_doc("Household", household)
		self.apply(approver, name, "Approve")
		stored = self.stored(name)
		self.assertEqual((stored.status, stored.decided_by), ("Approved", self.approver))
		self.assertTrue(stored.voucher)
		self.assertEqual(self.issued(), 100)
		voucher = frappe.get_doc("Voucher", stored.voucher)
		self.assertEqual((voucher.provider, voucher.household), (self.org, household))
		# the proposing organisation hands it over; the shop redeems it
		self.assertEqual(cm.get_doc("Voucher", voucher.name)["code"], voucher.code)
		shop = Client.with_token(*self.merchant_key)
		self.assertTrue(shop.get("tolink.api.merchant.check_voucher", code=voucher.code)["valid"])
		out = shop.post(
			"tolink.api.merchant.redeem_voucher",
			code=voucher.code,
			amount=40,
			idempotency_key=str(uuid.uuid4()),
		)
		self.assertEqual(out["balance"], 60)

	def test_refusal_needs_a_reason_written_by_the_approver(self):
		name = self.propose(self.household())
		approver = Client(self.approver)
		with self.assertRaises(RestError):
			self.apply(approver, name, "Refuse")
		self.assertEqual(self.stored(name).status, "Proposed")
		approver.update("Voucher Application", name, {"refusal_reason": "Documentazione ISEE incompleta"})
		self.apply(approver, name, "Refuse")
		self.assertEqual(self.stored(name).status, "Refused")
		self.assertEqual(self.issued_for(name), 0)

	def issued_for(self, name: str) -> int:
		frappe.db.rollback()
		household = frappe.db.get_value("Voucher Application", name, "household")
		return frappe.db.count("Voucher", {"household": household})

	def test_attacks_are_refused_and_change_nothing(self):
		household = self.household()
		name = self.propose(household)
		before = self.stored(name)
		issued = self.issued()
		attempts = {
			# an approver of another organisation: not theirs to read, let alone decide
			"foreign approver reads": lambda: Client(self.foreign_approver).get_doc(
				"Voucher Application", name
			),
			"foreign approver approves": lambda: self.apply(Client(self.foreign_approver), name, "Approve"),
			# the proposer decides nothing
			"proposer approves": lambda: self.apply(self.client("case_manager"), name, "Approve"),
			# server-owned fields, by PUT
			"PUT status": lambda: self.client("case_manager").update(
				"Voucher Application", name, {"status": "Approved"}
			),
			"PUT voucher": lambda: self.client("case_manager").update(
				"Voucher Application", name, {"voucher": "VCH-2026-00001"}
			),
			"PUT amount": lambda: self.client("case_manager").update(
				"Voucher Application", name, {"proposed_amount": 9999}
			),
			"approver PUTs amount": lambda: Client(self.approver).update(
				"Voucher Application", name, {"proposed_amount": 9999}
			),
			"approver PUTs status": lambda: Client(self.approver).update(
				"Voucher Application", name, {"status": "Approved"}
			),
			# another organisation proposes for, or lists the programmes of, this household
			"foreign proposal": lambda: Client(self.foreign_cm).post(
				"tolink.api.desk.propose_voucher_application",
				household=household,
				programme=self.programme.name,
			),
			"foreign eligibility": lambda: Client(self.foreign_cm).get(
				"tolink.api.desk.voucher_programmes_for", household=household
			),
			"foreign insert": lambda: Client(self.foreign_cm).insert(
				{"doctype": "Voucher Application", "household": household, "programme": self.programme.name}
			),
		}
		accepted = []
		for label, attempt in attempts.items():
			try:
				attempt()
				accepted.append(label)
			except RestError as e:
				self.assertIn(e.status_code, (403, 404, 417), f"{label}: {e}")
		self.assertEqual(accepted, [])
		self.assertEqual(self.stored(name), before)
		self.assertEqual(self.issued(), issued)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Voucher Application", {"household": household}), 1)
		self.assertEqual(frappe.db.count("Voucher", {"household": household}), 0)

	def test_the_workspace_counts_for_the_approver(self):
		name = self.propose(self.household())
		approver = Client(self.approver)
		filters = [["Voucher Application", "status", "in", ["Proposed"]]]
		self.assertGreaterEqual(approver.count("Voucher Application", filters), 1)
		self.assertEqual(Client(self.foreign_approver).count("Voucher Application", filters), 0)
		self.assertIn(name, json.dumps(approver.get_list("Voucher Application", filters=filters)))
