"""Italian codice fiscale: validation (checksum and omocodia), decoding, generation.

A codice fiscale is 16 characters: surname (3), name (3), year (2), month letter (1), day (2; +40
for women), birth place (Belfiore code, 4), check character (1). When two people would share one,
the Agenzia delle Entrate replaces digits of the numeric positions with letters, right to left
(omocodia): L=0 M=1 N=2 P=3 Q=4 R=5 S=6 T=7 U=8 V=9. The check character covers the code as issued.
"""

import re
import secrets
from datetime import date

MONTHS = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"
NUMERIC_POSITIONS = (6, 7, 9, 10, 12, 13, 14)
_DIGIT = "[0-9LMNPQRSTUV]"
PATTERN = re.compile(rf"^[A-Z]{{6}}{_DIGIT}{{2}}[{MONTHS}]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]$")

_ODD = {
	**dict(zip("0123456789", (1, 0, 5, 7, 9, 13, 15, 17, 19, 21), strict=True)),
	**dict(
		zip(
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
			(1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
			strict=True,
		)
	),
}
_EVEN = {**{str(i): i for i in range(10)}, **{c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}}
_VOWELS = set("AEIOU")


def normalise(value: str | None) -> str:
	"""Upper case, without spaces or separators."""
	return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def compute_checksum(first15: str) -> str:
	total = sum((_ODD if i % 2 == 0 else _EVEN)[c] for i, c in enumerate(first15.upper()))
	return chr(ord("A") + total % 26)


def is_valid(value: str | None) -> bool:
	cf = normalise(value)
	if not PATTERN.match(cf):
		return False
	if compute_checksum(cf[:15]) != cf[15]:
		return False
	try:
		decode(cf)
	except ValueError:
		return False
	return True


def _de_omocodia(cf: str) -> str:
	chars = list(cf)
	for pos in NUMERIC_POSITIONS:
		if chars[pos] in OMOCODIA:
			chars[pos] = str(OMOCODIA.index(chars[pos]))
	return "".join(chars)


def decode(value: str, today: date | None = None) -> dict:
	"""Birth date, sex and Belfiore code of the birth place. Raises ValueError if impossible."""
	cf = _de_omocodia(normalise(value))
	today = today or date.today()
	yy = int(cf[6:8])
	month = MONTHS.index(cf[8]) + 1
	day = int(cf[9:11])
	sex = "M"
	if day > 40:
		day -= 40
		sex = "F"
	# two-digit year: the 2000s unless that puts the birth in the future, then the 1900s
	# (a person born in December 1926 decoded in January 2026 is 99, not minus one)
	birth = _safe_date(2000 + yy, month, day)
	if not birth or birth > today:
		birth = date(1900 + yy, month, day)  # ValueError on impossible dates (31 February)
	return {"birth_date": birth, "sex": sex, "birth_place_code": cf[11:15]}


def _safe_date(year: int, month: int, day: int) -> date | None:
	try:
		return date(year, month, day)
	except ValueError:
		return None


def _consonants(s: str) -> str:
	return "".join(c for c in s if c.isalpha() and c not in _VOWELS)


def _vowels(s: str) -> str:
	return "".join(c for c in s if c in _VOWELS)


def _clean(s: str) -> str:
	import unicodedata

	s = unicodedata.normalize("NFD", s.upper())
	return "".join(c for c in s if "A" <= c <= "Z")


def surname_code(surname: str) -> str:
	s = _clean(surname)
	return (_consonants(s) + _vowels(s) + "XXX")[:3]


def name_code(name: str) -> str:
	s = _clean(name)
	cons = _consonants(s)
	if len(cons) >= 4:
		return cons[0] + cons[2] + cons[3]
	return (cons + _vowels(s) + "XXX")[:3]


def generate(surname: str, name: str, birth_date: date, sex: str, place_code: str) -> str:
	"""The codice fiscale as issued for these data (without omocodia)."""
	day = birth_date.day + (40 if sex.upper() == "F" else 0)
	first15 = (
		f"{surname_code(surname)}{name_code(name)}{birth_date.year % 100:02d}"
		f"{MONTHS[birth_date.month - 1]}{day:02d}{place_code.upper()}"
	)
	return first15 + compute_checksum(first15)


def make_provisional_id() -> str:
	"""An identifier for people without a codice fiscale: random, not guessable, never reused."""
	alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	return "TLP-" + "".join(secrets.choice(alphabet) for _ in range(10))
