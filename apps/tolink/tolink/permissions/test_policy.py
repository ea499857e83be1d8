"""The access policy is one table: hooks.py, the child tables and the read log follow from it."""

import glob
import importlib
import json
import os

import frappe

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.permissions import policy
from tolink.permissions.policy import POLICY, RULES
from tolink.tests.case import CommittingTestCase

QUERY_HOOK = "tolink.permissions.policy.query_conditions"
PERMISSION_HOOK = "tolink.permissions.policy.has_permission"
SET_PROVIDER = "tolink.permissions.set_provider_on_insert"
CHECK_LINKS = "tolink.permissions.links.check_linked_records"
BLOCK_DOCSHARE = "tolink.permissions.block_docshare"
POLICY_EVENTS = {SET_PROVIDER, CHECK_LINKS, BLOCK_DOCSHARE}
# Frappe's standard fields, which the app's code may own as well
STANDARD_FIELDS = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"}


def expected_hooks() -> tuple[dict, dict, dict]:
	"""hooks.py's permission entries as POLICY implies them."""
	queries = {dt: QUERY_HOOK for dt, access in POLICY.items() if RULES[access.rule].query}
	permissions = {dt: PERMISSION_HOOK for dt, access in POLICY.items() if RULES[access.rule].has_permission}
	events: dict[str, dict[str, str]] = {}
	for dt, access in POLICY.items():
		if access.check_links:
			events.setdefault(dt, {})["before_validate"] = CHECK_LINKS
		if access.provider_on_insert:
			events.setdefault(dt, {}).update({"before_insert": SET_PROVIDER, "validate": SET_PROVIDER})
	events["DocShare"] = {"validate": BLOCK_DOCSHARE}
	return queries, permissions, events


def policy_events(doc_events: dict) -> dict:
	"""The doc_events of hooks.py that point at the policy's functions (others are left out)."""
	out: dict[str, dict[str, str]] = {}
	for dt, events in doc_events.items():
		for event, methods in events.items():
			for method in [methods] if isinstance(methods, str) else methods:
				if method in POLICY_EVENTS:
					out.setdefault(dt, {})[event] = method
	return out


def app_doctypes() -> dict[str, dict]:
	"""Every doctype folder of the app: {name: its JSON}."""
	out = {}
	for path in glob.glob(os.path.join(frappe.get_app_path("tolink"), "*", "doctype", "*", "*.json")):
		with open(path) as f:
			spec = json.load(f)
		if spec.get("doctype") == "DocType":
			out[spec["name"]] = spec
	return out


class TestPolicyTable(CommittingTestCase):
	def test_hooks_are_the_policy(self):
		hooks = importlib.import_module("tolink.hooks")
		queries, permissions, events = expected_hooks()
		self.assertEqual(hooks.permission_query_conditions, queries)
		self.assertEqual(hooks.has_permission, permissions)
		self.assertEqual(policy_events(hooks.doc_events), events)

	def test_every_doctype_of_the_app_has_an_entry(self):
		doctypes = app_doctypes()
		self.assertEqual(sorted(set(doctypes) - set(POLICY)), [], "doctypes without an access policy")
		for doctype in POLICY:
			self.assertTrue(frappe.db.exists("DocType", doctype), f"{doctype} in POLICY is no doctype")
		for doctype, access in POLICY.items():
			self.assertIn(access.rule, RULES, doctype)

	def test_rules_resolve(self):
		for kind, rule in RULES.items():
			for path in (rule.query, rule.has_permission):
				if path:
					self.assertTrue(callable(frappe.get_attr(path)), f"{kind}: {path}")

	def test_child_tables_name_their_parents(self):
		for doctype, spec in app_doctypes().items():
			access = POLICY[doctype]
			if not spec.get("istable"):
				self.assertEqual(access.parents, (), f"{doctype} is no child table")
				self.assertNotEqual(access.rule, "parent", doctype)
				continue
			holders = set(
				frappe.get_all(
					"DocField",
					filters={"fieldtype": ("in", ["Table", "Table MultiSelect"]), "options": doctype},
					pluck="parent",
				)
			)
			self.assertEqual(set(access.parents), holders, f"the doctypes holding {doctype}")

	def test_personal_child_tables_follow_their_parent(self):
		personal = policy.personal_doctypes()
		for doctype in personal:
			for df in frappe.get_meta(doctype).get_table_fields():
				self.assertIn(df.options, personal, f"{df.options} (rows of {doctype}) is personal data")
				self.assertEqual(POLICY[df.options].rule, "parent", f"{df.options} follows {doctype}")
		for doctype, access in POLICY.items():
			if access.rule == "parent":
				self.assertEqual(len(access.parents), 1, f"{doctype}: one parent whose rules apply")
				(parent,) = access.parents
				self.assertTrue(RULES[POLICY[parent].rule].query, f"{parent} has no row rule")
				self.assertEqual(access.personal, POLICY[parent].personal, doctype)

	def test_fields_named_by_the_policy_exist(self):
		for doctype, access in POLICY.items():
			meta = frappe.get_meta(doctype)
			for field in access.server_owned:
				self.assertTrue(
					meta.has_field(field) or field in STANDARD_FIELDS, f"{doctype}.{field} does not exist"
				)
			self.assertLessEqual(access.admin_settable, access.server_owned, doctype)
			if access.logged:
				self.assertTrue(access.logged == "name" or meta.has_field(access.logged), doctype)
				self.assertTrue(RULES[access.rule].has_permission, f"reads of {doctype} are not seen")
			if access.provider_on_insert:
				self.assertTrue(meta.has_field("provider"), doctype)
			if access.rule == "organisation":
				self.assertTrue(meta.has_field("provider"), doctype)

	def test_names_other_modules_import(self):
		from tolink.permissions import PERSONAL_DATA_CHILD_TABLES, PERSONAL_DATA_DOCTYPES

		self.assertEqual(
			set(PERSONAL_DATA_DOCTYPES) | set(PERSONAL_DATA_CHILD_TABLES), set(policy.personal_doctypes())
		)
		self.assertEqual(PERSONAL_DATA_CHILD_TABLES["Household Member"], "Household")
		for doctype in ("Citizen", "Referral", "Case Note", "Personal Data Access Log"):
			self.assertIn(doctype, PERSONAL_DATA_DOCTYPES)


class TestPolicyRules(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.org_a, cls.org_b = make_provider(f"Policy A {s}"), make_provider(f"Policy B {s}")
		cls.reception_a = make_user(f"rec-a-{s}@policy.test", ["Reception Operator"], cls.org_a)
		cls.reception_b = make_user(f"rec-b-{s}@policy.test", ["Reception Operator"], cls.org_b)
		cls.admin = make_user(f"admin-{s}@policy.test", ["Network Administrator"], cls.org_a)
		cls.citizen = make_citizen(cls.org_a, vulnerability_flags=[{"flag": "Domestic violence"}])
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_each_organisation_lists_its_own_rows_and_child_rows(self):
		for user, sees in ((self.reception_a, True), (self.reception_b, False), (self.admin, True)):
			frappe.set_user(user)
			names = frappe.get_list("Citizen", filters={"name": self.citizen.name}, pluck="name")
			self.assertEqual(names == [self.citizen.name], sees, user)
			rows = frappe.get_list(
				"Citizen Vulnerability",
				filters={"parent": self.citizen.name},
				fields=["flag"],
				parent_doctype="Citizen",
			)
			self.assertEqual(bool(rows), sees, user)

	def test_one_combiner_for_children_links_and_workflow_actions(self):
		own = policy.row_conditions("Citizen", self.reception_b)
		self.assertIn(frappe.db.escape(self.org_b), own)
		self.assertIn(own, policy.query_conditions(self.reception_b, "Citizen Vulnerability"))
		self.assertIn(
			policy.row_conditions("Referral", self.reception_b),
			policy.query_conditions(self.reception_b, "Workflow Action"),
		)
		# network administrators and the directory: no condition
		self.assertEqual(policy.row_conditions("Citizen", self.admin), "")
		self.assertEqual(policy.query_conditions(self.reception_b, "Service"), "")
		# a doctype pointed at the generic rule without an entry reads nothing
		self.assertEqual(policy.query_conditions(self.reception_b, "ToDo"), "1=0")

	def test_a_read_is_logged_once_by_the_policy(self):
		log = {"reference_doctype": "Citizen", "reference_name": self.citizen.name}
		frappe.local.tolink_logged_reads = set()
		frappe.set_user(self.reception_b)
		self.assertFalse(frappe.has_permission("Citizen", "read", doc=self.citizen.name))
		self.assertFalse(frappe.db.exists("Personal Data Access Log", {**log, "user": self.reception_b}))
		frappe.set_user(self.reception_a)
		for _ in range(2):
			self.assertTrue(frappe.has_permission("Citizen", "read", doc=self.citizen.name))
		self.assertEqual(frappe.db.count("Personal Data Access Log", {**log, "user": self.reception_a}), 1)
		# a write check is no read
		frappe.local.tolink_logged_reads = set()
		self.assertTrue(frappe.has_permission("Citizen", "write", doc=self.citizen.name))
		self.assertEqual(frappe.db.count("Personal Data Access Log", {**log, "user": self.reception_a}), 1)

	def test_a_rule_of_its_own_module_is_logged_the_same_way(self):
		psychologist = make_user(f"psy-{uid()}@policy.test", ["Psychologist"], self.org_a)
		session = frappe.get_doc(
			{"doctype": "Support Session", "citizen": self.citizen.name, "provider": self.org_a}
		).insert(ignore_permissions=True)
		log = {"reference_doctype": "Support Session", "reference_name": session.name}
		frappe.local.tolink_logged_reads = set()
		for user, reads in ((self.admin, False), (psychologist, True)):
			frappe.set_user(user)
			self.assertEqual(frappe.has_permission("Support Session", "read", doc=session.name), reads)
			self.assertEqual(
				frappe.db.count("Personal Data Access Log", {**log, "user": user}), int(reads), user
			)

	def test_server_owned_fields(self):
		self.assertIn("provider", policy.server_owned_fields("Citizen", self.reception_a))
		self.assertNotIn("provider", policy.server_owned_fields("Citizen", self.admin))
		self.assertIn("status", policy.server_owned_fields("Citizen", self.admin))
		self.assertIn("balance", policy.server_owned_fields("Voucher"))
		self.assertIn("actual_qty", policy.server_owned_fields("Stock Bin"))
		self.assertEqual(policy.server_owned_fields("ToDo"), frozenset())
		frappe.set_user(self.admin)
		self.assertNotIn("provider", policy.server_owned_fields("Consent"))
		frappe.set_user(self.reception_a)
		self.assertIn("provider", policy.server_owned_fields("Consent"))
