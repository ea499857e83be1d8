"""The sample spreadsheets of the README's data-import tour (tolink/tests/fixtures/), written by
`python -m tolink.devtools.import_samples` from the bench's env; the tests import them as they are.

- cittadini-altro-ente.csv: one person, to import first for ANOTHER organisation;
- cittadini-esempio.csv: 100 people with valid codici fiscali, three rows bad on purpose:
  row 13 a codice fiscale with a wrong check character, row 42 the person of
  cittadini-altro-ente.csv (already registered in the network), row 77 without a surname.

Names and birth dates are made up from a fixed seed (surnames the demo does not use), so the files
never change and never meet the demo's people.
"""

import csv
import random
from datetime import date
from pathlib import Path

from tolink.registry.codice_fiscale import generate

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
HEADER = [
	"Nome *",
	"Cognome *",
	"Codice fiscale",
	"Data di nascita",
	"Sesso",
	"Telefono",
	"Indirizzo",
	"Città",
	"Circoscrizione",
	"Residente a Torino",
]
# rows as the spreadsheet numbers them (the header is row 1)
BAD_CODICE_FISCALE_ROW = 13
ALREADY_REGISTERED_ROW = 42
NO_SURNAME_ROW = 77
ROWS = 100

FIRST_M = ["Aldo", "Bruno", "Carlo", "Dario", "Elio", "Fabio", "Guido", "Ivo", "Lino", "Nino", "Ugo"]
FIRST_F = ["Ada", "Bice", "Clara", "Dora", "Elsa", "Flora", "Gemma", "Ida", "Lia", "Nives", "Olga"]
SURNAMES = [
	"Abbondanza",
	"Bertola",
	"Cravero",
	"Dematteis",
	"Ferrero",
	"Gianotti",
	"Operti",
	"Pautasso",
	"Quaglia",
	"Rabino",
	"Sacchetto",
	"Tesio",
	"Vaudano",
	"Zucca",
]
STREETS = [
	("Via Nizza", "8"),
	("Corso Giulio Cesare", "6"),
	("Via Madama Cristina", "8"),
	("Corso Vercelli", "6"),
	("Via Cibrario", "4"),
	("Corso Traiano", "2"),
]
# Torino; a few born abroad: Romania, Marocco
PLACES = ("L219", "L219", "L219", "Z129", "Z330")


def person(rng: random.Random, used: set) -> list:
	sex = rng.choice("MF")
	first = rng.choice(FIRST_M if sex == "M" else FIRST_F)
	last = rng.choice(SURNAMES)
	while True:
		birth = date(rng.randint(1945, 2004), rng.randint(1, 12), rng.randint(1, 28))
		cf = generate(last, first, birth, sex, rng.choice(PLACES))
		if cf not in used:
			used.add(cf)
			break
	street, district = rng.choice(STREETS)
	return [
		first,
		last,
		cf,
		birth.strftime("%d/%m/%Y"),
		sex,
		f"3{rng.randint(20, 49)} {rng.randint(1000000, 9999999)}",
		f"{street} {rng.randint(1, 150)}",
		"Torino",
		district,
		"Sì",
	]


def wrong_check_character(cf: str) -> str:
	return cf[:15] + ("A" if cf[15] != "A" else "B")


def samples(seed: int = 14) -> dict[str, list[list]]:
	rng = random.Random(seed)
	used: set = set()
	other = person(rng, used)
	rows = [person(rng, used) for _ in range(ROWS)]
	rows[BAD_CODICE_FISCALE_ROW - 2][2] = wrong_check_character(rows[BAD_CODICE_FISCALE_ROW - 2][2])
	rows[ALREADY_REGISTERED_ROW - 2] = list(other)
	rows[NO_SURNAME_ROW - 2][1] = ""
	return {
		"cittadini-altro-ente.csv": [HEADER, other],
		"cittadini-esempio.csv": [HEADER, *rows],
	}


def write(directory: Path = FIXTURES) -> list[Path]:
	written = []
	for name, rows in samples().items():
		path = directory / name
		with open(path, "w", newline="", encoding="utf-8") as f:
			csv.writer(f, lineterminator="\n").writerows(rows)
		written.append(path)
	return written


if __name__ == "__main__":
	for path in write():
		print(path)
