"""What Desk's forms and pages call (staff, logged in): `/api/method/tolink.api.desk.<name>`.

Thin: who may call and what was sent are checked in the first lines; the work is done by the
domain modules. Not a contract for other systems (see tolink.api.partner for that).
"""

import frappe
from frappe import _
from frappe.model.document import Document

from tolink.api import endpoint, names_argument
from tolink.care_path import overview
from tolink.distribution import rounds, stock
from tolink.distribution.permissions import check_hub_access
from tolink.helpline import permissions as helpline
from tolink.helpline.doctype.helpline_call import helpline_call
from tolink.permissions.allowlist import CARE, HUB, RECEPTION
from tolink.privacy import anonymise, subject_access


@endpoint("desk", CARE, "the intake's suggested services")
def suggest_services(intake: str) -> list[dict]:
	"""For every need of the intake, the services that could answer it, each marked eligible or not
	with the reasons in plain Italian, best fit first."""
	doc = frappe.get_doc("Intake", intake)
	doc.check_permission("read")
	return doc.suggested_services()


@endpoint("desk", CARE, "the intake's overview of the person")
def citizen_overview(citizen: str) -> dict:
	"""What the network already knows about the person: open plans, referrals in progress, aid
	received lately (a summary, never notes), of the organisations the person consented to share
	with."""
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return overview.citizen_overview(citizen)


@endpoint(
	"desk",
	{"Psychologist", "Case Manager", "Reception Operator", "Network Administrator"},
	"how many support sessions a person had (no notes)",
)
def session_counts(citizen: str) -> dict:
	"""For the case manager: how many support sessions a person had, and when the last was."""
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return helpline.session_counts(citizen)


@endpoint(
	"desk",
	{"Reception Operator", "Case Manager", "Network Administrator"},
	"open an intake from a helpline call",
	methods=("POST",),
)
def make_intake(source_name: str, target_doc: str | dict | None = None) -> Document:
	"""One click: an intake (unsaved, for the operator to complete) from a call of a known citizen
	(Desk's *Crea → Colloquio di accoglienza*, through make_mapped_doc)."""
	frappe.has_permission("Helpline Call", "read", doc=source_name, throw=True)
	frappe.has_permission("Intake", "create", throw=True)
	return helpline_call.make_intake(source_name, target_doc)


@endpoint("desk", RECEPTION, "a person's subject-access export", methods=("POST",))
def export_citizen(citizen: str) -> dict:
	"""The JSON of everything held on the person (GDPR art. 15), returned to the Network
	Administrator who asked, never stored; the export is logged."""
	if "Network Administrator" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("Only a Network Administrator answers access requests."), frappe.PermissionError)
	frappe.has_permission("Citizen", "read", doc=citizen, throw=True)
	return subject_access.export_citizen(citizen)


@endpoint("desk", RECEPTION, "anonymise a person on request", methods=("POST",))
def anonymise_citizen(citizen: str) -> dict:
	"""Erasure on request: the person's identity leaves every record, the records stay (counts of
	records anonymised, by doctype)."""
	if "Network Administrator" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("Only a Network Administrator erases personal data."), frappe.PermissionError)
	frappe.has_permission("Citizen", "write", doc=citizen, throw=True)
	return anonymise.anonymise_citizen(citizen)


@endpoint("desk", HUB, "a hub's stock alerts")
def hub_alerts(hub: str) -> dict:
	"""Low stock and lots expiring within 7 days at a hub."""
	frappe.has_permission("Distribution Hub", "read", doc=hub, throw=True)
	check_hub_access(hub)
	return stock.alerts(hub)


@endpoint(
	"desk",
	{"Hub Manager", "Case Manager", "Network Administrator"},
	"a distribution round's hub proposal",
)
def propose_hubs(households: str | list) -> dict:
	"""For each eligible household (active, with an active head), the open hub to collect from:
	one in its own district first, else the hub serving the fewest assigned households.
	Households that are not eligible are listed apart, with the reason."""
	frappe.has_permission("Distribution Round", "create", throw=True)
	households = names_argument("households", households)
	return rounds.propose_hubs(households)
