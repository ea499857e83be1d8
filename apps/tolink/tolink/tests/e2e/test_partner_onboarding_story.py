"""Issue #14's story, tried as a new user would, over HTTP only: a Network Administrator (no System
Manager) onboards a new cooperative (agreement, RUNTS number, two users, an integration key),
imports 100 citizens from a spreadsheet with three bad rows, the cooperative's coordinator
registers its system's endpoint, the City refers someone to the cooperative and the cooperative's
system receives a signed webhook and reads the referral with its key; the public page shows the
cooperative's service the same minute."""

import base64
import csv
import hashlib
import hmac
import io
import json
import random

import frappe
import requests
from frappe.installer import update_site_config
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from tolink.devtools import import_samples
from tolink.devtools.factories import make_citizen, make_consent, make_household
from tolink.devtools.live_server import start_worker
from tolink.devtools.rest import TEST_PASSWORD, Client, RestError, api_url, site_headers
from tolink.devtools.wait import eventually
from tolink.devtools.webhook_receiver import WebhookReceiver
from tolink.network.notifications import bulk_queue
from tolink.network.webhooks import ALLOW_HTTP_CONFIG, SIGNATURE_HEADER
from tolink.tests.e2e.case import LiveServerTestCase


def csv_text(rows: list[list]) -> str:
	out = io.StringIO()
	csv.writer(out, lineterminator="\n").writerows(rows)
	return out.getvalue()


class TestPartnerOnboardingStory(LiveServerTestCase):
	# cls.org is the City
	roles = {"admin": ["Network Administrator"], "case_manager": ["Case Manager"]}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		allow_http_before = frappe.conf.get(ALLOW_HTTP_CONFIG)
		update_site_config(ALLOW_HTTP_CONFIG, 1)  # the local receiver listens on http://127.0.0.1
		cls.addClassCleanup(
			update_site_config, ALLOW_HTTP_CONFIG, "None" if allow_http_before is None else allow_http_before
		)
		cls.receiver = WebhookReceiver().start()
		cls.addClassCleanup(cls.receiver.stop)

	def test_a_network_administrator_onboards_a_cooperative_that_gets_its_first_referral(self):
		s = self.s
		admin = self.client("admin")
		self.assertNotIn("System Manager", frappe.get_roles(self.users["admin"]))

		# 1. the cooperative, its agreement and RUNTS number
		coop = admin.insert(
			{
				"doctype": "Provider",
				"provider_name": f"Cooperativa Il Ponte {s}",
				"provider_type": "Social Cooperative",
				"district": "6",
				"agreement_number": f"CONV-{s}",
				"agreement_start": today(),
				"agreement_end": add_days(today(), 365),
				"runts_number": "123456",
			}
		)["name"]
		self.sweep_providers.add(coop)
		with self.assertRaises(RestError) as ctx:  # an agreement ending before it starts
			admin.update("Provider", coop, {"agreement_end": add_days(today(), -1)})
		self.assertEqual(ctx.exception.status_code, 417)

		# 2. two users: the coordinator (a person) and the cooperative's system (API only)
		coordinator = f"coordinatrice-{s}@ponte.test"
		system = f"gestionale-{s}@ponte.test"
		invited = admin.post(
			"tolink.api.desk.invite_partner_user",
			provider=coop,
			email=coordinator,
			first_name="Carla",
			last_name="Ponte",
			roles=["Provider Staff"],
			coordinator=1,
		)
		self.assertEqual((invited["user"], invited["welcome_email"]), (coordinator, 1))
		admin.post(
			"tolink.api.desk.invite_partner_user",
			provider=coop,
			email=system,
			first_name="Gestionale",
			roles=["Provider Staff"],
			integration=1,
		)
		self.sweep_users.update((coordinator, system))
		with self.assertRaises(RestError):  # never System Manager
			admin.post(
				"tolink.api.desk.invite_partner_user",
				provider=coop,
				email=f"capo-{s}@ponte.test",
				first_name="Capo",
				roles=["System Manager"],
			)
		key = admin.post(
			"tolink.api.desk.issue_integration_key", account=system, allowed_ip_ranges="127.0.0.0/8"
		)
		accounts = admin.get("tolink.api.desk.partner_accounts", provider=coop)
		self.assertNotIn(key["api_secret"], json.dumps(accounts))  # shown once, never again

		# 3. 100 citizens from a spreadsheet with three bad rows: refused whole, then imported
		samples = import_samples.samples(seed=random.randrange(10**9))
		elsewhere, spreadsheet = samples["cittadini-altro-ente.csv"], samples["cittadini-esempio.csv"]
		self.run_import(admin, self.org, csv_text(elsewhere), "Imported")  # someone the City has
		report = self.run_import(admin, coop, csv_text(spreadsheet), "Refused", dry_run=True)
		bad = [
			import_samples.BAD_CODICE_FISCALE_ROW,
			import_samples.ALREADY_REGISTERED_ROW,
			import_samples.NO_SURNAME_ROW,
		]
		self.assertEqual(sorted({e["row"] for e in report["errors"]}), bad)
		self.assertNotIn(self.org, json.dumps(report))  # the other record is not revealed
		self.run_import(admin, coop, csv_text(spreadsheet), "Refused")
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Citizen", {"provider": coop}), 0)  # nothing half-imported
		fixed = [row for number, row in enumerate(spreadsheet, start=1) if number not in bad]
		self.run_import(admin, coop, csv_text(fixed), "Imported")
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Citizen", {"provider": coop}), 97)

		# 4. the coordinator (who set a password from the welcome email) registers the system's endpoint
		update_password(coordinator, TEST_PASSWORD)
		frappe.db.commit()
		carla = Client(coordinator)
		webhook = carla.insert(
			{"doctype": "Partner Webhook", "endpoint_url": self.receiver.url, "description": "Gestionale"}
		)
		self.assertEqual(webhook["provider"], coop)
		secret = carla.post("tolink.api.partner.rotate_webhook_secret", webhook=webhook["name"])["secret"]

		# 5. the cooperative's service: on the public page the same minute
		service = admin.insert(
			{
				"doctype": "Service",
				"service_name": f"Orientamento al lavoro {s}",
				"provider": coop,
				"status": "Active",
				"capacity": 5,
				"need_categories": [{"need_category": "Job search"}],
			}
		)["name"]

		def on_the_page() -> bool:
			r = requests.get(
				api_url() + "/trova-un-servizio", params={"q": s}, headers=site_headers(), timeout=60
			)
			return r.status_code == 200 and f"Orientamento al lavoro {s}" in r.text

		eventually(on_the_page, timeout=60, message="the cooperative's service on the public page")

		# 6. the City refers someone: the cooperative's system gets a signed webhook, reads with its key
		frappe.set_user("Administrator")
		person = make_citizen(self.org, first_name="Riservata", last_name=f"Storia{s}")
		make_household(self.org, [person], isee=4000)
		make_consent(person.name, self.org, partner=coop)
		not_referred = make_citizen(self.org, last_name=f"Altra{s}")
		frappe.db.commit()
		start_worker(bulk_queue())
		referral = self.client("case_manager").insert(
			{"doctype": "Referral", "citizen": person.name, "service": service}
		)["name"]
		(request,) = eventually(
			lambda: [r for r in self.receiver.requests if referral.encode() in r["body"]],
			timeout=60,
			message="the cooperative's webhook",
		)
		headers = {k.lower(): v for k, v in request["headers"].items()}
		expected = base64.b64encode(hmac.new(secret.encode(), request["body"], hashlib.sha256).digest())
		self.assertTrue(hmac.compare_digest(expected.decode(), headers[SIGNATURE_HEADER.lower()]))
		body = json.loads(request["body"])
		self.assertEqual((body["event"], body["data"]["name"]), ("referral_received", referral))
		self.assertNotIn(person.full_name, request["body"].decode())  # names are read with the key
		gestionale = Client.with_token(key["api_key"], key["api_secret"])
		self.assertEqual(gestionale.get_doc("Referral", referral)["status"], "Sent")
		# and the key reads nothing of the City's own
		with self.assertRaises(RestError) as ctx:
			gestionale.get_doc("Citizen", not_referred.name)
		self.assertIn(ctx.exception.status_code, (403, 404))

	def run_import(self, admin: Client, provider: str, content: str, status: str, dry_run=False) -> dict:
		upload = admin.request(
			"POST",
			"/api/method/upload_file",
			data={
				"doctype": "To Link Import",
				"docname": f"new-to-link-import-{self.s}",
				"fieldname": "import_file",
				"is_private": 1,
			},
			files={"file": (f"cittadini-{random.randrange(10**9)}.csv", content.encode(), "text/csv")},
		)
		self.assertEqual(upload.status_code, 200, upload.text[:300])
		doc = admin.insert(
			{
				"doctype": "To Link Import",
				"import_type": "Citizen",
				"provider": provider,
				"import_file": upload.json()["message"]["file_url"],
			}
		)
		method = "dry_run_import" if dry_run else "run_import"
		out = admin.post(f"tolink.api.desk.{method}", to_link_import=doc["name"])
		expected = "Refused" if status == "Refused" else ("Ready to Import" if dry_run else "Imported")
		self.assertEqual(out["status"], expected, out.get("errors"))
		return out
