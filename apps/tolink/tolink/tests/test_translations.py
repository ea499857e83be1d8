"""Every user-facing string of the app exists in Italian (locale/it.po)."""

import os
import unittest

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

APP_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PO_FILE = os.path.join(APP_DIR, "locale", "it.po")


def extract_messages() -> set[str]:
	"""The same extraction as `bench generate-pot-file --app tolink` (frappe.gettext.translate)."""
	from frappe.gettext.translate import get_method_map

	keywords = DEFAULT_KEYWORDS.copy()
	keywords["_lt"] = None

	def directory_filter(dirpath):
		sub = os.path.basename(dirpath)
		return not (sub.startswith(".") or sub.startswith("_") or sub == "node_modules")

	messages = set()
	for _f, _l, message, _c, _ctx in extract_from_dir(
		os.path.dirname(APP_DIR),
		get_method_map("frappe"),
		directory_filter=directory_filter,
		keywords=keywords,
	):
		if message:
			messages.add(message if isinstance(message, str) else message[0])
	return messages


class TestItalianTranslations(unittest.TestCase):
	def test_every_message_is_translated(self):
		with open(PO_FILE, "rb") as f:
			catalog = read_po(f)
		translated = {m.id for m in catalog if m.id and m.string}
		missing = sorted(extract_messages() - translated)
		self.assertEqual(missing, [], "untranslated: run `bench update-po-files --app tolink --locale it`")

	def test_desk_speaks_italian(self):
		import frappe

		self.assertEqual(frappe._("Citizen", lang="it"), "Cittadino")
		self.assertEqual(
			frappe._("ISEE {0} above the threshold of {1}", lang="it").format("9.200 €", "6.000 €"),
			"ISEE 9.200 € sopra la soglia di 6.000 €",
		)
