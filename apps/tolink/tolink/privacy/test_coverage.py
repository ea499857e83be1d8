"""The data subjects' rights cover every personal doctype: a new doctype holding a person's data and
linking a Citizen or a Household is in the export (subject_access) and in the erasure (anonymise), or
in one of the commented exclusions below."""

import frappe
from frappe.tests.utils import FrappeTestCase

from tolink.permissions.policy import POLICY, personal_doctypes
from tolink.privacy import anonymise, subject_access

# personal doctypes linking a person that the export reaches otherwise
NOT_EXPORTED = {
	# collect() adds the citizen's record and the households they belong to, members included
	"Citizen": "exported as the person's own record",
	"Household": "exported through the person's Household Member rows",
	"Household Member": "exported with its Household",
}

# personal doctypes linking a citizen or a household that the erasure reaches otherwise, or keeps
NOT_IN_BY_CITIZEN = {
	# anonymise_citizen blanks the person's own record field by field
	"Citizen": "anonymised field by field by anonymise_citizen",
	# the household's name and address go when the person was its only member; its head's name always
	"Household": "anonymise_citizen: household_name, address, head_of_household_name",
	"Household Member": "anonymise_citizen: citizen_name of the person's rows",
	# the holder's first name goes (the voucher stays with the household's other members)
	"Voucher": "anonymise_citizen: holder_first_name",
	# the household's rows on a hub's rounds: household_name when the person was its only member
	"Round Household": "anonymise_citizen: household_name of the household's rows",
	# who read the person's data, and when: no name nor free text, the person's link only; kept as
	# the accountability record of the reads (art. 5(2)), readable by Network Administrators only
	"Personal Data Access Log": "no identifying field: user, time, endpoint and the link only",
}

PERSON = ("Citizen", "Household")


def person_links(doctype: str) -> dict[str, str]:
	"""Fields of the doctype linking a Citizen or a Household: fieldname -> linked doctype."""
	return {
		df.fieldname: df.options
		for df in frappe.get_meta(doctype).fields
		if df.fieldtype == "Link" and df.options in PERSON
	}


def is_child(doctype: str) -> bool:
	return bool(frappe.get_meta(doctype).istable)


class TestSubjectAccessCoverage(FrappeTestCase):
	def test_every_personal_doctype_linking_a_person_is_exported(self):
		missing = []
		for doctype in sorted(personal_doctypes()):
			if not person_links(doctype) or doctype in NOT_EXPORTED:
				continue
			if doctype in subject_access.BY_CITIZEN or doctype in subject_access.BY_HOUSEHOLD:
				continue
			if doctype in subject_access.CHILD_BY_HOUSEHOLD:
				continue
			missing.append(doctype)
		self.assertEqual(
			missing,
			[],
			"personal doctypes linking a Citizen or a Household missing from tolink.privacy."
			"subject_access (BY_CITIZEN, BY_HOUSEHOLD, CHILD_BY_HOUSEHOLD) and from NOT_EXPORTED",
		)

	def test_the_exclusions_are_current(self):
		for doctype in (*NOT_EXPORTED, *NOT_IN_BY_CITIZEN):
			self.assertIn(doctype, personal_doctypes(), f"{doctype}: stale exclusion")
			self.assertTrue(person_links(doctype), f"{doctype}: links no person, no exclusion needed")
		overlap = set(NOT_IN_BY_CITIZEN) & (set(anonymise.BY_CITIZEN) | set(anonymise.BY_HOUSEHOLD))
		self.assertFalse(overlap, "both anonymised and excluded")

	def test_the_maps_name_real_links(self):
		for mapping, target in (
			(subject_access.BY_CITIZEN, "Citizen"),
			(subject_access.BY_HOUSEHOLD, "Household"),
			(subject_access.CHILD_BY_HOUSEHOLD, "Household"),
		):
			for doctype, field in mapping.items():
				self.assertIn(doctype, personal_doctypes(), doctype)
				self.assertEqual(person_links(doctype).get(field), target, f"{doctype}.{field}")

	def test_child_tables_come_with_an_exported_parent(self):
		exported = set(subject_access.BY_CITIZEN) | set(subject_access.BY_HOUSEHOLD) | set(NOT_EXPORTED)
		for doctype in sorted(personal_doctypes()):
			if not is_child(doctype) or doctype in subject_access.CHILD_BY_HOUSEHOLD:
				continue
			parents = POLICY[doctype].parents
			# a child of a record of several people (a round's households) is exported by its own link
			self.assertTrue(set(parents) & exported, f"{doctype}: none of {parents} is exported")


class TestAnonymiseCoverage(FrappeTestCase):
	def test_every_personal_doctype_linking_a_person_is_anonymised(self):
		covered = set(anonymise.BY_CITIZEN) | set(anonymise.BY_HOUSEHOLD) | set(NOT_IN_BY_CITIZEN)
		missing = [
			doctype
			for doctype in sorted(personal_doctypes())
			if person_links(doctype) and doctype not in covered
		]
		self.assertEqual(
			missing,
			[],
			"personal doctypes linking a Citizen or a Household missing from tolink.privacy.anonymise "
			"(BY_CITIZEN, BY_HOUSEHOLD) and from NOT_IN_BY_CITIZEN",
		)

	def test_records_linking_a_citizen_are_found_by_their_citizen(self):
		for doctype in anonymise.BY_CITIZEN:
			field = anonymise.CITIZEN_FIELD.get(doctype, "citizen")
			self.assertEqual(person_links(doctype).get(field), "Citizen", f"{doctype}.{field}")
			# apply_record_retention tells records already done by the name set to ANONYMOUS
			self.assertTrue(anonymise.name_field(doctype), doctype)
		for doctype in anonymise.BY_HOUSEHOLD:
			self.assertEqual(person_links(doctype).get("household"), "Household", doctype)

	def test_the_lookups_are_indexed(self):
		"""Erasure and the daily retention job look every record up by its link to the person: an
		index on each link, or a million people mean whole-table scans."""
		lookups = {(dt, anonymise.CITIZEN_FIELD.get(dt, "citizen")) for dt in anonymise.BY_CITIZEN}
		lookups |= {(dt, "household") for dt in anonymise.BY_HOUSEHOLD}
		lookups |= {
			("Round Household", "household"),
			("Voucher", "household"),
			("Voucher", "head_of_household"),
		}
		lookups |= {(dt, field) for dt, field in subject_access.BY_CITIZEN.items()}
		lookups |= {(dt, field) for dt, field in subject_access.BY_HOUSEHOLD.items()}
		lookups |= {(dt, field) for dt, field in subject_access.CHILD_BY_HOUSEHOLD.items()}
		missing = [
			f"{dt}.{field}"
			for dt, field in sorted(lookups)
			if not frappe.db.sql(
				f"show index from `tab{dt}` where Column_name = %s and Seq_in_index = 1", field
			)
		]
		self.assertEqual(missing, [], "links to the person without an index (search_index in the JSON)")

	def test_the_blanked_fields_exist(self):
		maps = [anonymise.BY_CITIZEN, anonymise.BY_HOUSEHOLD, anonymise.CHILD_TEXT]
		for mapping in maps:
			for doctype, values in mapping.items():
				meta = frappe.get_meta(doctype)
				for field in values:
					self.assertTrue(meta.has_field(field), f"{doctype}.{field}")

	def test_free_text_and_files_of_the_records_are_blanked(self):
		"""Every free-text field, denormalised name and attachment of a record anonymised is blanked
		(or kept here for a stated reason); child tables with free text are in CHILD_TEXT."""
		kept = {
			# the service's name (fetched from the directory)
			("Referral", "service_name"),
			# the code the server gave an anonymous caller: no identity, and the session keeps its
			# link to the (anonymised) citizen anyway
			("Support Session", "caller_code"),
			# the organisations' staff on the measure, not the person
			("Work Measure", "host_tutor"),
			("Work Measure", "tutor"),
			# the programme's own text: the measures' outcomes (type, status, date), no person
			("Participation", "measure_outcomes"),
			# keys and dates written by the app
			("Participation", "open_key"),
			("Voucher Application", "open_key"),
			("Work Measure", "reminded_dates"),
			("Housing Situation", "eviction_alerted_dates"),
			# the employment centre (an office) and the call of the housing programme
			("Employment Profile", "employment_centre"),
			("Social Housing Application", "call_name"),
		}
		text = ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Attach", "Attach Image")
		maps = {**anonymise.BY_CITIZEN, **anonymise.BY_HOUSEHOLD}
		for doctype, values in maps.items():
			meta = frappe.get_meta(doctype)
			for df in meta.fields:
				if df.fieldtype in text and (doctype, df.fieldname) not in kept:
					self.assertIn(df.fieldname, values, f"{doctype}.{df.fieldname} is not blanked")
				if df.fieldtype in ("Table", "Table MultiSelect"):
					child = frappe.get_meta(df.options)
					if any(c.fieldtype in text for c in child.fields):
						self.assertEqual(anonymise.CHILD_PARENT.get(df.options), doctype, df.options)
