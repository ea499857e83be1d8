"""The care path over HTTP, as each role: matching, responding to referrals, restricted notes."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.tests.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.tests.rest import Client, RestError, make_user


class TestCarePathOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org_a, cls.org_b, cls.org_c = (make_provider(f"{x} {s}") for x in ("Servizi", "Coop", "Altro"))
		cls.reception = make_user(f"rec-{s}@cp.test", ["Reception Operator"], cls.org_a)
		cls.case_manager = make_user(f"cm-{s}@cp.test", ["Case Manager"], cls.org_a)
		cls.staff_b = make_user(f"sb-{s}@cp.test", ["Provider Staff"], cls.org_b)
		cls.staff_c = make_user(f"sc-{s}@cp.test", ["Provider Staff"], cls.org_c)
		cls.citizen = make_citizen(cls.org_a, district="6")
		make_household(cls.org_a, [cls.citizen], isee=9200)
		make_consent(cls.citizen.name, cls.org_a, partner=cls.org_b)
		# a need of its own, so services other tests committed do not crowd the suggestions
		cls.need = (
			frappe.get_doc(
				{
					"doctype": "Need Category",
					"need_category_name": f"Test need {s}",
					"parent_need_category": "Food",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.open_service = make_service(
			cls.org_b, needs=(cls.need,), districts=("6",), service_name=f"Paniere {s}"
		)
		cls.strict_service = make_service(
			cls.org_b,
			needs=(cls.need,),
			max_isee=6000,
			districts=("5", "6"),
			service_name=f"Emporio {s}",
		)
		cls.far_service = make_service(
			cls.org_b, needs=(cls.need,), districts=("5",), service_name=f"Lontano {s}"
		)
		cls.intake = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": cls.citizen.name,
				"channel": "Front office",
				"provider": cls.org_a,
				"needs": [{"need_category": cls.need, "urgency": "High"}],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	def test_suggestions_with_reasons_in_italian(self):
		c = Client(self.reception)
		result = c.get("tolink.api.matching.suggest_services", intake=self.intake.name)
		self.assertEqual(result[0]["need_category"], self.need)
		services = {s["service"]: s for s in result[0]["services"]}
		self.assertTrue(services[self.open_service.name]["eligible"])
		strict = services[self.strict_service.name]
		self.assertFalse(strict["eligible"])
		self.assertTrue(any("9.200" in r and "6.000" in r for r in strict["reasons"]), strict["reasons"])
		self.assertFalse(services[self.far_service.name]["eligible"])
		order = [s["service"] for s in result[0]["services"]]
		self.assertLess(order.index(self.open_service.name), order.index(self.strict_service.name))

	def test_suggestions_need_the_intake(self):
		with self.assertRaises(RestError) as ctx:
			Client(self.staff_c).get("tolink.api.matching.suggest_services", intake=self.intake.name)
		self.assertEqual(ctx.exception.status_code, 403)

	def send(self):
		c = Client(self.case_manager)
		return c.insert(
			{"doctype": "Referral", "citizen": self.citizen.name, "service": self.open_service.name}
		)

	def test_respond_over_rest(self):
		ref = self.send()
		self.assertEqual(ref["status"], "Sent")
		self.assertEqual(ref["provider"], self.org_a)

		# another organisation can neither see nor answer it
		c = Client(self.staff_c)
		with self.assertRaises(RestError) as ctx:
			c.post("tolink.api.referrals.respond", referral=ref["name"], decision="accept")
		self.assertEqual(ctx.exception.status_code, 403)
		self.assertEqual(c.get_list("Referral", filters={"name": ref["name"]}), [])

		# the receiving organisation: a decline without reason fails and changes nothing
		b = Client(self.staff_b)
		with self.assertRaises(RestError) as ctx:
			b.post("tolink.api.referrals.respond", referral=ref["name"], decision="decline")
		self.assertEqual(ctx.exception.status_code, 417)
		self.assertEqual(b.get_doc("Referral", ref["name"])["status"], "Sent")
		answer = b.post(
			"tolink.api.referrals.respond", referral=ref["name"], decision="decline", reason="No capacity"
		)
		self.assertEqual(answer["status"], "Declined")

	def test_workflow_inbox_shows_only_what_the_user_may_read(self):
		ref = self.send()
		inbox = {"reference_name": ref["name"], "reference_doctype": "Referral"}
		self.assertTrue(Client(self.staff_b).get_list("Workflow Action", filters=inbox))
		self.assertEqual(Client(self.staff_c).get_list("Workflow Action", filters=inbox), [])

	def test_workflow_inbox_follows_each_answer(self):
		"""The inbox rows tolink.care_path.workflow_actions writes: what Frappe's own hook would write
		(the roles of the workflow's transitions out of the new state), the taken action completed by
		who took it, and no row for a state nobody acts on."""
		ref = self.send()["name"]

		def actions():
			frappe.db.rollback()  # a fresh snapshot: the server committed since the last read
			rows = frappe.get_all(
				"Workflow Action",
				filters={"reference_doctype": "Referral", "reference_name": ref},
				fields=["name", "workflow_state", "status", "completed_by", "completed_by_role"],
				order_by="creation",
			)
			for row in rows:
				row.roles = set(
					frappe.get_all("Workflow Action Permitted Role", {"parent": row.name}, pluck="role")
				)
			return rows

		def roles_acting_on(state):
			workflow = frappe.get_doc("Workflow", {"document_type": "Referral", "is_active": 1})
			return {t.allowed for t in workflow.transitions if t.state == state}

		sent = actions()
		self.assertEqual([(a.workflow_state, a.status) for a in sent], [("Sent", "Open")])
		self.assertEqual(sent[0].roles, roles_acting_on("Sent"))

		Client(self.staff_b).post("tolink.api.referrals.respond", referral=ref, decision="accept")
		accepted = actions()
		self.assertEqual(
			[(a.workflow_state, a.status) for a in accepted], [("Sent", "Completed"), ("Accepted", "Open")]
		)
		self.assertEqual(
			(accepted[0].completed_by, accepted[0].completed_by_role), (self.staff_b, "Provider Staff")
		)
		self.assertEqual(accepted[1].roles, roles_acting_on("Accepted"))
		self.assertIn("Case Manager", accepted[1].roles)  # the sender can still cancel

		# a save that does not move the referral adds nothing
		Client(self.staff_b).update("Referral", ref, {"outcome": "Primo colloquio fissato"})
		self.assertEqual(len(actions()), 2)

		Client(self.staff_b).post(
			"tolink.api.referrals.respond", referral=ref, decision="complete", outcome="ok"
		)
		done = actions()
		self.assertEqual(
			[(a.workflow_state, a.status) for a in done], [("Sent", "Completed"), ("Accepted", "Completed")]
		)

	def test_respond_is_post_only(self):
		ref = self.send()
		with self.assertRaises(RestError):
			Client(self.staff_b).get("tolink.api.referrals.respond", referral=ref["name"], decision="accept")

	def test_receiver_does_not_read_the_case(self):
		self.send()
		b = Client(self.staff_b)
		with self.assertRaises(RestError):
			b.get_doc("Citizen", self.citizen.name)
		with self.assertRaises(RestError):
			b.get_doc("Intake", self.intake.name)
