"""Work and housing in Desk, in the browser, as a case manager: one person from unemployment to a
contract through an inclusion traineeship, one household from an eviction notice to a social home.
Each step is saved through its form, refused in Italian when its dates do not hold, reminded (the
eviction alert), and shown on the welfare plan with the progress of its goals by area."""

import json
import re

import frappe
from frappe.utils import add_days, add_months, get_first_day, today

from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.devtools.wait import eventually
from tolink.pathways.alerts import alert_evictions
from tolink.tests.e2e.browser import BrowserTestCase


class TestPathwaysInBrowser(BrowserTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org, cls.host = make_provider(f"Servizi {s}"), make_provider(f"Cooperativa ospite {s}")
		cls.cm = make_user(f"cm-{s}@pathbrowser.test", ["Case Manager"], cls.org, "Marta")
		cls.worker = make_citizen(cls.org, first_name="Ahmed", last_name=f"Lavoro{s}")
		make_household(cls.org, [cls.worker], household_name=f"Nucleo Lavoro {s}")
		cls.tenant = make_citizen(cls.org, first_name="Rosa", last_name=f"Casa{s}")
		cls.household = make_household(cls.org, [cls.tenant], household_name=f"Nucleo Casa {s}").name
		frappe.set_user(cls.cm)
		cls.work_plan = cls.plan(cls.worker.name, [("Work", "Trovare un lavoro stabile")])
		cls.home_plan = cls.plan(
			cls.tenant.name, [("Housing", "Evitare lo sfratto"), ("Income", "ISEE aggiornato")]
		)
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.start_browser()
		cls.log_in(cls.cm)

	@classmethod
	def plan(cls, citizen, goals):
		return (
			frappe.get_doc(
				{
					"doctype": "Welfare Plan",
					"citizen": citizen,
					"case_manager": cls.cm,
					"goals": [{"area": area, "goal": goal} for area, goal in goals],
				}
			)
			.insert()
			.name
		)

	# --- the form, as the case manager uses it

	def new(self, doctype, values):
		"""A new form of the doctype, opened from Desk with its links filled in (as the plan's buttons
		and the links panel do)."""
		self.page.goto(f"{self.base}/app")
		self.page.wait_for_function("() => window.frappe && frappe.new_doc")
		self.page.evaluate(f"frappe.new_doc({json.dumps(doctype)}, {json.dumps(values)})")
		self.page.wait_for_function(
			f"() => window.cur_frm && cur_frm.doctype === {json.dumps(doctype)} && cur_frm.is_new()"
		)

	def open(self, doctype, name):
		self.page.goto(f"{self.base}/app/{doctype.lower().replace(' ', '-')}/{name}")
		self.page.wait_for_function(
			f"() => window.cur_frm && cur_frm.doc.name === {json.dumps(name)} && !cur_frm.is_dirty()"
		)

	def set(self, values: dict):
		for field, value in values.items():
			self.page.evaluate(f"cur_frm.set_value({json.dumps(field)}, {json.dumps(value, default=str)})")
		self.page.wait_for_timeout(300)

	def save(self) -> str:
		"""Ctrl+S; the saved record's name."""
		self.page.keyboard.press("Control+s")
		self.page.wait_for_function(
			"() => !cur_frm.is_new() && !cur_frm.is_dirty() && !cur_frm.doc.__unsaved"
		)
		self.page.wait_for_selector("#freeze", state="detached")
		return self.page.evaluate("cur_frm.doc.name")

	def refused(self) -> str:
		"""Ctrl+S on values the server refuses: its message, and the dialog closed."""
		self.page.keyboard.press("Control+s")
		message = self.page.wait_for_selector(".msgprint").inner_text()
		self.page.click(".modal.show .btn-modal-close")
		self.page.wait_for_selector(".modal.show", state="hidden")
		return message

	def plan_panel(self, plan, *expected) -> str:
		self.open("Welfare Plan", plan)
		panel = '.frappe-control[data-fieldname="area_progress"]'
		for text in expected:
			self.page.wait_for_selector(f"{panel} >> text={text}")
		return self.page.inner_text(panel)

	# --- the two journeys

	def test_from_unemployment_to_a_contract(self):
		with self.screenshot_on_failure():
			page = self.page
			self.new("Employment Profile", {"citizen": self.worker.name})
			self.set({"labour_status": "Unemployed", "status_since": add_months(today(), -18)})
			self.set(
				{
					"did_date": add_months(today(), -17),
					"education_level": "ISCED 3-4 (upper or post-secondary)",
				}
			)
			self.save()
			frappe.db.rollback()  # a fresh snapshot: the server committed
			self.assertEqual(frappe.db.get_value("Citizen", self.worker.name, "labour_status"), "Unemployed")

			start = get_first_day(add_months(today(), -3))
			# from the plan: Crea > Misura di inserimento lavorativo
			self.open("Welfare Plan", self.work_plan)
			page.click('.inner-group-button[data-label="Crea"] button >> visible=true')
			page.locator(".inner-group-button .dropdown-menu a >> visible=true").filter(
				has_text=re.compile(r"^\s*Misura di inserimento lavorativo\s*$")
			).first.click()
			page.wait_for_function("() => cur_frm.doctype === 'Work Measure' && cur_frm.is_new()")
			self.assertEqual(
				page.evaluate("[cur_frm.doc.citizen, cur_frm.doc.welfare_plan]"),
				[self.worker.name, self.work_plan],
			)
			# an end before the start: refused, in Italian
			self.set({"measure_type": "Inclusion traineeship", "host_organisation": self.host})
			self.set({"start_date": start, "end_date": add_days(start, -1), "status": "In progress"})
			self.assertIn("data di fine è precedente", self.refused())
			self.set({"end_date": add_days(add_months(start, 6), -1), "weekly_hours": 20})
			self.set({"monthly_allowance": 600, "allowance_paid_by": "Region", "host_tutor": "Giorgio"})
			measure = self.save()
			# the month's attendance, through the form's table
			page.evaluate(
				"cur_frm.add_child('attendance', {month: frappe.datetime.get_today(), hours_planned: 80, "
				"hours_attended: 78}); cur_frm.refresh_field('attendance'); cur_frm.dirty()"
			)
			self.save()
			# hired: the contract type is asked for
			self.set({"status": "Hired", "outcome_date": today()})
			self.assertIn("tipo di contratto", self.refused())
			self.set({"contract_type": "Fixed-term", "employer": "Officine Torino"})
			self.save()
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Citizen", self.worker.name, "labour_status"), "Employed")
			self.assertEqual(frappe.db.get_value("Work Measure", measure, "status"), "Hired")

			# the plan shows the measure and its outcome; the work goal achieved moves the progress
			text = self.plan_panel(self.work_plan, "Tirocinio di inclusione", "Assunto")
			self.assertIn("Lavoro: 0%", text)
			self.assertIn("Occupato", text)
			page.evaluate(
				"frappe.model.set_value(cur_frm.doc.goals[0].doctype, cur_frm.doc.goals[0].name, "
				"'goal_status', 'Achieved')"
			)
			page.wait_for_selector('.frappe-control[data-fieldname="area_progress"] >> text=Lavoro: 100%')
			self.save()
			actions = frappe.get_all(
				"Plan Action", filters={"parent": self.work_plan}, fields=["action", "done", "due_date"]
			)
			self.assertEqual([a.done for a in actions if measure in a.action], [1])

	def test_from_an_eviction_notice_to_a_social_home(self):
		with self.screenshot_on_failure():
			self.new("Housing Situation", {"household": self.household})
			self.set({"tenure": "Rented", "tenure_since": add_months(today(), -60), "arrears_amount": 2600})
			self.set({"eviction_status": "Notice served", "eviction_notice_date": add_days(today(), -30)})
			self.set({"morosita_incolpevole": 1})
			housing = self.save()
			# the hearing: a date before the notice is refused, in Italian
			self.set(
				{"eviction_status": "Hearing scheduled", "eviction_hearing_date": add_days(today(), -40)}
			)
			self.assertIn("udienza è precedente alla data della notifica", self.refused())
			self.set({"eviction_hearing_date": add_days(today(), 14)})
			self.save()

			# reminded: the daily job alerts the plan's case manager, once
			frappe.db.rollback()
			frappe.set_user("Administrator")
			self.assertGreaterEqual(alert_evictions(), 1)
			frappe.db.commit()
			self.assertTrue(
				frappe.db.exists("Notification Log", {"for_user": self.cm, "document_name": housing})
			)
			# and counted on the workspace
			self.page.goto(f"{self.base}/app/work-and-housing")
			self.page.wait_for_selector(".shortcut-widget-box >> text=Sfratti entro 30 giorni")
			self.page.wait_for_selector(".shortcut-widget-box >> text=1 entro 30 giorni")

			# the social-housing application, ranked, then assigned
			self.new(
				"Social Housing Application", {"household": self.household, "welfare_plan": self.home_plan}
			)
			self.set({"application_date": add_days(today(), -100), "call_name": "Bando ERP 2026"})
			application = self.save()
			self.set({"status": "Ranked", "ranking_date": add_days(today(), -20)})
			self.assertIn("posizione", self.refused())
			self.set({"ranking_position": 7, "ranking_score": 18.5})
			self.save()
			self.set(
				{"status": "Assigned", "assigned_on": today(), "assigned_address": "Via Artom 12, Torino"}
			)
			self.save()

			def placed():
				frappe.db.rollback()
				row = frappe.db.get_value(
					"Housing Situation", housing, ["tenure", "eviction_status"], as_dict=True
				)
				return row if row.tenure == "Social housing" else None

			row = eventually(placed, timeout=30, interval=0.3, message="the household in social housing")
			self.assertEqual(row.eviction_status, "Averted")
			self.assertEqual(frappe.db.get_value("Household", self.household, "eviction_pending"), 0)
			text = self.plan_panel(self.home_plan, "Assegnata", "Scongiurato")
			self.assertIn("Edilizia popolare", text)
			self.assertIn(
				application,
				self.page.get_attribute('.pathway-steps a[href*="social-housing-application"]', "href"),
			)
			self.assertIn("Casa", text)
			self.assertIn("Reddito", text)
