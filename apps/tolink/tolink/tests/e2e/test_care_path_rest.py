"""The care path over HTTP, as each role: matching, responding to referrals, restricted notes."""

import frappe
from frappe.utils import add_days, now_datetime, today

from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_need,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import Client, RestError, make_user
from tolink.tests.e2e.case import LiveServerTestCase


class TestCarePathOverREST(LiveServerTestCase):
	roles = {"reception": ["Reception Operator"], "case_manager": ["Case Manager"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		s = cls.s
		cls.org_a = cls.org
		cls.org_b, cls.org_c = (make_provider(f"{x} {s}") for x in ("Coop", "Altro"))
		cls.reception, cls.case_manager = cls.users["reception"], cls.users["case_manager"]
		cls.staff_b = make_user(f"sb-{s}@cp.test", ["Provider Staff"], cls.org_b)
		cls.staff_c = make_user(f"sc-{s}@cp.test", ["Provider Staff"], cls.org_c)
		cls.citizen = make_citizen(cls.org_a, district="6")
		make_household(cls.org_a, [cls.citizen], isee=9200)
		make_consent(cls.citizen.name, cls.org_a, partner=cls.org_b)
		# a need of its own, so services other tests committed do not crowd the suggestions
		cls.need = make_need(name=f"Test need {s}")
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
		result = c.get("tolink.api.desk.suggest_services", intake=self.intake.name)
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
			Client(self.staff_c).get("tolink.api.desk.suggest_services", intake=self.intake.name)
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
			c.post("tolink.api.partner.respond_to_referral", referral=ref["name"], decision="accept")
		self.assertEqual(ctx.exception.status_code, 403)
		self.assertEqual(c.get_list("Referral", filters={"name": ref["name"]}), [])

		# the receiving organisation: a decline without reason fails and changes nothing
		b = Client(self.staff_b)
		with self.assertRaises(RestError) as ctx:
			b.post("tolink.api.partner.respond_to_referral", referral=ref["name"], decision="decline")
		self.assertEqual(ctx.exception.status_code, 417)
		self.assertEqual(b.get_doc("Referral", ref["name"])["status"], "Sent")
		answer = b.post(
			"tolink.api.partner.respond_to_referral",
			referral=ref["name"],
			decision="decline",
			reason="No capacity",
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

		Client(self.staff_b).post("tolink.api.partner.respond_to_referral", referral=ref, decision="accept")
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
			"tolink.api.partner.respond_to_referral", referral=ref, decision="complete", outcome="ok"
		)
		done = actions()
		self.assertEqual(
			[(a.workflow_state, a.status) for a in done], [("Sent", "Completed"), ("Accepted", "Completed")]
		)

	def test_sender_and_status_come_from_the_app(self):
		c = Client(self.case_manager)
		base = {"doctype": "Referral", "citizen": self.citizen.name, "service": self.open_service.name}
		# every field the app sets is refused on insert by the request gate, and nothing is created
		before = frappe.db.count("Referral", {"citizen": self.citizen.name})
		for values in (
			{"status": "Completed"},
			{"referred_by": self.staff_b},
			{"is_overdue": 1},
			{"escalated_on": str(now_datetime())},
			{"responded_by": self.staff_b},
			{"responded_on": str(now_datetime())},
		):
			with self.assertRaises(RestError, msg=values) as ctx:
				c.insert({**base, **values})
			self.assertEqual(ctx.exception.status_code, 417, values)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Referral", {"citizen": self.citizen.name}), before)
		ref = c.insert(base)
		self.assertEqual((ref["status"], ref["referred_by"]), ("Sent", self.case_manager))
		self.assertEqual((ref["is_overdue"], ref.get("escalated_on")), (0, None))
		self.assertEqual((ref.get("responded_by"), ref.get("responded_on")), (None, None))

	def test_receiver_cannot_move_the_deadline_or_the_escalation(self):
		ref = self.send()
		b = Client(self.staff_b)
		before = b.get_doc("Referral", ref["name"])
		for values in (
			{"response_due": add_days(today(), 30)},
			{"is_overdue": 1},
			{"escalated_on": str(now_datetime())},
			{"referred_by": self.staff_b},
		):
			with self.assertRaises(RestError, msg=values) as ctx:
				b.update("Referral", ref["name"], values)
			self.assertIn(ctx.exception.status_code, (403, 417), values)
		# nor does the sender rewrite who sent it
		with self.assertRaises(RestError) as ctx:
			Client(self.case_manager).update("Referral", ref["name"], {"referred_by": self.reception})
		self.assertIn(ctx.exception.status_code, (403, 417))
		after = b.get_doc("Referral", ref["name"])
		for field in ("response_due", "is_overdue", "escalated_on", "referred_by", "modified"):
			self.assertEqual(after.get(field), before.get(field), field)

	def refused(self, user: str, call, status: int, contains: str | None = None) -> str:
		with self.assertRaises(RestError) as ctx:
			call(Client(user))
		self.assertEqual(ctx.exception.status_code, status, ctx.exception)
		text = ctx.exception.response.text
		if contains:
			self.assertIn(contains, text)
		return text

	def test_rules_of_sending_over_rest(self):
		refs_before = frappe.db.count("Referral", {"citizen": self.citizen.name})
		# not eligible: refused with the reasons, in Italian
		self.refused(
			self.case_manager,
			lambda c: c.insert(
				{"doctype": "Referral", "citizen": self.citizen.name, "service": self.strict_service.name}
			),
			417,
			"9.200",
		)
		# no consent to share with the receiving organisation
		other = make_service(self.org_c, needs=(self.need,), districts=("6",))
		self.refused(
			self.case_manager,
			lambda c: c.insert({"doctype": "Referral", "citizen": self.citizen.name, "service": other.name}),
			417,
		)
		# the receiving side's roles do not send referrals
		self.refused(
			self.staff_b,
			lambda c: c.insert(
				{"doctype": "Referral", "citizen": self.citizen.name, "service": self.open_service.name}
			),
			403,
		)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Referral", {"citizen": self.citizen.name}), refs_before)

	def test_rules_of_answering_over_rest(self):
		full = make_service(self.org_b, needs=(self.need,), districts=("6",), capacity=1)
		frappe.db.commit()
		send = Client(self.case_manager)
		first, second = (
			send.insert({"doctype": "Referral", "citizen": self.citizen.name, "service": full.name})["name"]
			for _ in range(2)
		)
		b = Client(self.staff_b)
		b.post("tolink.api.partner.respond_to_referral", referral=first, decision="accept")
		# beyond capacity: a clear message, nothing changed
		text = self.refused(
			self.staff_b,
			lambda c: c.post("tolink.api.partner.respond_to_referral", referral=second, decision="accept"),
			417,
		)
		self.assertIn(full.service_name, text)
		self.assertEqual(b.get_doc("Referral", second)["status"], "Sent")
		# completing needs an outcome
		self.refused(
			self.staff_b,
			lambda c: c.post("tolink.api.partner.respond_to_referral", referral=first, decision="complete"),
			417,
		)
		# only the sender cancels; the sender does not accept
		self.refused(
			self.staff_b,
			lambda c: c.post("tolink.api.partner.respond_to_referral", referral=second, decision="cancel"),
			403,
		)
		self.refused(
			self.case_manager,
			lambda c: c.post("tolink.api.partner.respond_to_referral", referral=second, decision="accept"),
			403,
		)
		self.assertEqual(b.get_doc("Referral", second)["status"], "Sent")
		self.assertEqual(
			send.post("tolink.api.partner.respond_to_referral", referral=second, decision="cancel")["status"],
			"Cancelled",
		)

	def test_what_the_network_knows_follows_consent(self):
		"""The intake's overview: the organisation holding the person sees its own work and that of
		the organisations the person consented to share with; others cannot ask."""
		ref = self.send()
		plans = {}
		for org in (self.org_b, self.org_c):
			manager = make_user(f"cm-{uid()}@cp.test", ["Case Manager"], org)
			plan = frappe.get_doc(
				{
					"doctype": "Welfare Plan",
					"citizen": self.citizen.name,
					"case_manager": manager,
					"provider": org,
				}
			)
			plans[org] = plan.insert().name
		frappe.db.commit()
		own = Client(self.case_manager).get("tolink.api.desk.citizen_overview", citizen=self.citizen.name)
		self.assertIn(ref["name"], [r["name"] for r in own["referrals"]])
		shown = [p["name"] for p in own["plans"]]
		self.assertIn(plans[self.org_b], shown)  # the person consented to share with B
		self.assertNotIn(plans[self.org_c], shown)  # not with C
		self.refused(
			self.staff_c,
			lambda c: c.get("tolink.api.desk.citizen_overview", citizen=self.citizen.name),
			403,
		)

	def test_respond_is_post_only(self):
		ref = self.send()
		with self.assertRaises(RestError):
			Client(self.staff_b).get(
				"tolink.api.partner.respond_to_referral", referral=ref["name"], decision="accept"
			)

	def test_receiver_does_not_read_the_case(self):
		self.send()
		b = Client(self.staff_b)
		with self.assertRaises(RestError):
			b.get_doc("Citizen", self.citizen.name)
		with self.assertRaises(RestError):
			b.get_doc("Intake", self.intake.name)


class TestWorkflowEditingOverREST(LiveServerTestCase):
	"""A Network Administrator changes the care path's workflows in Desk, without code."""

	roles = {"admin": ["Network Administrator"], "reception": ["Reception Operator"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.admin, cls.reception = cls.users["admin"], cls.users["reception"]

	def added_transition(self):
		return {
			"state": "Sent",
			"action": "Decline",
			"next_state": "Declined",
			"allowed": "Case Manager",
			"allow_self_approval": 1,
		}

	def remove_added_transition(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		wf = frappe.get_doc("Workflow", "Referral")
		added = self.added_transition()
		wf.transitions = [
			t
			for t in wf.transitions
			if not all(t.get(k) == v for k, v in added.items() if k != "allow_self_approval")
		]
		wf.save(ignore_permissions=True)
		frappe.db.commit()

	def transitions(self):
		frappe.db.rollback()  # a fresh snapshot: the server committed
		return [
			(t.state, t.action, t.next_state, t.allowed)
			for t in frappe.get_doc("Workflow", "Referral").transitions
		]

	def test_network_administrator_adds_a_transition(self):
		before = self.transitions()
		self.addCleanup(self.remove_added_transition)
		admin = Client(self.admin)
		wf = admin.get_doc("Workflow", "Referral")
		admin.update("Workflow", "Referral", {"transitions": [*wf["transitions"], self.added_transition()]})
		self.assertEqual(self.transitions(), [*before, ("Sent", "Decline", "Declined", "Case Manager")])
		# the role is picked from the list in the form (roles are searched by their Italian name)
		self.assertIn("Case Manager", admin.search_link("Role", "Responsabile del caso"))

	def test_only_the_care_path_workflows(self):
		"""A workflow on another doctype would rewrite its records: System Managers only."""
		admin = Client(self.admin)
		before = frappe.db.count("Workflow")
		with self.assertRaises(RestError) as ctx:
			admin.insert(
				{
					"doctype": "Workflow",
					"workflow_name": f"ToDo {self.s}",
					"document_type": "ToDo",
					"workflow_state_field": "status",
					"is_active": 0,
					"states": [{"state": "Sent", "doc_status": "0", "allow_edit": "Network Administrator"}],
				}
			)
		self.assertEqual(ctx.exception.status_code, 403)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Workflow"), before)
		# nor moves ours onto another doctype
		with self.assertRaises(RestError) as ctx:
			admin.update("Workflow", "Referral", {"document_type": "ToDo"})
		self.assertEqual(ctx.exception.status_code, 403)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Workflow", "Referral", "document_type"), "Referral")

	def test_network_administrator_adds_states_and_actions(self):
		admin = Client(self.admin)
		state = admin.insert({"doctype": "Workflow State", "workflow_state_name": f"Sospeso {self.s}"})
		action = admin.insert(
			{"doctype": "Workflow Action Master", "workflow_action_name": f"Sospendi {self.s}"}
		)
		self.addCleanup(self.delete, "Workflow State", state["name"])
		self.addCleanup(self.delete, "Workflow Action Master", action["name"])
		admin.update("Workflow State", state["name"], {"style": "Warning"})
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Workflow State", state["name"], "style"), "Warning")

	def delete(self, doctype, name):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.delete_doc(doctype, name, ignore_permissions=True)
		frappe.db.commit()

	def test_reception_operator_cannot_change_workflows(self):
		before = self.transitions()
		c = Client(self.reception)
		for call in (
			lambda: c.get_doc("Workflow", "Referral"),
			lambda: c.update("Workflow", "Referral", {"transitions": [self.added_transition()]}),
			lambda: c.insert(
				{"doctype": "Workflow Action Master", "workflow_action_name": f"Salta {self.s}"}
			),
		):
			with self.assertRaises(RestError) as ctx:
				call()
			# refused without telling whether the workflow exists
			self.assertIn(ctx.exception.status_code, (403, 404))
		self.assertEqual(self.transitions(), before)
		self.assertFalse(frappe.db.exists("Workflow Action Master", f"Salta {self.s}"))
