"""Desk reaches the app's endpoints over HTTP under their registry paths."""

import frappe

from tolink.tests.case import CommittingTestCase


class TestEndpointsOverHttp(CommittingTestCase):
	"""Desk reaches its endpoints under the new paths (make_mapped_doc names one); the old paths
	answer like methods that never existed (no aliases)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from tolink.devtools.factories import make_citizen, make_provider, uid
		from tolink.devtools.rest import make_user

		frappe.set_user("Administrator")
		cls.org, cls.other = make_provider(), make_provider()
		cls.operator = make_user(f"op-{uid()}@registry.test", ["Reception Operator"], cls.org)
		cls.outsider = make_user(f"op-{uid()}@registry.test", ["Reception Operator"], cls.other)
		citizen = make_citizen(cls.org)
		frappe.set_user(cls.operator)
		cls.call = frappe.get_doc(
			{
				"doctype": "Helpline Call",
				"reason": "Food",
				"triage": "High",
				"caller_type": "Known citizen",
				"citizen": citizen.name,
			}
		).insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.citizen = citizen.name

	def test_desk_makes_an_intake_from_a_call_through_make_mapped_doc(self):
		from tolink.devtools.rest import Client

		def make(user, method):
			return Client(user).request(
				"POST",
				"/api/method/frappe.model.mapper.make_mapped_doc",
				data={"method": method, "source_name": self.call.name},
			)

		r = make(self.operator, "tolink.api.desk.make_intake")
		self.assertEqual(r.status_code, 200, r.text[:300])
		intake = r.json()["message"]
		self.assertEqual((intake["doctype"], intake["citizen"]), ("Intake", self.citizen))
		self.assertIn(make(self.outsider, "tolink.api.desk.make_intake").status_code, (403, 404))
		old = "tolink.helpline.doctype.helpline_call.helpline_call.make_intake"
		self.assertEqual(make(self.operator, old).status_code, 403)

	def test_the_old_paths_are_gone(self):
		from tolink.devtools.rest import Client
		from tolink.tests.e2e.test_gate import body

		old = (
			"tolink.api.health.status",
			"tolink.api.vouchers.check",
			"tolink.api.referrals.respond",
			"tolink.network.api.search_services",
			"tolink.care_path.overview.citizen_overview",
		)
		for who in (None, self.operator):
			c = Client(who) if who else Client()
			missing = c.request("GET", "/api/method/tolink.api.no_such_method")
			self.assertEqual(missing.status_code, 403)
			for method in old:
				r = c.request("GET", f"/api/method/{method}")
				self.assertEqual((r.status_code, body(r)), (missing.status_code, body(missing)), method)
		r = Client().request("GET", "/api/method/tolink.api.public.health")
		self.assertIn(r.status_code, (200, 503), r.text[:300])
		self.assertIn("checks", r.json()["message"])
