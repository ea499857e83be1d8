"""Statuses are defined once, on the controller of their doctype: the set of all of them
(`STATUSES`, the options of the doctype's Select field) and every set of them the app reads, named
for what it means (`referral.OPEN`, `voucher.IN_USE`...). This test holds the controllers' constants
against the doctype JSON, the shipped workflows and the workspace counts, and fails when another
module writes a set of statuses of its own instead of importing the controller's."""

import ast
import json
import re
from pathlib import Path

from frappe.tests.utils import FrappeTestCase

from tolink.care_path import workflows
from tolink.care_path.doctype.referral import referral
from tolink.care_path.doctype.welfare_plan import welfare_plan
from tolink.helpline.doctype.check_in_schedule import check_in_schedule
from tolink.monitoring.doctype.participation import participation
from tolink.network.doctype.partner_webhook_delivery import partner_webhook_delivery
from tolink.network.doctype.service import service
from tolink.network.doctype.service_schedule import service_schedule
from tolink.network.doctype.to_link_import import to_link_import
from tolink.pathways.doctype.employment_profile import employment_profile
from tolink.pathways.doctype.housing_situation import housing_situation
from tolink.pathways.doctype.social_housing_application import social_housing_application
from tolink.pathways.doctype.work_measure import work_measure
from tolink.vouchers import workflows as voucher_workflows
from tolink.vouchers.doctype.voucher import voucher
from tolink.vouchers.doctype.voucher_application import voucher_application

APP = Path(__file__).resolve().parent.parent

# (doctype, Select field): the controller module holding its options, their constant, and the named
# sets of them
CONSTANTS = {
	("Referral", "status"): (
		referral,
		"STATUSES",
		("OPEN", "FINAL", "HOLDING_A_PLACE", "WORKING", "SET_BY_RECEIVER"),
	),
	("Welfare Plan", "status"): (welfare_plan, "STATUSES", ("OPEN", "IN_FORCE")),
	("Voucher", "status"): (voucher, "STATUSES", ("IN_USE",)),
	("Voucher Application", "status"): (
		voucher_application,
		"STATUSES",
		("OPEN", "FINAL", "DECIDED_BY_APPROVER"),
	),
	("Service", "status"): (service, "STATUSES", ("TAKING_REFERRALS",)),
	("Service Schedule", "weekday"): (service_schedule, "WEEKDAYS", ()),
	("Work Measure", "status"): (work_measure, "STATUSES", ("RUNNING", "ENDED")),
	("Social Housing Application", "status"): (social_housing_application, "STATUSES", ("OPEN", "FINAL")),
	("Employment Profile", "labour_status"): (employment_profile, "LABOUR_STATUSES", ("EMPLOYED",)),
	("Housing Situation", "eviction_status"): (housing_situation, "EVICTION_STATUSES", ("EVICTION_PENDING",)),
	("Housing Situation", "tenure"): (housing_situation, "TENURES", ()),
	("Hub Opening Hours", "weekday"): (service_schedule, "WEEKDAYS", ()),
	("Check-in Schedule", "status"): (check_in_schedule, "STATUSES", ("TO_CALL",)),
	("Participation", "status"): (participation, "STATUSES", ("OPEN",)),
	("Partner Webhook Delivery", "status"): (partner_webhook_delivery, "STATUSES", ("DUE",)),
	("To Link Import", "status"): (to_link_import, "STATUSES", ("IN_PROGRESS",)),
}


def select_options(doctype: str, fieldname: str) -> tuple[str, ...]:
	scrubbed = doctype.lower().replace(" ", "_").replace("-", "_")
	(path,) = APP.glob(f"*/doctype/{scrubbed}/{scrubbed}.json")
	meta = json.loads(path.read_text())
	(df,) = [f for f in meta["fields"] if f["fieldname"] == fieldname]
	assert df["fieldtype"] == "Select", (doctype, fieldname)
	return tuple(o for o in df["options"].split("\n") if o)


class TestStatuses(FrappeTestCase):
	def test_the_select_offers_the_controllers_statuses(self):
		for (doctype, fieldname), (module, name, _sets) in CONSTANTS.items():
			with self.subTest(doctype=doctype):
				self.assertEqual(select_options(doctype, fieldname), getattr(module, name))

	def test_every_named_set_is_made_of_statuses(self):
		for (doctype, _fieldname), (module, name, sets) in CONSTANTS.items():
			for set_name in sets:
				values = getattr(module, set_name)
				with self.subTest(doctype=doctype, set=set_name):
					self.assertTrue(values)
					self.assertEqual(len(values), len(set(values)))
					self.assertLessEqual(set(values), set(getattr(module, name)))

	def test_the_referral_sets_say_what_their_names_say(self):
		statuses = set(referral.STATUSES)
		self.assertEqual(set(referral.OPEN) | set(referral.FINAL), statuses)
		self.assertFalse(set(referral.OPEN) & set(referral.FINAL))
		self.assertLessEqual(set(referral.HOLDING_A_PLACE), set(referral.OPEN))
		self.assertEqual(set(referral.WORKING), statuses - {"Declined", "Cancelled"})
		# only what is still open moves, and only to a status
		self.assertEqual(set(referral.ALLOWED_TRANSITIONS), set(referral.OPEN))
		reachable = {s for targets in referral.ALLOWED_TRANSITIONS.values() for s in targets}
		self.assertLessEqual(reachable, statuses)
		# the receiving organisation gives every answer but the sender's cancellation
		self.assertEqual(set(referral.SET_BY_RECEIVER), reachable - {"Cancelled"})

	def test_the_welfare_plan_sets_say_what_their_names_say(self):
		self.assertEqual(set(welfare_plan.OPEN), set(welfare_plan.STATUSES) - {"Closed"})
		self.assertLessEqual(set(welfare_plan.IN_FORCE), set(welfare_plan.OPEN))

	def test_the_shipped_workflows_use_the_controllers_statuses(self):
		for doctype, module in (("Referral", referral), ("Welfare Plan", welfare_plan)):
			spec = workflows.WORKFLOWS[doctype]
			with self.subTest(doctype=doctype):
				self.assertEqual({state for state, _role in spec["states"]}, set(module.STATUSES))
				for before, _action, after, _role in spec["transitions"]:
					self.assertIn(after, module.STATUSES)
					self.assertIn(before, module.STATUSES)
		for before, _action, after, _role in workflows.WORKFLOWS["Referral"]["transitions"]:
			self.assertIn(after, referral.ALLOWED_TRANSITIONS[before])

	def test_the_voucher_application_sets_and_workflow(self):
		statuses = set(voucher_application.STATUSES)
		self.assertEqual(set(voucher_application.OPEN) | set(voucher_application.FINAL), statuses)
		self.assertFalse(set(voucher_application.OPEN) & set(voucher_application.FINAL))
		self.assertEqual(set(voucher_application.ALLOWED_TRANSITIONS), set(voucher_application.OPEN))
		spec = voucher_workflows.WORKFLOW
		self.assertEqual({state for state, _role in spec["states"]}, statuses)
		for before, _action, after, _role, _own in spec["transitions"]:
			self.assertIn(after, voucher_application.ALLOWED_TRANSITIONS[before])

	def test_the_workspace_counts_use_named_sets(self):
		"""A count on a workspace filters on a set the controller names (its JSON cannot import it)."""
		named = {
			doctype: {frozenset(getattr(module, s)) for s in sets}
			for (doctype, _f), (module, _n, sets) in CONSTANTS.items()
		}
		pattern = re.compile(r'\["([^"]+)", "status", "in", (\[[^\]]*\])')
		seen = 0
		for path in APP.glob("*/workspace/*/*.json"):
			for shortcut in json.loads(path.read_text()).get("shortcuts", []):
				for doctype, values in pattern.findall(shortcut.get("stats_filter") or ""):
					if doctype in named:
						seen += 1
						with self.subTest(workspace=path.stem, shortcut=shortcut.get("label")):
							self.assertIn(frozenset(json.loads(values)), named[doctype])
		self.assertTrue(seen)

	def test_no_module_writes_a_set_of_statuses_of_its_own(self):
		"""Two or more statuses of a doctype written together (a tuple, list or set of them) anywhere
		but in the doctype's controller: the set should be named there and imported."""
		owners = {}
		for (doctype, fieldname), (module, name, _sets) in CONSTANTS.items():
			if fieldname == "status":
				owners[Path(module.__file__).resolve()] = (doctype, set(getattr(module, name)))
		found = []
		for path in APP.rglob("*.py"):
			if "tests" in path.parts or path.name.startswith("test_") or path.resolve() in owners:
				continue
			tree = ast.parse(path.read_text())
			literal_types = {id(n.slice) for n in ast.walk(tree) if isinstance(n, ast.Subscript)}
			for node in ast.walk(tree):
				if not isinstance(node, ast.Tuple | ast.List | ast.Set) or id(node) in literal_types:
					continue
				values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
				if (
					len(values) < 2
					or len(values) != len(node.elts)
					or not all(isinstance(v, str) for v in values)
				):
					continue
				for doctype, statuses in owners.values():
					if set(values) <= statuses:
						found.append(f"{path.relative_to(APP)}:{node.lineno} {values} ({doctype})")
		self.assertEqual(found, [])
