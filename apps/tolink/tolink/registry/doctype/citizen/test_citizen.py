# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from tolink.devtools import cleanup
from tolink.devtools.factories import make_citizen, make_provider, random_cf
from tolink.registry.doctype.citizen.citizen import DuplicateCitizenError, InvalidCodiceFiscaleError
from tolink.tests.case import CommittingTestCase


class TestCitizen(CommittingTestCase):  # the Data Import commits
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()
		self.other_org = make_provider()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_codice_fiscale_normalised_and_derived(self):
		doc = make_citizen(
			self.org, codice_fiscale="bnclra80a41l219v", first_name=" Laura ", last_name="Bianchi"
		)
		self.assertEqual(doc.codice_fiscale, "BNCLRA80A41L219V")
		self.assertEqual(str(doc.birth_date), "1980-01-01")
		self.assertEqual(doc.sex, "F")
		self.assertEqual(doc.full_name, "Laura Bianchi")

	def test_name_is_opaque(self):
		doc = make_citizen(self.org)
		self.assertTrue(doc.name.startswith("CIT-"))
		self.assertNotIn(doc.codice_fiscale, doc.name)

	def test_invalid_codice_fiscale_is_refused_and_nothing_saved(self):
		before = frappe.db.count("Citizen")
		with self.assertRaises(InvalidCodiceFiscaleError) as ctx:
			make_citizen(self.org, codice_fiscale="RSSMRA85T10A562X")
		self.assertIn("RSSMRA85T10A562X", str(ctx.exception))
		self.assertEqual(frappe.db.count("Citizen"), before)

	def test_birth_place_derived_from_the_code(self):
		doc = make_citizen(self.org, codice_fiscale="BNCLRA80A41L219V")
		self.assertEqual(doc.birth_place, "Torino (TO)")
		self.assertEqual(frappe.db.get_value("Citizen", doc.name, "birth_place"), "Torino (TO)")
		# a typed birth place is replaced by the code's
		abroad = make_citizen(self.org, codice_fiscale=random_cf(place="Z330"), birth_place="Torino")
		self.assertEqual(abroad.birth_place, "Marocco")
		# a new code, a new place; no code, no place
		doc.codice_fiscale = random_cf(place="Z129")
		doc.birth_date = doc.sex = None
		doc.save()
		self.assertEqual(doc.birth_place, "Romania")
		doc.has_no_codice_fiscale = 1
		doc.save()
		self.assertIsNone(doc.birth_place)
		self.assertTrue(frappe.get_meta("Citizen").get_field("birth_place").read_only)

	def test_unknown_birth_place_is_refused_in_italian(self):
		from tolink.registry.codice_fiscale import compute_checksum

		first15 = "RSSMRA85T10Z999"  # no comune or state has the code Z999
		code = first15 + compute_checksum(first15)
		before = frappe.db.count("Citizen")
		previous_lang = frappe.local.lang
		frappe.local.lang = "it"
		try:
			with self.assertRaises(InvalidCodiceFiscaleError) as ctx:
				make_citizen(self.org, codice_fiscale=code)
		finally:
			frappe.local.lang = previous_lang
		self.assertEqual(
			str(ctx.exception),
			f"Codice fiscale non valido <strong>{code}</strong>: i caratteri da 12 a 15 "
			"(<strong>Z999</strong>) non sono il codice di un comune italiano o di uno Stato estero "
			"esistente alla data di nascita.",
		)
		self.assertEqual(frappe.db.count("Citizen"), before)

	def test_impossible_birth_date_in_the_code_is_refused(self):
		from tolink.registry.codice_fiscale import compute_checksum

		first15 = "RSSMRA85B31L219"  # 31 February
		code = first15 + compute_checksum(first15)
		with self.assertRaises(InvalidCodiceFiscaleError) as ctx:
			make_citizen(self.org, codice_fiscale=code)
		self.assertEqual(
			str(ctx.exception),
			_(
				"Invalid codice fiscale {0}: the birth date it holds (characters 7 to 11) does not exist."
			).format(frappe.bold(code)),
		)

	def test_codice_fiscale_or_provisional_id_required(self):
		with self.assertRaises(InvalidCodiceFiscaleError):
			frappe.get_doc(
				{"doctype": "Citizen", "first_name": "A", "last_name": "B", "provider": self.org}
			).insert()

	def test_provisional_id_for_people_without_codice_fiscale(self):
		a = make_citizen(self.org, has_no_codice_fiscale=1)
		b = make_citizen(self.org, has_no_codice_fiscale=1)
		self.assertTrue(a.provisional_id.startswith("TLP-"))
		self.assertNotEqual(a.provisional_id, b.provisional_id)
		self.assertIsNone(a.codice_fiscale)

	def test_mismatch_with_codice_fiscale_is_a_warning(self):
		frappe.clear_messages()
		doc = make_citizen(self.org, codice_fiscale="RSSMRA85T10A562S", birth_date="1985-12-11", sex="F")
		self.assertEqual(str(doc.birth_date), "1985-12-11")  # kept, for review
		messages = " ".join(str(m) for m in frappe.get_message_log())
		self.assertIn("codice fiscale", messages)

	def test_duplicate_codice_fiscale_is_refused_without_revealing_the_other(self):
		cf = random_cf()
		first = make_citizen(self.org, codice_fiscale=cf, first_name="Anna", last_name="Segreta")
		frappe.db.set_single_value("To Link Settings", "helpdesk_contact", "Segreteria To Link")
		before = frappe.db.count("Citizen")
		with self.assertRaises(DuplicateCitizenError) as ctx:
			make_citizen(self.other_org, codice_fiscale=cf.lower())
		message = str(ctx.exception)
		self.assertIn("Segreteria To Link", message)
		for secret in (first.name, self.org, "Segreta", "Anna"):
			self.assertNotIn(secret, message)
		self.assertEqual(frappe.db.count("Citizen"), before)

	def test_same_name_and_birth_date_flags_for_review(self):
		from datetime import date

		first = make_citizen(
			self.org,
			first_name="Mario",
			last_name="Omonimo",
			has_no_codice_fiscale=1,
			birth_date=date(1970, 3, 3),
		)
		self.assertFalse(first.possible_duplicate)
		second = make_citizen(
			self.other_org,
			first_name="mario",
			last_name="OMONIMO",
			has_no_codice_fiscale=1,
			birth_date=date(1970, 3, 3),
		)
		self.assertTrue(second.possible_duplicate)

	def test_many_people_without_codice_fiscale(self):
		"""The unique index stays: empty codes are stored as NULL, which it does not compare."""
		unique = frappe.db.sql(
			"show index from `tabCitizen` where Column_name = 'codice_fiscale' and Non_unique = 0"
		)
		self.assertTrue(unique)
		people = [make_citizen(self.org, has_no_codice_fiscale=1, codice_fiscale="") for _ in range(3)]
		stored = frappe.get_all(
			"Citizen", filters={"name": ("in", [p.name for p in people])}, pluck="codice_fiscale"
		)
		self.assertEqual(stored, [None, None, None])

	def test_omocodia_code_is_accepted_and_decoded(self):
		doc = make_citizen(self.org, codice_fiscale="rssmra85t10a56nh")
		self.assertEqual(doc.codice_fiscale, "RSSMRA85T10A56NH")
		self.assertEqual(str(doc.birth_date), "1985-12-10")
		self.assertEqual(doc.sex, "M")

	def test_changing_to_a_registered_code_is_refused(self):
		cf = random_cf()
		make_citizen(self.org, codice_fiscale=cf)
		other = make_citizen(self.other_org)
		original = other.codice_fiscale
		other.codice_fiscale = cf
		with self.assertRaises(DuplicateCitizenError):
			other.save()
		self.assertEqual(frappe.db.get_value("Citizen", other.name, "codice_fiscale"), original)

	def test_possible_duplicate_warning_reveals_nothing(self):
		from datetime import date

		first = make_citizen(
			self.org,
			first_name="Lucia",
			last_name="Riservata",
			has_no_codice_fiscale=1,
			birth_date=date(1960, 1, 2),
		)
		frappe.clear_messages()
		second = make_citizen(
			self.other_org,
			first_name="Lucia",
			last_name="Riservata",
			has_no_codice_fiscale=1,
			birth_date=date(1960, 1, 2),
		)
		self.assertTrue(second.possible_duplicate)
		messages = " ".join(str(m) for m in frappe.get_message_log())
		self.assertTrue(messages)
		for secret in (first.name, self.org, first.provisional_id):
			self.assertNotIn(secret, messages)
		# a different birth date is another person
		third = make_citizen(
			self.org,
			first_name="Lucia",
			last_name="Riservata",
			has_no_codice_fiscale=1,
			birth_date=date(1961, 1, 2),
		)
		self.assertFalse(third.possible_duplicate)

	def test_provisional_id_is_kept_on_save(self):
		doc = make_citizen(self.org, has_no_codice_fiscale=1)
		provisional = doc.provisional_id
		doc.notes = "Seen again"
		doc.save()
		self.assertEqual(doc.provisional_id, provisional)

	def test_roles_that_see_personal_data(self):
		for doctype in ("Citizen", "Household", "Consent"):
			perms = {p.role: p for p in frappe.get_meta(doctype).permissions if p.permlevel == 0}
			self.assertNotIn("Monitoring Officer", perms, doctype)
			self.assertNotIn("Merchant", perms, doctype)
			self.assertTrue(perms["Network Administrator"].get("import"), doctype)
			self.assertTrue(perms["Reception Operator"].create, doctype)
			self.assertFalse(perms["Hub Volunteer"].write, doctype)
			self.assertFalse(perms["Provider Staff"].create, doctype)
		self.assertTrue(
			next(p for p in frappe.get_meta("Consent").permissions if p.role == "Psychologist").create
		)
		self.assertFalse(
			next(p for p in frappe.get_meta("Citizen").permissions if p.role == "Psychologist").create
		)

	def test_data_import_keeps_valid_rows_and_reports_errors(self):
		"""Frappe's Data Import, as a user runs it: upload a spreadsheet, start the import."""
		good1, good2 = random_cf(), random_cf()
		while good2 == good1:
			good2 = random_cf()
		content = (
			"First Name,Last Name,Codice Fiscale,Organisation\n"
			f"Ada,Importata,{good1},{self.org}\n"
			f"Bruno,Importato,RSSMRA85T10A562X,{self.org}\n"
			f"Carla,Importata,{good2},{self.org}\n"
		)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"citizens-{frappe.generate_hash(length=6)}.csv",
				"content": content,
				"is_private": 1,
			}
		).insert()
		data_import = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": "Citizen",
				"import_type": "Insert New Records",
				"import_file": file.file_url,
			}
		).insert()
		cleanup.record("File", file.name)
		cleanup.record("Data Import", data_import.name)
		data_import.start_import()
		data_import.reload()
		self.assertEqual(data_import.status, "Partial Success")
		imported = set(
			frappe.get_all("Citizen", filters={"last_name": ("like", "Importat%")}, pluck="first_name")
		)
		self.assertEqual(imported, {"Ada", "Carla"})
		failed = frappe.get_all(
			"Data Import Log", filters={"data_import": data_import.name, "success": 0}, pluck="messages"
		)
		self.assertEqual(len(failed), 1)
		self.assertIn("RSSMRA85T10A562X", failed[0])
