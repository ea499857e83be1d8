"""Voucher codes that cannot be guessed or forged: 60 random bits plus an HMAC signature made with
the site's secret key. A forged or mistyped code is refused before any database lookup."""

import hashlib
import hmac
import re
import secrets

import frappe

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a till
RANDOM_CHARS = 12
SIGNATURE_CHARS = 6


def _secret() -> bytes:
	"""The site's own secret (site_config.json encryption_key, made at site creation)."""
	from frappe.utils.password import get_encryption_key

	return ("tolink-voucher:" + get_encryption_key()).encode()


def _signature(payload: str) -> str:
	digest = hmac.new(_secret(), payload.encode(), hashlib.sha256).digest()
	number = int.from_bytes(digest[:8], "big")
	chars = []
	for _ in range(SIGNATURE_CHARS):
		number, r = divmod(number, len(ALPHABET))
		chars.append(ALPHABET[r])
	return "".join(chars)


def new_code() -> str:
	payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
	return format_code(payload + _signature(payload))


def format_code(raw: str) -> str:
	return "-".join(raw[i : i + 4] for i in range(0, RANDOM_CHARS, 4)) + "-" + raw[RANDOM_CHARS:]


def normalise(code: str | None) -> str:
	raw = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
	return raw


def is_authentic(code: str | None) -> bool:
	raw = normalise(code)
	if len(raw) != RANDOM_CHARS + SIGNATURE_CHARS or any(c not in ALPHABET for c in raw):
		return False
	return hmac.compare_digest(_signature(raw[:RANDOM_CHARS]), raw[RANDOM_CHARS:])


def canonical(code: str | None) -> str:
	"""The stored form of a code as typed or scanned (dashes and case do not matter)."""
	return format_code(normalise(code))


def qr_svg(data: str, scale: int = 4) -> str:
	"""An inline SVG QR code (print formats: {{ qr_svg(doc.code) }})."""
	import io

	import pyqrcode

	buffer = io.BytesIO()
	pyqrcode.create(data, error="M").svg(buffer, scale=scale, omithw=False, xmldecl=False, svgns=True)
	return buffer.getvalue().decode()
