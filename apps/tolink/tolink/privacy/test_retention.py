"""Retention per kind of record: old records lose what identifies the person, nothing else does."""

import frappe
from frappe.utils import add_months, now_datetime

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.rest import make_user
from tolink.privacy.anonymise import ANONYMOUS, apply_record_retention
from tolink.tests.case import CommittingTestCase


class TestRecordRetention(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.operator = make_user(f"op-{uid()}@retention.test", ["Reception Operator"], self.org)
		self.citizen = make_citizen(self.org, last_name=f"Riconoscibile{uid(4)}")
		self.settings = frappe.get_doc("To Link Settings")
		self.settings.set("retention_rules", [{"document_type": "Helpline Call", "months": 24}])
		self.settings.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, notes: str, **kw):
		frappe.set_user(self.operator)
		doc = frappe.get_doc(
			{
				"doctype": "Helpline Call",
				"reason": "Food",
				"triage": "High",
				"caller_type": "Known citizen",
				"citizen": self.citizen.name,
				"notes": notes,
				**kw,
			}
		).insert()
		frappe.set_user("Administrator")
		return doc

	def age(self, doctype: str, name: str, months: int) -> None:
		frappe.db.set_value(
			doctype, name, "modified", add_months(now_datetime(), -months), update_modified=False
		)

	def test_old_records_of_the_kind_lose_the_identity(self):
		old = self.call(f"{self.citizen.full_name} chiede un pacco")
		old.add_comment("Comment", f"Richiamato {self.citizen.full_name}")
		old.reload()
		old.notes = f"{self.citizen.full_name}: richiamare"
		old.save()
		self.age("Helpline Call", old.name, 25)
		recent = self.call("Nuova chiamata")
		plan_note = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"provider": self.org,
				"visibility": "Organisation",
				"subject": "Colloquio",
				"note": "Testo",
			}
		).insert()
		self.age("Case Note", plan_note.name, 100)  # no rule for case notes: kept as it is
		calls_before = frappe.db.count("Helpline Call", {"caller_type": "Known citizen"})

		done = apply_record_retention()

		self.assertEqual(done["Helpline Call"], 1)
		cleared = frappe.db.get_value(
			"Helpline Call", old.name, ["citizen_name", "notes", "reason"], as_dict=True
		)
		self.assertEqual((cleared.citizen_name, cleared.notes), (ANONYMOUS, None))
		self.assertEqual(cleared.reason, "Food")  # what counts stays
		for table, field in (("Version", "docname"), ("Comment", "reference_name")):
			self.assertFalse(frappe.db.exists(table, {field: old.name}), table)
		self.assertFalse(frappe.db.exists("__global_search", {"name": old.name}))
		self.assertEqual(frappe.db.get_value("Helpline Call", recent.name, "notes"), "Nuova chiamata")
		self.assertEqual(frappe.db.get_value("Case Note", plan_note.name, "note"), "Testo")
		self.assertEqual(frappe.db.get_value("Citizen", self.citizen.name, "status"), "Active")
		self.assertEqual(frappe.db.count("Helpline Call", {"caller_type": "Known citizen"}), calls_before)
		# nothing of the person is left on the old call
		row = frappe.db.sql("select * from `tabHelpline Call` where name = %s", old.name, as_dict=True)[0]
		self.assertNotIn(self.citizen.last_name, repr(row))
		# done once: the next run finds nothing more to clear
		self.assertEqual(apply_record_retention()["Helpline Call"], 0)

	def test_a_kind_has_one_rule(self):
		self.settings.append("retention_rules", {"document_type": "Helpline Call", "months": 12})
		with self.assertRaises(frappe.ValidationError):
			self.settings.save()
		self.settings.reload()
		self.assertEqual(len(self.settings.retention_rules), 1)
