"""The city-scale seeder at a tiny size: its rows are valid documents the row rules see, and seeding
again (resuming, growing) never duplicates. The seeder commits as it goes (bulk inserts, chunks), so
this test removes everything it made in tearDown instead of rolling back."""

import os
import tempfile
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.benchmarks import scale_seed
from tolink.devtools.rest import make_user
from tolink.registry import codice_fiscale

CITIZENS = 200
SEEDED = (
	"Citizen",
	"Household",
	"Household Member",
	"Consent",
	"Intake",
	"Intake Need",
	"Referral",
	"Welfare Plan",
	"Case Note",
	"Helpline Call",
	"Parcel Delivery",
	"Parcel Delivery Item",
	"Stock Ledger Entry",
	"Stock Movement",
	"Stock Movement Item",
	"Stock Bin",
	"Voucher",
	"Voucher Redemption",
	"Service",
	"Service Need Category",
	"Service District",
	"Service Schedule",
)


def counts() -> dict[str, int]:
	return {dt: frappe.db.count(dt, {"name": ("like", f"{scale_seed.PREFIX}%")}) for dt in SEEDED}


class TestScaleSeed(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tmp = tempfile.mkdtemp()
		cls.patches = [
			patch.object(scale_seed, "SERVICES", 300),
			patch.object(scale_seed, "marker_path", lambda: os.path.join(cls.tmp, "scale_seed.json")),
		]
		for p in cls.patches:
			p.start()
		if frappe.db.exists("Provider", scale_seed.CITY):
			cleanup()
		scale_seed.seed(CITIZENS, chunk=150, quiet=True)

	@classmethod
	def tearDownClass(cls):
		cleanup()
		for p in cls.patches:
			p.stop()
		super().tearDownClass()

	def test_every_table_has_its_share(self):
		seeded = counts()
		goal = scale_seed.targets(CITIZENS)
		self.assertEqual(seeded["Citizen"], CITIZENS)
		self.assertEqual(seeded["Household Member"], CITIZENS)
		self.assertEqual(seeded["Household"], goal["households"])
		self.assertEqual(seeded["Intake"], goal["intakes"])
		self.assertEqual(seeded["Intake Need"], goal["intakes"])
		self.assertEqual(seeded["Referral"], goal["referrals"])
		self.assertEqual(seeded["Parcel Delivery"], goal["deliveries"])
		self.assertEqual(seeded["Parcel Delivery Item"], goal["deliveries"])
		self.assertEqual(seeded["Voucher Redemption"], goal["redemptions"])
		self.assertEqual(seeded["Service"], 300)
		# the stock ledger adds up and no bin is below zero
		self.assertGreater(seeded["Stock Bin"], 0)
		self.assertGreaterEqual(
			frappe.db.get_value("Stock Bin", {"name": ("like", "SCL-%")}, "min(actual_qty)"), 0
		)
		ledger = frappe.db.sql(
			"""select e.hub, e.aid_item, sum(e.qty_change) from `tabStock Ledger Entry` e
			where e.name like 'SCL-%%' group by e.hub, e.aid_item"""
		)
		for hub, item, total in ledger:
			self.assertEqual(
				float(total), frappe.db.get_value("Stock Bin", {"hub": hub, "aid_item": item}, "actual_qty")
			)

	def test_rows_are_valid_documents(self):
		for cf in frappe.get_all("Citizen", filters={"name": ("like", "SCL-%")}, pluck="codice_fiscale"):
			self.assertTrue(codice_fiscale.is_valid(cf), cf)
		for doctype in (
			"Citizen",
			"Household",
			"Consent",
			"Intake",
			"Referral",
			"Welfare Plan",
			"Case Note",
			"Helpline Call",
			"Parcel Delivery",
			"Voucher",
		):
			for name in frappe.get_all(
				doctype, filters={"name": ("like", "SCL-%")}, pluck="name", limit=5, order_by="name desc"
			):
				doc = frappe.get_doc(doctype, name)
				doc.load_doc_before_save()
				doc.run_method("validate")  # raises if the row is not a valid document
		household = frappe.get_doc("Household", scale_seed.household_name(1))
		self.assertEqual(household.household_size, len(household.members))
		self.assertEqual(household.head_of_household, household.members[0].citizen)
		frappe.db.rollback()

	def test_the_row_rules_see_them(self):
		city_user = make_user("scale-seed-city@example.com", ["Reception Operator"], scale_seed.CITY)
		other = scale_seed.organisation_names()[20]
		other_user = make_user("scale-seed-other@example.com", ["Reception Operator"], other)
		try:
			for doctype in ("Citizen", "Intake"):
				own = frappe.db.count(doctype, {"provider": scale_seed.CITY, "name": ("like", "SCL-%")})
				self.assertGreater(own, 0)
				frappe.set_user(city_user)
				seen = frappe.get_list(
					doctype, filters={"name": ("like", "SCL-%")}, pluck="provider", limit=0
				)
				self.assertEqual(len(seen), own)
				self.assertEqual(set(seen), {scale_seed.CITY})
				frappe.set_user(other_user)
				seen = frappe.get_list(
					doctype, filters={"name": ("like", "SCL-%")}, pluck="provider", limit=0
				)
				self.assertNotIn(scale_seed.CITY, seen)
				frappe.set_user("Administrator")
		finally:
			frappe.set_user("Administrator")
			for user in (city_user, other_user):
				frappe.delete_doc("User", user, force=True, ignore_permissions=True)
			frappe.db.commit()

	def test_resuming_and_growing_never_duplicate(self):
		before = counts()
		marker = scale_seed.read_marker()
		# as if interrupted after committing chunks the marker did not record yet
		marker["done"]["referrals"] = 150
		marker["done"]["deliveries"] = 0
		scale_seed.write_marker(marker)
		scale_seed.seed(CITIZENS, chunk=150, quiet=True)
		self.assertEqual(counts(), before)
		scale_seed.seed(CITIZENS + 50, chunk=150, quiet=True)
		grown = counts()
		self.assertEqual(grown["Citizen"], CITIZENS + 50)
		self.assertEqual(grown["Referral"], scale_seed.targets(CITIZENS + 50)["referrals"])
		self.assertEqual(
			len(set(frappe.get_all("Citizen", filters={"name": ("like", "SCL-%")}, pluck="codice_fiscale"))),
			CITIZENS + 50,
		)


def cleanup() -> None:
	"""Everything the seeder made on this site."""
	frappe.db.rollback()
	for doctype in SEEDED:
		frappe.db.sql(f"delete from `tab{doctype}` where name like %(p)s", {"p": f"{scale_seed.PREFIX}%"})
	programme = scale_seed.programme_name()
	for doctype in ("Voucher Amount Rule", "Voucher Programme Merchant"):
		frappe.db.sql(f"delete from `tab{doctype}` where parent = %(p)s", {"p": programme})
	frappe.db.sql("delete from `tabVoucher Programme` where name = %(p)s", {"p": programme})
	frappe.db.sql("delete from `tabDistribution Hub` where name like %(p)s", {"p": f"{scale_seed.PREFIX} %"})
	frappe.db.sql("delete from `tabHub Staff` where parent like %(p)s", {"p": f"{scale_seed.PREFIX} %"})
	for org in scale_seed.organisation_names():
		frappe.db.sql("delete from `tabProvider` where name = %(p)s", {"p": org})
	for i in range(len(scale_seed.organisation_names())):
		if frappe.db.exists("User", scale_seed.case_manager(i)):
			frappe.delete_doc("User", scale_seed.case_manager(i), force=True, ignore_permissions=True)
	frappe.db.commit()
