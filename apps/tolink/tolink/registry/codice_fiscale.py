"""Italian codice fiscale: validation, decoding, generation, on top of `python-codicefiscale`.

A codice fiscale is 16 characters: surname (3), name (3), year (2), month letter (1), day (2; +40
for women), birth place (Belfiore code of an Italian comune, or Z... for a foreign state, 4), check
character (1). When two people would share one, the Agenzia delle Entrate replaces digits of the
numeric positions with letters, right to left (omocodia): L=0 M=1 N=2 P=3 Q=4 R=5 S=6 T=7 U=8 V=9.

The library (https://github.com/fabiocaccamo/python-codicefiscale) computes the check character,
undoes omocodia and looks the birth place up in the official lists of comuni (with the dates each
existed) and foreign states it ships: a code naming a place that never existed is refused. What
stays here: the shape (which letters may stand for digits), the century of the two-digit year
(never a birth in the future, decided against a given day) and the reason a code is refused.
"""

import re
import secrets
from datetime import date, datetime

import codicefiscale as _lib

MONTHS = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"
_DIGIT = f"[0-9{OMOCODIA}]"
PATTERN = re.compile(rf"^[A-Z]{{6}}{_DIGIT}{{2}}[{MONTHS}]{_DIGIT}{{2}}[A-Z]{_DIGIT}{{3}}[A-Z]$")
_FROM_OMOCODIA = str.maketrans(OMOCODIA, "0123456789")
# the library's province of foreign states
_ABROAD = "EE"

# why a code is refused (InvalidCodiceFiscale.reason)
FORMAT = "format"
CHECK_CHARACTER = "check_character"
BIRTH_DATE = "birth_date"
BIRTH_PLACE = "birth_place"


class InvalidCodiceFiscale(ValueError):
	"""The code is refused; `reason` is one of FORMAT, CHECK_CHARACTER, BIRTH_DATE, BIRTH_PLACE."""

	def __init__(self, reason: str, code: str):
		super().__init__(f"{reason}: {code}")
		self.reason = reason
		self.code = code


def normalise(value: str | None) -> str:
	"""Upper case, without spaces or separators."""
	return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def compute_checksum(first15: str) -> str:
	"""The check character of the first 15 characters."""
	try:
		return _lib.encode_cin(first15.upper()[:15])
	except KeyError:  # a character that is neither a letter nor a digit
		raise ValueError(f"not a codice fiscale: {first15!r}")


def is_valid(value: str | None) -> bool:
	try:
		decode(value or "")
	except ValueError:
		return False
	return True


def decode(value: str, today: date | None = None) -> dict:
	"""Birth date, sex and birth place of a code (omocodia undone).

	Raises InvalidCodiceFiscale (a ValueError) with the reason when the code is malformed, its check
	character is wrong, its birth date does not exist or its birth place is not a comune or foreign
	state that existed then. Returns:
	birth_date, sex ("M"/"F"), birth_place_code (Belfiore, without omocodia), birth_place ("Torino
	(TO)", or the state: "Romania"), birth_province ("TO"; None abroad), born_abroad.
	"""
	cf = normalise(value)
	if not PATTERN.match(cf):
		raise InvalidCodiceFiscale(FORMAT, cf)
	if compute_checksum(cf[:15]) != cf[15]:
		raise InvalidCodiceFiscale(CHECK_CHARACTER, cf)
	today = today or date.today()
	try:
		data = _lib.decode(cf)
	except ValueError:
		# the library refuses an impossible date and an unknown place alike: tell which
		_own_birth_date(cf, today)  # raises for the date
		raise InvalidCodiceFiscale(BIRTH_PLACE, cf)
	birth = data["birthdate"].date()
	place = data["birthplace"]
	if birth > today:
		# the library puts the two-digit year in the current century when that year is not over;
		# a birth later this year has not happened: a century earlier (December 1926 decoded in
		# January 2026 is 99 years old, not born next month)
		birth = _safe_date(birth.year - 100, birth.month, birth.day)
		place = _place_on(cf, birth) if birth else None
		if not birth:
			raise InvalidCodiceFiscale(BIRTH_DATE, cf)
		if not place:
			raise InvalidCodiceFiscale(BIRTH_PLACE, cf)
	if birth.year < 1900:
		# the library goes back one more century when the place did not exist in the one it tried:
		# nobody registered was born in the 1800s, the place did not exist in the 1900s or 2000s
		raise InvalidCodiceFiscale(BIRTH_PLACE, cf)
	abroad = place.get("province") == _ABROAD
	name = place["name"]
	return {
		"birth_date": birth,
		"sex": data["gender"],
		"birth_place_code": place["code"],
		"birth_place": name if abroad else f"{name} ({place['province']})",
		"birth_province": None if abroad else place["province"],
		"born_abroad": abroad,
	}


def _own_birth_date(cf: str, today: date) -> date:
	"""The birth date of a well-formed code, without the library: 2000s unless in the future."""
	digits = cf[6:8] + cf[9:11]
	yy, day = int(digits[:2].translate(_FROM_OMOCODIA)), int(digits[2:].translate(_FROM_OMOCODIA))
	month = MONTHS.index(cf[8]) + 1
	day = day - 40 if day > 40 else day
	birth = _safe_date(2000 + yy, month, day)
	if not birth or birth > today:
		birth = _safe_date(1900 + yy, month, day)
	if not birth:
		raise InvalidCodiceFiscale(BIRTH_DATE, cf)
	return birth


def _place_on(cf: str, birth: date) -> dict | None:
	"""The comune or state of the code's place code as it was on the birth date (the library's own
	look-up, with its handling of renamed and merged comuni)."""
	from codicefiscale.codicefiscale import _get_birthplace

	code = cf[11] + cf[12:15].translate(_FROM_OMOCODIA)
	return _get_birthplace(code, datetime(birth.year, birth.month, birth.day))


def _safe_date(year: int, month: int, day: int) -> date | None:
	try:
		return date(year, month, day)
	except ValueError:
		return None


def surname_code(surname: str) -> str:
	return _lib.encode_lastname(surname)


def name_code(name: str) -> str:
	return _lib.encode_firstname(name)


def generate(surname: str, name: str, birth_date: date, sex: str, place_code: str) -> str:
	"""The codice fiscale as issued for these data (without omocodia). `place_code` is the Belfiore
	code of a comune or foreign state existing on the birth date; ValueError otherwise."""
	return _lib.encode(
		lastname=surname,
		firstname=name,
		gender=sex.upper(),
		birthdate=datetime(birth_date.year, birth_date.month, birth_date.day),
		birthplace=place_code.upper(),
	)


def make_provisional_id() -> str:
	"""An identifier for people without a codice fiscale: random, not guessable, never reused."""
	alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	return "TLP-" + "".join(secrets.choice(alphabet) for _ in range(10))
