# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt
"""A Network Administrator's data import, on the real site: the README's 100 citizens with three bad
rows, households, organisations, services, a hub's opening stock; dry runs write nothing, an import
writes every row or none."""

import csv
import io
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, now_datetime
from frappe.utils.xlsxutils import make_xlsx

from tolink.devtools import import_samples
from tolink.devtools.distribution import make_hub
from tolink.devtools.factories import make_citizen, make_provider, random_cf, uid
from tolink.devtools.rest import make_user
from tolink.network import data_import
from tolink.registry.codice_fiscale import compute_checksum
from tolink.tests.case import CommittingTestCase

FIXTURES = Path(frappe.get_app_path("tolink", "tests", "fixtures"))


def read_fixture(name: str) -> list[list[str]]:
	with open(FIXTURES / name, encoding="utf-8") as f:
		return list(csv.reader(f))


def to_csv(rows: list[list], delimiter: str = ",") -> str:
	out = io.StringIO()
	csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
	return out.getvalue()


class ImportCase(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = uid()
		cls.s = s
		cls.org_a = make_provider(f"Import A {s}")
		cls.org_b = make_provider(f"Import B {s}")
		cls.admin = make_user(f"na-{s}@import.test", ["Network Administrator"], cls.org_a)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_import(self, import_type: str, content, file_name: str = "dati.csv", **kw):
		"""An import as the Network Administrator makes it: the file uploaded, then the record."""
		frappe.set_user(self.admin)
		file_doc = frappe.get_doc(
			{"doctype": "File", "file_name": f"{uid()}-{file_name}", "is_private": 1, "content": content}
		).insert(ignore_permissions=True)
		doc = frappe.get_doc(
			{"doctype": "To Link Import", "import_type": import_type, "import_file": file_doc.file_url, **kw}
		).insert()
		frappe.db.commit()
		return doc

	def run_import(self, doc, dry_run: bool) -> dict:
		frappe.set_user(self.admin)
		out = data_import.start(doc.name, dry_run=dry_run)
		frappe.db.rollback()
		return out

	def citizens_of(self, org: str) -> int:
		return frappe.db.count("Citizen", {"provider": org})


class TestCitizenImport(ImportCase):
	def test_hundred_citizens_with_three_bad_rows(self):
		# the person of row 42, registered first by ANOTHER organisation
		other = self.new_import(
			"Citizen", to_csv(read_fixture("cittadini-altro-ente.csv")), provider=self.org_b
		)
		self.assertEqual(self.run_import(other, dry_run=False)["status"], "Imported")
		registered = frappe.db.get_value(
			"Citizen", {"provider": self.org_b}, ["name", "full_name"], as_dict=True
		)

		sample = read_fixture("cittadini-esempio.csv")
		self.assertEqual(len(sample), 101)
		doc = self.new_import("Citizen", to_csv(sample), provider=self.org_a)

		# the dry run lists exactly the three rows, with the column and the reason, and writes nothing
		out = self.run_import(doc, dry_run=True)
		self.assertEqual(out["total_rows"], 100)
		rows = {e["row"]: e for e in out["errors"]}
		self.assertEqual(
			sorted(rows),
			[
				import_samples.BAD_CODICE_FISCALE_ROW,
				import_samples.ALREADY_REGISTERED_ROW,
				import_samples.NO_SURNAME_ROW,
			],
			out["errors"],
		)
		self.assertEqual(out["refused_rows"], 3)
		frappe.set_user(self.admin)
		cf = data_import.column_label(data_import.Column("codice_fiscale", "Citizen"))
		surname = data_import.column_label(data_import.Column("last_name", "Citizen", True))
		self.assertEqual(rows[import_samples.BAD_CODICE_FISCALE_ROW]["column"], cf)
		self.assertEqual(rows[import_samples.ALREADY_REGISTERED_ROW]["column"], cf)
		self.assertEqual(rows[import_samples.NO_SURNAME_ROW]["column"], surname)
		for e in out["errors"]:
			self.assertTrue(e["reason"])
		# nothing about the other record: not its name, organisation or person
		duplicate = rows[import_samples.ALREADY_REGISTERED_ROW]["reason"]
		for secret in (registered.name, self.org_b, registered.full_name, "Import B"):
			self.assertNotIn(secret, duplicate)
		self.assertEqual(self.citizens_of(self.org_a), 0)
		self.assertEqual(frappe.db.get_value("To Link Import", doc.name, "status"), "Refused")

		# the import refuses all: nothing half-imported
		out = self.run_import(doc, dry_run=False)
		self.assertEqual(out["refused_rows"], 3)
		self.assertEqual(out["imported_rows"], 0)
		self.assertEqual(self.citizens_of(self.org_a), 0)

		# the three rows fixed: all 100 written
		fixed = [list(r) for r in sample]
		bad = fixed[import_samples.BAD_CODICE_FISCALE_ROW - 1]
		bad[2] = bad[2][:15] + compute_checksum(bad[2][:15])
		fixed[import_samples.ALREADY_REGISTERED_ROW - 1] = [
			"Ernesta",
			"Nuovissima",
			random_cf(sex="F", last="Nuovissima"),
			"",
			"",
			"",
			"Via Nizza 1",
			"Torino",
			"8",
			"No",
		]
		fixed[import_samples.NO_SURNAME_ROW - 1][1] = "Dematteis"
		doc = self.new_import("Citizen", to_csv(fixed, delimiter=";"), provider=self.org_a)
		self.assertEqual(self.run_import(doc, dry_run=True)["status"], "Ready to Import")
		self.assertEqual(self.citizens_of(self.org_a), 0)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual((out["status"], out["imported_rows"], out["errors"]), ("Imported", 100, []))
		self.assertEqual(self.citizens_of(self.org_a), 100)
		# as the form would have saved them: derived from the codice fiscale, the owner the admin
		row = fixed[5]
		citizen = frappe.db.get_value(
			"Citizen",
			{"codice_fiscale": row[2]},
			["provider", "birth_place", "full_name", "owner", "resident_in_turin"],
			as_dict=True,
		)
		self.assertEqual(citizen.provider, self.org_a)
		self.assertTrue(citizen.birth_place)
		self.assertEqual(citizen.full_name, f"{row[0]} {row[1]}")
		self.assertEqual(citizen.owner, self.admin)
		self.assertEqual(citizen.resident_in_turin, 1)

		# written once: the import cannot run again, nor change what it imported
		frappe.set_user(self.admin)
		with self.assertRaises(frappe.ValidationError):
			data_import.start(doc.name, dry_run=True)
		doc.reload()
		doc.provider = self.org_b
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		frappe.db.rollback()

	def test_duplicates_in_the_file_and_bad_cells(self):
		cf = random_cf()
		rows = [
			["Nome", "Cognome", "Codice fiscale", "Data di nascita", "Sesso", "Residente a Torino"],
			["Uno", "Doppio", cf, "", "", "sì"],
			["Due", "Doppio", cf.lower(), "", "", ""],
			["Tre", "Data", random_cf(), "31/02/1980", "", ""],
			["Quattro", "Sesso", random_cf(), "", "X", ""],
			["Cinque", "Check", random_cf(), "", "", "forse"],
			["", "", "", "", "", ""],
			["Sei", "Senza", "", "", "", ""],
		]
		doc = self.new_import("Citizen", to_csv(rows), provider=self.org_a)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual(out["total_rows"], 6)
		self.assertEqual([e["row"] for e in out["errors"]], [3, 4, 5, 6, 8], out["errors"])
		self.assertIn("2", out["errors"][0]["reason"])  # "already on row 2"
		self.assertEqual(self.citizens_of(self.org_a), 0)

	def test_a_file_with_unknown_or_missing_columns_is_refused(self):
		doc = self.new_import(
			"Citizen", to_csv([["Nome", "Colore preferito"], ["Anna", "blu"]]), provider=self.org_a
		)
		out = self.run_import(doc, dry_run=True)
		self.assertEqual(out["status"], "Refused")
		self.assertEqual([e["row"] for e in out["errors"]], [0])
		self.assertIn("Colore preferito", out["errors"][0]["reason"])

	def test_excel_file(self):
		frappe.set_user(self.admin)
		header = data_import.template_rows("Citizen")[0]
		row = [""] * len(header)
		row[0], row[1], row[2] = "Excel", f"Persona{self.s}", random_cf()
		content = make_xlsx([header, row], "Citizen").getvalue()
		doc = self.new_import("Citizen", content, file_name="cittadini.xlsx", provider=self.org_b)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 1), out["errors"])
		self.assertTrue(
			frappe.db.exists("Citizen", {"last_name": f"Persona{self.s}", "provider": self.org_b})
		)

	def test_a_large_file_runs_in_the_background_and_the_limit_holds(self):
		rows = [["Nome", "Cognome", "Codice fiscale"]] + [
			["Grande", f"File{i}", random_cf()] for i in range(5)
		]
		doc = self.new_import("Citizen", to_csv(rows), provider=self.org_b)
		queued = []
		with (
			patch.object(data_import, "BACKGROUND_ROWS", 2),
			patch("frappe.enqueue", lambda *a, **kw: queued.append((a, kw))),
		):
			out = self.run_import(doc, dry_run=False)
		self.assertEqual(out["status"], "Queued")
		self.assertEqual(len(queued), 1)
		(method,), kw = queued[0]
		self.assertEqual(method, "tolink.network.data_import.run")
		self.assertEqual(kw["queue"], data_import.IMPORT_QUEUE)
		# while queued it cannot start twice
		frappe.set_user(self.admin)
		with self.assertRaises(frappe.ValidationError):
			data_import.start(doc.name, dry_run=False)
		# the job, as the worker runs it (as the user who queued it)
		out = data_import.run(kw["name"], kw["dry_run"])
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 5))

		with patch.object(data_import, "MAX_ROWS", 3):
			doc = self.new_import("Citizen", to_csv(rows), provider=self.org_b)
			out = self.run_import(doc, dry_run=True)
		self.assertEqual(out["status"], "Refused")
		self.assertIn("3", out["errors"][0]["reason"])

	def test_a_run_whose_worker_died_can_be_run_again(self):
		rows = [["Nome", "Cognome", "Codice fiscale"], ["Ripresa", f"Lavoro{self.s}", random_cf()]]
		doc = self.new_import("Citizen", to_csv(rows), provider=self.org_b)
		frappe.db.set_value("To Link Import", doc.name, "status", "Running")
		frappe.db.commit()
		frappe.set_user(self.admin)
		with self.assertRaises(frappe.ValidationError):
			data_import.start(doc.name, dry_run=True)
		frappe.db.set_value(
			"To Link Import",
			doc.name,
			"modified",
			add_to_date(now_datetime(), hours=-3),
			update_modified=False,
		)
		frappe.db.commit()
		self.assertEqual(self.run_import(doc, dry_run=False)["status"], "Imported")

	def test_the_file_is_kept_private(self):
		frappe.set_user(self.admin)
		public = frappe.get_doc(
			{"doctype": "File", "file_name": f"{uid()}.csv", "is_private": 0, "content": "Nome,Cognome\n"}
		).insert(ignore_permissions=True)
		doc = frappe.get_doc(
			{
				"doctype": "To Link Import",
				"import_type": "Citizen",
				"provider": self.org_a,
				"import_file": public.file_url,
			}
		).insert()
		self.assertTrue(doc.import_file.startswith("/private/files/"))
		self.assertEqual(frappe.db.get_value("File", public.name, "is_private"), 1)
		# another record's attachment cannot be pointed at
		citizen = make_citizen(self.org_b)
		attached = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{uid()}.csv",
				"is_private": 1,
				"content": "x",
				"attached_to_doctype": "Citizen",
				"attached_to_name": citizen.name,
			}
		).insert(ignore_permissions=True)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "To Link Import",
					"import_type": "Citizen",
					"provider": self.org_a,
					"import_file": attached.file_url,
				}
			).insert()
		frappe.db.rollback()


class TestOtherImports(ImportCase):
	def test_households_by_their_members_codici_fiscali(self):
		frappe.set_user("Administrator")
		people = [make_citizen(self.org_a) for _ in range(4)]
		foreign = make_citizen(self.org_b)
		frappe.db.commit()
		head, child = "Capofamiglia", "Figlio/a"
		header = [
			"Nome del nucleo",
			"Codice fiscale del componente",
			"Relazione",
			"ISEE (€)",
			"Circoscrizione",
		]
		rows = [
			header,
			[f"Famiglia Uno {self.s}", people[0].codice_fiscale, head, "4.500,00", "6"],
			[f"Famiglia Uno {self.s}", people[1].codice_fiscale, child, "", ""],
			[f"Famiglia Due {self.s}", people[2].codice_fiscale, "Head of household", "9000", "3"],
			# another organisation's person: not found (the same answer as for nobody)
			[f"Famiglia Due {self.s}", foreign.codice_fiscale, child, "", ""],
		]
		doc = self.new_import("Household", to_csv(rows), provider=self.org_a)
		out = self.run_import(doc, dry_run=True)
		self.assertEqual([e["row"] for e in out["errors"]], [5], out["errors"])
		self.assertNotIn(foreign.name, out["errors"][0]["reason"])
		self.assertFalse(frappe.db.exists("Household", {"provider": self.org_a}))

		rows[4][1] = people[3].codice_fiscale
		doc = self.new_import("Household", to_csv(rows), provider=self.org_a)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 4), out["errors"])
		one = frappe.get_doc("Household", {"household_name": f"Famiglia Uno {self.s}"})
		self.assertEqual(one.provider, self.org_a)
		self.assertEqual(one.isee_value, 4500)
		self.assertEqual(one.head_of_household, people[0].name)
		self.assertEqual(one.household_size, 2)
		self.assertEqual(frappe.db.get_value("Citizen", people[1].name, "household"), one.name)

		# the same people again: already in an active household, nothing written
		doc = self.new_import("Household", to_csv(rows[:3]), provider=self.org_a)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual(out["status"], "Refused")
		self.assertEqual(frappe.db.count("Household", {"provider": self.org_a}), 2)

	def test_organisations_then_their_services(self):
		names = [f"Cooperativa Import {self.s}", f"Associazione Import {self.s}"]
		self.sweep_providers.update(names)
		rows = [
			["Nome dell'ente", "Tipo di ente", "Email", "Circoscrizione"],
			[names[0], "Social Cooperative", f"coop-{self.s}@import.test", "6"],
			[names[1], "Association", "", ""],
			[names[0].upper(), "Association", "", ""],  # the same organisation again
		]
		frappe.set_user(self.admin)
		rows[0] = [
			data_import.column_label(data_import.Column(f, "Provider"))
			for f in ("provider_name", "provider_type", "email", "district")
		]
		doc = self.new_import("Provider", to_csv(rows))
		out = self.run_import(doc, dry_run=False)
		self.assertEqual([e["row"] for e in out["errors"]], [4], out["errors"])
		self.assertFalse(frappe.db.exists("Provider", names[0]))
		doc = self.new_import("Provider", to_csv(rows[:3]))
		self.assertEqual(self.run_import(doc, dry_run=False)["status"], "Imported")
		self.assertEqual(frappe.db.get_value("Provider", names[0], "provider_type"), "Social Cooperative")

		frappe.set_user(self.admin)
		header = [
			data_import.column_label(
				data_import.Column(f, "Service", f in ("service_name", "need_categories"))
			)
			for f in ("service_name", "provider", "need_categories", "districts", "capacity")
		]
		services = [
			header,
			[f"Pacchi {self.s}", names[0], "Food parcels", "6, 7", "30"],
			[f"Mensa {self.s}", "", "Food parcels; Canteens", "", ""],  # the import's organisation
			[f"Sconosciuto {self.s}", names[1], "Bisogno che non esiste", "", ""],
		]
		doc = self.new_import("Service", to_csv(services), provider=names[1])
		out = self.run_import(doc, dry_run=True)
		self.assertEqual([e["row"] for e in out["errors"]], [4], out["errors"])
		doc = self.new_import("Service", to_csv(services[:3]), provider=names[1])
		out = self.run_import(doc, dry_run=False)
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 2), out["errors"])
		service = frappe.get_doc("Service", {"service_name": f"Pacchi {self.s}"})
		self.assertEqual(service.provider, names[0])
		self.assertEqual(sorted(d.district for d in service.districts), ["6", "7"])
		self.assertEqual(service.capacity, 30)
		self.assertEqual(
			frappe.db.get_value("Service", {"service_name": f"Mensa {self.s}"}, "provider"), names[1]
		)

	def test_opening_stock_enters_the_hubs_ledger(self):
		frappe.set_user("Administrator")
		hub = make_hub(self.org_a).name
		frappe.db.commit()
		frappe.set_user(self.admin)
		header = [
			data_import.column_label(data_import.Column(f, "Stock Movement Item", f in ("aid_item", "qty")))
			for f in ("aid_item", "qty", "lot", "expiry_date")
		]
		rows = [
			header,
			["Pasta", "120", "L1", ""],
			["UHT milk", "40,5", "L2", ""],  # perishable: needs its expiry date
			["Nessun articolo", "1", "", ""],
			["Pasta", "-3", "", ""],
		]
		doc = self.new_import("Opening Stock", to_csv(rows), hub=hub)
		out = self.run_import(doc, dry_run=True)
		self.assertEqual([e["row"] for e in out["errors"]], [3, 4, 5], out["errors"])
		self.assertFalse(frappe.db.exists("Stock Ledger Entry", {"hub": hub}))

		rows[2][3] = "31/12/2099"
		rows = rows[:3]
		doc = self.new_import("Opening Stock", to_csv(rows), hub=hub)
		out = self.run_import(doc, dry_run=False)
		self.assertEqual((out["status"], out["imported_rows"]), ("Imported", 2), out["errors"])
		movement = frappe.get_doc("Stock Movement", {"reference_name": doc.name})
		self.assertEqual((movement.docstatus, movement.movement_type, movement.hub), (1, "Receipt", hub))
		self.assertEqual(movement.reference_doctype, "To Link Import")
		bins = {
			b.aid_item: b.actual_qty
			for b in frappe.get_all("Stock Bin", filters={"hub": hub}, fields=["aid_item", "actual_qty"])
		}
		self.assertEqual(bins, {"Pasta": 120, "UHT milk": 40.5})
		self.assertEqual(
			frappe.db.count("Stock Ledger Entry", {"hub": hub, "stock_movement": movement.name}), 2
		)
