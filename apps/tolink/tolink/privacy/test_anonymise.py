"""Erasure: nothing identifying remains anywhere, and the counts funders see stay right."""

import json
import os

import frappe
from frappe.utils import add_months, now_datetime

from tolink.devtools.factories import (
	make_citizen,
	make_consent,
	make_household,
	make_provider,
	make_service,
	uid,
)
from tolink.devtools.rest import make_user
from tolink.privacy.anonymise import anonymise_citizen, apply_retention
from tolink.tests.case import CommittingTestCase

# the records of the work and housing pathways, the helpline's check-ins, the funding programmes,
# the hubs and the voucher applications, with their child tables
PATHWAY_TABLES = (
	"tabCheck-in Schedule",
	"tabEmployment Profile",
	"tabEmployment Status Period",
	"tabEmployment Qualification",
	"tabWork Measure",
	"tabWork Measure Attendance",
	"tabHousing Situation",
	"tabHousing Situation Period",
	"tabSocial Housing Application",
	"tabParticipation",
	"tabHub Enrolment",
	"tabRound Household",
	"tabVoucher Application",
)


def add_pathway_records(citizen, household, org: str, cm: str, marker: str) -> dict:
	"""One record of each doctype added after the first privacy routines, held by org, its free text
	naming the person and carrying `marker`; a CV on the employment profile (a File uploaded apart,
	its URL in the field) and a document attached to the work measure. Returns {doctype: name} and
	the files' paths on disk under "files"."""
	from frappe.utils import add_days, get_first_day, today

	from tolink.devtools.distribution import make_hub
	from tolink.devtools.monitoring import make_funding_programme, make_participation
	from tolink.devtools.pathways import make_employment_profile, make_housing_situation, make_work_measure
	from tolink.devtools.vouchers import make_programme

	name = citizen.full_name
	frappe.set_user("Administrator")
	make_consent(citizen.name, org, purpose="Vouchers")
	funding = make_funding_programme().name
	programme = make_programme(org, [])
	cv = frappe.get_doc(
		{"doctype": "File", "file_name": f"cv-{marker}.txt", "is_private": 1, "content": f"CV di {name}"}
	).insert(ignore_permissions=True)
	frappe.set_user(cm)
	check_in = frappe.get_doc(
		{
			"doctype": "Check-in Schedule",
			"citizen": citizen.name,
			"frequency": "Weekly",
			"next_due": today(),
			"notes": f"Chiamare {name} {marker}",
		}
	).insert()
	profile = make_employment_profile(
		citizen.name,
		skills=f"Saldatura, {marker}",
		constraints=f"Accudisce la madre di {name}",
		cv=cv.file_url,
		qualifications=[{"qualification": f"Diploma {marker}", "qualification_type": "School diploma"}],
	)
	profile.reload()
	profile.history[0].notes = f"Licenziato {marker}"
	profile.save()
	measure = make_work_measure(
		citizen.name,
		make_provider(),
		employer=f"Officina {marker}",
		outcome_notes=f"{name} {marker}",
		dropout_reason=f"Malattia {marker}",
		attendance=[
			{
				"month": get_first_day(add_days(today(), -40)),
				"hours_planned": 80,
				"hours_attended": 60,
				"notes": f"Assenze {marker}",
			}
		],
	)
	housing = make_housing_situation(household.name, temporary_accommodation=f"Dormitorio {marker}")
	housing.reload()
	housing.history[0].address = f"Via {marker} 3"
	housing.save()
	erp = frappe.get_doc(
		{
			"doctype": "Social Housing Application",
			"household": household.name,
			"application_date": today(),
			"protocol_number": f"PROT-{marker}",
			"assigned_address": f"Corso {marker} 5",
			"rejection_reason": f"Rifiuto {marker}",
		}
	).insert()
	participation = make_participation(
		citizen.name,
		funding,
		labour_status="Unemployed",
		unemployed_since=add_days(today(), -400),
		education_level="ISCED 0-2 (up to lower secondary)",
		disability="Yes",
		third_country_national="Yes",
		foreign_background="Yes",
		minority="No",
		homeless_or_housing_exclusion="Yes",
	)
	application = frappe.get_doc(
		{
			"doctype": "Voucher Application",
			"household": household.name,
			"programme": programme.name,
			"note": f"Urgente per {name} {marker}",
		}
	).insert()
	frappe.set_user("Administrator")
	frappe.db.set_value(
		"Voucher Application", application.name, "refusal_reason", f"No {marker}", update_modified=False
	)
	# a round of the hub: the household's row and its enrolment on the hub's list
	hub = make_hub(org)
	distribution_round = frappe.get_doc(
		{
			"doctype": "Distribution Round",
			"hub": hub.name,
			"from_date": today(),
			"to_date": today(),
			"households": [{"household": household.name}],
		}
	).insert()
	document = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"contratto-{marker}.txt",
			"attached_to_doctype": "Work Measure",
			"attached_to_name": measure.name,
			"is_private": 1,
			"content": f"Contratto di {name}",
		}
	).insert(ignore_permissions=True)
	return {
		"Check-in Schedule": check_in.name,
		"Employment Profile": profile.name,
		"Work Measure": measure.name,
		"Housing Situation": housing.name,
		"Social Housing Application": erp.name,
		"Participation": participation.name,
		"Voucher Application": application.name,
		"Hub Enrolment": frappe.db.get_value("Hub Enrolment", {"household": household.name}, "name"),
		"Round Household": frappe.db.get_value(
			"Round Household", {"parent": distribution_round.name, "household": household.name}, "name"
		),
		"files": [cv.get_full_path(), document.get_full_path()],
	}


class TestAnonymise(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org, self.partner = make_provider(), make_provider()
		self.cm = make_user(f"cm-{uid()}@anon.test", ["Case Manager"], self.org)
		# make_user commits: users first, then the person (rolled back in tearDown)
		self.psy = make_user(f"psy-{uid()}@anon.test", ["Psychologist"], self.org)
		s = uid()
		self.phone, self.email = f"333{int(s, 16) % 10**7:07d}", f"giovanna-{s}@example.com"
		self.citizen = make_citizen(
			self.org,
			first_name="Giovanna",
			last_name=f"Identificabile{s}",
			phone=self.phone,
			email=self.email,
			address="Via Nizza 12, Torino",
		)
		self.household = make_household(self.org, [self.citizen], isee=1000)
		make_consent(self.citizen.name, self.org, partner=self.partner)
		frappe.set_user(self.cm)
		self.referral = frappe.get_doc(
			{
				"doctype": "Referral",
				"citizen": self.citizen.name,
				"service": make_service(self.partner).name,
				"note_for_provider": f"{self.citizen.full_name} needs food",
			}
		).insert()
		self.note = frappe.get_doc(
			{
				"doctype": "Case Note",
				"citizen": self.citizen.name,
				"visibility": "Organisation",
				"subject": "s",
				"note": "x",
			}
		).insert()
		frappe.set_user("Administrator")
		# a trace outside the records: a comment and a version
		self.citizen.add_comment("Comment", f"Called {self.citizen.full_name}")
		self.citizen.reload()
		self.citizen.notes = "Changed"
		self.citizen.save(ignore_version=False)  # Frappe keeps no versions in tests unless asked

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def identifiers(self):
		return [
			self.citizen.full_name,
			self.citizen.codice_fiscale,
			self.citizen.last_name,
			self.phone,
			self.email,
		]

	def add_traces(self) -> tuple[str, str]:
		"""More records and copies naming the person: an intake, a helpline call, a support session,
		a document attached to the citizen (a file on disk), an email about the referral, the access
		log of a print. Returns the attachment's path on disk and the email's name."""
		name = self.citizen.full_name
		frappe.set_user(self.cm)
		frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": self.citizen.name,
				"channel": "Front office",
				"needs": [{"need_category": "Food parcels", "description": f"Spesa per {name}"}],
				"notes": f"Colloquio con {name}",
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Helpline Call",
				"caller_type": "Known citizen",
				"citizen": self.citizen.name,
				"reason": "Food",
				"notes": f"Ha chiamato {name}",
			}
		).insert()
		frappe.set_user(self.psy)
		frappe.get_doc(
			{"doctype": "Support Session", "citizen": self.citizen.name, "notes": f"Seduta con {name}"}
		).insert()
		frappe.set_user("Administrator")
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"documento-{self.citizen.last_name}.txt",
				"attached_to_doctype": "Citizen",
				"attached_to_name": self.citizen.name,
				"is_private": 1,
				"content": f"Carta d'identita di {name}, {self.citizen.codice_fiscale}",
			}
		).insert(ignore_permissions=True)
		email = frappe.get_doc(
			{
				"doctype": "Email Queue",
				"sender": "noreply@anon.test",
				"message": f"Subject: Invio\n\n{name} needs food",
				"reference_doctype": "Referral",
				"reference_name": self.referral.name,
				"recipients": [{"recipient": self.email, "status": "Not Sent"}],
				"status": "Not Sent",
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Access Log",
				"export_from": "Citizen",
				"reference_document": self.citizen.name,
				"file_type": "PDF",
				"method": "Print",
				"page": f"<h1>{name}</h1>",
				"user": self.cm,
			}
		).insert(ignore_permissions=True)
		path = file.get_full_path()
		self.assertTrue(os.path.exists(path))
		return path, email.name

	def test_nothing_identifying_remains(self):
		before = {
			dt: frappe.db.count(dt) for dt in ("Citizen", "Household", "Referral", "Case Note", "Consent")
		}
		attachment, email = self.add_traces()
		anonymise_citizen(self.citizen.name)
		# the attachment is gone from disk, not only from the table; the email with its recipients
		self.assertFalse(os.path.exists(attachment), attachment)
		self.assertFalse(frappe.db.exists("File", {"attached_to_name": self.citizen.name}))
		self.assertFalse(frappe.db.exists("Email Queue", email))
		self.assertFalse(frappe.db.exists("Email Queue Recipient", {"parent": email}))
		tables = (
			"tabCitizen",
			"tabHousehold",
			"tabHousehold Member",
			"tabReferral",
			"tabCase Note",
			"tabConsent",
			"tabIntake",
			"tabIntake Need",
			"tabHelpline Call",
			"tabSupport Session",
			"tabVersion",
			"tabComment",
			"tabFile",
			"tabEmail Queue",
			"tabEmail Queue Recipient",
			"tabAccess Log",
			"tabDeleted Document",
			"tabNotification Log",
			"__global_search",
		)
		for table in tables:
			rows = frappe.db.sql(f"select * from `{table}`", as_dict=True)
			text = json.dumps(rows, default=str)
			for identifier in self.identifiers():
				self.assertNotIn(identifier, text, f"{identifier} still in {table}")
		after = {dt: frappe.db.count(dt) for dt in before}
		self.assertEqual(before, after)  # counts stay right
		c = frappe.db.get_value(
			"Citizen", self.citizen.name, ["status", "district", "sex", "birth_date"], as_dict=True
		)
		self.assertEqual(c.status, "Anonymised")
		self.assertEqual((c.district, c.sex), (self.citizen.district, self.citizen.sex))
		self.assertEqual((c.birth_date.month, c.birth_date.day), (1, 1))

	def test_the_pathways_records_lose_the_identity_and_keep_the_statistics(self):
		marker = f"Segnaposto{uid()}"
		household_name = self.household.household_name
		records = add_pathway_records(self.citizen, self.household, self.org, self.cm, marker)
		for doctype, name in records.items():
			self.assertTrue(name, doctype)
		for path in records["files"]:
			self.assertTrue(os.path.exists(path), path)
		text = json.dumps(
			[frappe.db.sql(f"select * from `{table}`", as_dict=True) for table in PATHWAY_TABLES], default=str
		)
		for value in (marker, self.citizen.full_name, household_name):
			self.assertIn(value, text)  # the test puts them where the erasure must find them

		anonymise_citizen(self.citizen.name)
		for path in records["files"]:
			self.assertFalse(os.path.exists(path), path)
		for table in (*PATHWAY_TABLES, "tabFile", "tabVersion", "tabComment", "tabDeleted Document"):
			text = json.dumps(frappe.db.sql(f"select * from `{table}`", as_dict=True), default=str)
			for identifier in (marker, household_name, *self.identifiers()):
				self.assertNotIn(identifier, text, f"{identifier} still in {table}")
		# the records stay, with what the counts and the ESF+ indicators need
		for doctype, name in records.items():
			if doctype not in ("files", "Round Household"):
				self.assertTrue(frappe.db.exists(doctype, name), doctype)
		p = frappe.db.get_value("Participation", records["Participation"], ["*"], as_dict=True)
		self.assertEqual(
			(p.labour_status, p.education_level), ("Unemployed", "ISCED 0-2 (up to lower secondary)")
		)
		self.assertTrue(p.age_band)
		for field in (
			"disability",
			"third_country_national",
			"foreign_background",
			"minority",
			"homeless_or_housing_exclusion",
		):
			self.assertEqual(p[field], "Not disclosed", field)
		m = frappe.db.get_value("Work Measure", records["Work Measure"], ["*"], as_dict=True)
		self.assertEqual(
			(m.measure_type, m.status, m.citizen_name),
			("Inclusion traineeship", "In progress", "Anonimizzato"),
		)
		self.assertEqual(frappe.db.get_value("Employment Profile", records["Employment Profile"], "cv"), None)
		self.assertEqual(
			frappe.db.get_value("Housing Situation", records["Housing Situation"], "tenure"), "Rented"
		)

	def test_a_shared_household_keeps_its_history_without_its_head(self):
		"""The head of a household of several people: the household stays with the others, its
		versions naming the head go, the others stay."""
		head = make_citizen(self.org, first_name="Capo", last_name=f"Famiglia{uid(4)}")
		other = make_citizen(self.org, first_name="Resta", last_name=f"Famiglia{uid(4)}")
		household = make_household(self.org, [other, head], isee=1000)
		# versions are kept in tests only when asked (Frappe skips them when frappe.flags.in_test)
		household.head_of_household = head.name  # a version with the head's name
		household.save(ignore_permissions=True, ignore_version=False)
		household.reload()
		household.isee_value = 2000  # a version without it
		household.save(ignore_permissions=True, ignore_version=False)
		versions = frappe.get_all("Version", filters={"ref_doctype": "Household", "docname": household.name})
		self.assertTrue(
			any(head.full_name in frappe.db.get_value("Version", v.name, "data") for v in versions)
		)

		anonymise_citizen(head.name)
		data = frappe.get_all(
			"Version", filters={"ref_doctype": "Household", "docname": household.name}, pluck="data"
		)
		self.assertTrue(data)  # the changes that did not name the head stay
		for identifier in (head.full_name, head.codice_fiscale):
			self.assertNotIn(identifier, json.dumps(data))
		self.assertEqual(
			frappe.db.get_value("Household", household.name, "head_of_household_name"), "Anonimizzato"
		)

	def test_retention_job_anonymises_inactive_people_only(self):
		frappe.db.set_single_value("To Link Settings", "citizen_retention_months", 60)
		old = make_citizen(self.org)
		long_ago = add_months(now_datetime(), -70)
		frappe.db.set_value("Citizen", old.name, "modified", long_ago, update_modified=False)
		done = apply_retention()
		self.assertIn(old.name, done)
		self.assertNotIn(self.citizen.name, done)
		self.assertEqual(frappe.db.get_value("Citizen", old.name, "status"), "Anonymised")

	def test_only_network_administrators(self):
		from tolink.api import desk

		frappe.set_user(self.cm)
		with self.assertRaises(frappe.PermissionError):
			desk.anonymise_citizen(self.citizen.name)
