"""Every public method of To Link, one module per audience, and the one list of them.

- `tolink.api.desk`     what Desk's forms and pages call (staff, logged in)
- `tolink.api.partner`  the partner organisations' REST API (Desk may call it too)
- `tolink.api.merchant` the shops' API: vouchers
- `tolink.api.public`   no login: the health check

An endpoint is declared with `@endpoint(audience, roles, reason, methods=...)`: it is whitelisted
(`frappe.whitelist`) and recorded in ENDPOINTS. Everything else reads that list:
the request gate's allowlist (tolink.permissions.allowlist: who may call it, and why), the OpenAPI
document of the partner, merchant and public audiences (tolink.api.openapi, `docs/openapi.yaml`),
the API fuzzer and the access matrix (tests: every endpoint is called).

An endpoint is thin: its first lines check who calls it and what it was sent, then it calls the
domain module that does the work (tolink.distribution.counter, tolink.vouchers.redemption...).
Controller methods (`Consent.withdraw`...) stay on their controllers, listed in
allowlist.DOC_METHODS; tolink.permissions.api holds the app's overrides of Frappe's own methods.
"""

import importlib
import inspect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from tolink.permissions import ROLES

AUDIENCES = ("desk", "partner", "merchant", "public")
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE")


@dataclass(frozen=True)
class Endpoint:
	path: str  # dotted path, as clients call it: /api/method/<path>
	audience: str
	roles: frozenset  # who may call it (the gate); the endpoint still checks rows itself
	reason: str  # one line: why these roles need it
	methods: tuple  # HTTP methods
	allow_guest: bool
	doc: str  # the function's docstring
	fn: Callable = field(compare=False, repr=False)
	# for the OpenAPI document: argument -> schema keywords and "description"; the schema of
	# `message` in a 200 answer; HTTP status -> description of the refusals particular to it
	params: dict = field(default_factory=dict, compare=False, repr=False)
	response: dict | None = field(default=None, compare=False, repr=False)
	errors: dict = field(default_factory=dict, compare=False, repr=False)

	@property
	def name(self) -> str:
		return self.path.rsplit(".", 1)[-1]


PUBLIC_RATE_LIMIT = 600


def public_rate_limit() -> int:
	"""Requests a minute one address may make to one public endpoint (site config
	`tolink_public_rate_limit`); beyond it Frappe answers 429 until the minute is over."""
	return frappe.utils.cint(frappe.conf.get("tolink_public_rate_limit")) or PUBLIC_RATE_LIMIT


# dotted path -> Endpoint, filled as the audience modules are imported (see endpoints())
ENDPOINTS: dict[str, Endpoint] = {}


def endpoint(
	audience: str,
	roles: Iterable[str],
	reason: str,
	methods: Iterable[str] = ("GET",),
	allow_guest: bool = False,
	params: dict | None = None,
	response: dict | None = None,
	errors: dict | None = None,
):
	"""Declare a public method: `frappe.whitelist(methods=..., allow_guest=...)`, recorded in
	ENDPOINTS. Mistakes in the declaration fail at import (every test imports the registry)."""
	methods = tuple(methods)
	roles = frozenset(roles)

	def decorator(fn: Callable) -> Callable:
		path = f"{fn.__module__}.{fn.__qualname__}"
		problems = declaration_problems(fn, audience, roles, reason, methods, allow_guest, params or {})
		if problems:
			raise TypeError(f"endpoint {path}: " + "; ".join(problems))
		target = fn
		if allow_guest:
			# anyone may call it: each address gets a share per minute, so nobody can flood it
			target = rate_limit(limit=public_rate_limit, seconds=60)(fn)
		whitelisted = frappe.whitelist(methods=list(methods), allow_guest=allow_guest)(target)
		ENDPOINTS[path] = Endpoint(
			path=path,
			audience=audience,
			roles=roles,
			reason=reason,
			methods=methods,
			allow_guest=allow_guest,
			doc=inspect.getdoc(fn) or "",
			fn=whitelisted,
			params=dict(params or {}),
			response=response,
			errors=dict(errors or {}),
		)
		return whitelisted

	return decorator


def declaration_problems(fn, audience, roles, reason, methods, allow_guest, params) -> list[str]:
	problems = []
	if audience not in AUDIENCES:
		problems.append(f"audience {audience!r} is not one of {AUDIENCES}")
	elif fn.__module__ != f"{__name__}.{audience}":
		problems.append(f"a {audience} endpoint lives in {__name__}.{audience}")
	if not roles or not roles <= {"Guest", *ROLES}:
		problems.append(f"roles must be To Link roles (or Guest): {sorted(roles)}")
	if allow_guest != (audience == "public") or allow_guest != ("Guest" in roles):
		problems.append("public endpoints, and only they, allow Guest")
	if not reason:
		problems.append("say why these roles need it")
	if not methods or not set(methods) <= set(HTTP_METHODS):
		problems.append(f"HTTP methods must be some of {HTTP_METHODS}")
	if not inspect.getdoc(fn):
		problems.append("a docstring (it is the documentation)")
	signature = inspect.signature(fn)
	unannotated = [p.name for p in signature.parameters.values() if p.annotation is p.empty]
	if unannotated or signature.return_annotation is signature.empty:
		problems.append(f"type annotations on every argument and the return: {unannotated}")
	unknown = set(params) - set(signature.parameters)
	if unknown:
		problems.append(f"params describes no such argument: {sorted(unknown)}")
	return problems


MODULES = tuple(f"{__name__}.{audience}" for audience in AUDIENCES)


def endpoints() -> dict[str, Endpoint]:
	"""Every endpoint of the app (the audience modules imported), by dotted path."""
	for module in MODULES:
		importlib.import_module(module)
	return ENDPOINTS


# --- argument checks shared by endpoints


def invalid_argument(message: str) -> None:
	frappe.throw(message, frappe.ValidationError, title=_("Invalid request"))


def names_argument(argument: str, value) -> list[str]:
	"""A list of names sent as JSON (or as a list): anything else is a clear 417, not a 500."""
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			value = None
	if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
		invalid_argument(_("{0} must be a list of names.").format(argument))
	return value
