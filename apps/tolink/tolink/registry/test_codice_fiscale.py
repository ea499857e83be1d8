"""The codice fiscale: checksum, omocodia, century, birth place, decoding, generation. The rules are
ours; the implementation is python-codicefiscale's (tolink.registry.codice_fiscale)."""

import unittest
from datetime import date

from tolink.registry import codice_fiscale as cf


class TestCodiceFiscale(unittest.TestCase):
	def test_known_valid_code(self):
		self.assertTrue(cf.is_valid("RSSMRA85T10A562S"))
		self.assertEqual(
			cf.decode("RSSMRA85T10A562S"),
			{
				"birth_date": date(1985, 12, 10),
				"sex": "M",
				"birth_place_code": "A562",
				# A562 is Bagni San Giuliano until 1935, San Giuliano Terme since
				"birth_place": "San Giuliano Terme (PI)",
				"birth_province": "PI",
				"born_abroad": False,
			},
		)

	def test_lower_case_and_spaces_are_normalised(self):
		self.assertEqual(cf.normalise(" rssmra 85t10 a562s "), "RSSMRA85T10A562S")
		self.assertTrue(cf.is_valid("rssmra85t10a562s"))

	def test_wrong_check_character(self):
		self.assertFalse(cf.is_valid("RSSMRA85T10A562X"))

	def test_wrong_shape(self):
		for bad in ("", "RSSMRA85T10A562", "RSSMRA85T10A562SS", "1SSMRA85T10A562S", "RSSMRA85Z10A562S"):
			self.assertFalse(cf.is_valid(bad), bad)

	def test_impossible_date(self):
		first15 = "RSSMRA85B31A562"  # 31 February
		self.assertFalse(cf.is_valid(first15 + cf.compute_checksum(first15)))

	def test_omocodia(self):
		# the last digit of the place code replaced by its letter (2 -> N), checksum recomputed
		code = "RSSMRA85T10A56NH"
		self.assertTrue(cf.is_valid(code))
		self.assertEqual(cf.decode(code)["birth_place_code"], "A562")
		self.assertEqual(cf.decode(code)["birth_date"], date(1985, 12, 10))
		# omocodia in the day too: 10 -> 1L
		first15 = "RSSMRA85T1LA562"
		self.assertEqual(cf.decode(first15 + cf.compute_checksum(first15))["birth_date"], date(1985, 12, 10))

	def test_women_day_plus_forty(self):
		code = cf.generate("Bianchi", "Laura", date(1980, 1, 1), "F", "L219")
		self.assertEqual(code, "BNCLRA80A41L219V")
		self.assertEqual(cf.decode(code)["sex"], "F")
		self.assertEqual(cf.decode(code)["birth_date"], date(1980, 1, 1))

	def test_century(self):
		code = cf.generate("Verdi", "Giuseppe", date(2010, 5, 4), "M", "L219")
		self.assertEqual(cf.decode(code, today=date(2026, 1, 1))["birth_date"], date(2010, 5, 4))
		old = cf.generate("Verdi", "Giuseppe", date(1930, 5, 4), "M", "L219")
		self.assertEqual(cf.decode(old, today=date(2026, 1, 1))["birth_date"], date(1930, 5, 4))

	def test_name_rules(self):
		self.assertEqual(cf.surname_code("Rossi"), "RSS")
		self.assertEqual(cf.surname_code("Fo"), "FOX")
		self.assertEqual(cf.name_code("Mario"), "MRA")
		self.assertEqual(cf.name_code("Gianfranco"), "GFR")  # 4+ consonants: 1st, 3rd, 4th
		self.assertEqual(cf.surname_code("De Luca"), "DLC")

	def test_generated_codes_are_valid(self):
		code = cf.generate("Esposito", "Maria", date(1975, 7, 23), "F", "F839")
		self.assertTrue(cf.is_valid(code))

	def test_provisional_ids_are_random(self):
		ids = {cf.make_provisional_id() for _ in range(200)}
		self.assertEqual(len(ids), 200)
		self.assertTrue(all(i.startswith("TLP-") and len(i) == 14 for i in ids))

	def test_century_near_the_current_year(self):
		# born December 1926, decoded in January 2026: 99 years old, not born next month
		code = cf.generate("Verdi", "Ada", date(1926, 12, 1), "F", "L219")
		self.assertEqual(cf.decode(code, today=date(2026, 1, 15))["birth_date"], date(1926, 12, 1))
		# born earlier this year
		code = cf.generate("Verdi", "Ada", date(2026, 1, 2), "F", "L219")
		self.assertEqual(cf.decode(code, today=date(2026, 1, 15))["birth_date"], date(2026, 1, 2))

	def test_leap_day(self):
		code = cf.generate("Neri", "Paolo", date(2000, 2, 29), "M", "L219")
		self.assertTrue(cf.is_valid(code))
		self.assertEqual(cf.decode(code)["birth_date"], date(2000, 2, 29))
		first15 = "NREPLA01B29L219"  # 29 February 2001 / 1901: no such day
		self.assertFalse(cf.is_valid(first15 + cf.compute_checksum(first15)))

	def test_checksum_of_known_code(self):
		self.assertEqual(cf.compute_checksum("RSSMRA85T10A562"), "S")
		self.assertEqual(cf.compute_checksum("rssmra85t10a56n"), "H")

	def test_known_real_world_rules(self):
		self.assertEqual(cf.generate("Rossi", "Mario", date(1985, 12, 10), "M", "A562"), "RSSMRA85T10A562S")
		self.assertEqual(cf.surname_code("Ai"), "AIX")
		self.assertEqual(cf.name_code("Luca"), "LCU")
		self.assertEqual(cf.name_code("Gianfranco"), "GFR")
		self.assertEqual(cf.surname_code("D'Angelo"), "DNG")
		self.assertEqual(cf.surname_code("Nicolò"), "NCL")

	def test_wrong_codes_tell_why(self):
		def reason(code):
			with self.assertRaises(cf.InvalidCodiceFiscale) as ctx:
				cf.decode(code)
			return ctx.exception.reason

		self.assertEqual(reason("RSSMRA85T10A562"), cf.FORMAT)
		self.assertEqual(reason("RSSMRA8AT10A562S"), cf.FORMAT)  # A stands for no digit
		self.assertEqual(reason("RSSMRA85T10A562X"), cf.CHECK_CHARACTER)
		first15 = "RSSMRA85B31A562"  # 31 February
		self.assertEqual(reason(first15 + cf.compute_checksum(first15)), cf.BIRTH_DATE)
		first15 = "RSSMRA85T10Z999"
		self.assertEqual(reason(first15 + cf.compute_checksum(first15)), cf.BIRTH_PLACE)

	def test_a_comune_that_never_existed_is_refused(self):
		for place in ("A000", "Z999", "Z000"):
			first15 = "RSSMRA85T10" + place
			code = first15 + cf.compute_checksum(first15)
			self.assertFalse(cf.is_valid(code), code)
		with self.assertRaises(ValueError):
			cf.generate("Rossi", "Mario", date(1985, 12, 10), "M", "Z999")

	def test_a_comune_that_did_not_exist_on_the_birth_date_is_refused(self):
		# Baggio (A545) was merged into Milano in 1923
		first15 = "RSSMRA20T10A545"
		code = first15 + cf.compute_checksum(first15)
		self.assertEqual(cf.decode(code)["birth_place"], "Baggio (MI)")
		first15 = "RSSMRA85T10A545"
		self.assertFalse(cf.is_valid(first15 + cf.compute_checksum(first15)))
		# Bargano (A659) ended in 1878: never a 1900s or 2000s birth, although it existed in 1870
		first15 = "RSSMRA70A01A659"
		self.assertFalse(cf.is_valid(first15 + cf.compute_checksum(first15)))

	def test_birth_place_in_italy(self):
		code = cf.generate("Bianchi", "Laura", date(1980, 1, 1), "F", "L219")
		decoded = cf.decode(code)
		self.assertEqual(decoded["birth_place"], "Torino (TO)")
		self.assertEqual(decoded["birth_province"], "TO")
		self.assertFalse(decoded["born_abroad"])
		self.assertEqual(
			cf.decode(cf.generate("Esposito", "Maria", date(1975, 7, 23), "F", "F839"))["birth_place"],
			"Napoli (NA)",
		)

	def test_birth_place_abroad(self):
		code = cf.generate("Popescu", "Ion", date(1990, 3, 4), "M", "Z129")
		self.assertEqual(code, "PPSNIO90C04Z129D")
		decoded = cf.decode(code)
		self.assertEqual(decoded["birth_place"], "Romania")
		self.assertIsNone(decoded["birth_province"])
		self.assertTrue(decoded["born_abroad"])
		self.assertEqual(decoded["birth_place_code"], "Z129")
		self.assertEqual(
			cf.decode(cf.generate("Diallo", "Awa", date(2001, 6, 5), "F", "Z343"))["birth_place"], "Senegal"
		)

	def test_birth_place_with_omocodia(self):
		# L219 -> L2MV: the place's digits replaced by their letters, the place is still Torino
		first15 = "BNCLRA80A41L2MV"
		decoded = cf.decode(first15 + cf.compute_checksum(first15))
		self.assertEqual(decoded["birth_place_code"], "L219")
		self.assertEqual(decoded["birth_place"], "Torino (TO)")

	def test_birth_place_a_century_earlier(self):
		# December 1926 decoded in January 2026: the place is looked up as it was in 1926
		code = cf.generate("Verdi", "Ada", date(1926, 12, 1), "F", "F205")
		decoded = cf.decode(code, today=date(2026, 1, 15))
		self.assertEqual(decoded["birth_date"], date(1926, 12, 1))
		self.assertEqual(decoded["birth_place"], "Milano (MI)")
