"""The codice fiscale over HTTP, as Desk and REST clients send it: a code naming no comune or state is
refused with the reason in the user's language and nothing is written; the birth place comes from
the code and a client cannot set it."""

import json

import frappe

from tolink.devtools.factories import make_provider, random_cf, uid
from tolink.devtools.rest import Client, make_user
from tolink.registry.codice_fiscale import compute_checksum
from tolink.tests.case import CommittingTestCase


def messages(response) -> str:
	data = response.json()
	out = [error.get("message", "") for error in data.get("errors") or []]
	for message in json.loads(data.get("_server_messages") or "[]"):
		out.append(json.loads(message).get("message", ""))
	return " ".join(out)


class TestCodiceFiscaleOverREST(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		s = cls.suffix = uid()
		cls.org = make_provider(f"CF Org {s}")
		# an Italian-speaking reception operator (make_user gives staff the language "it")
		cls.user = make_user(f"reception-cf-{s}@cf.test", ["Reception Operator"], cls.org)
		frappe.db.commit()
		cls.client = Client(cls.user)

	def citizen(self, **values) -> dict:
		return {
			"doctype": "Citizen",
			"first_name": "Ada",
			"last_name": f"Codice {uid(4)}",
			"provider": self.org,
			"district": "6",
			**values,
		}

	def test_unknown_birth_place_is_refused_in_italian(self):
		first15 = "RSSMRA85T10Z999"  # no comune or foreign state has the code Z999
		code = first15 + compute_checksum(first15)
		doc = self.citizen(codice_fiscale=code)
		paths = {
			"REST insert": lambda: self.client.request("POST", "/api/resource/Citizen", json=doc),
			"Desk form": lambda: self.client.request(
				"POST",
				"/api/method/frappe.desk.form.save.savedocs",
				data={"doc": json.dumps({**doc, "__islocal": 1, "name": "new-citizen-1"}), "action": "Save"},
			),
		}
		for path, send in paths.items():
			r = send()
			self.assertEqual(r.status_code, 417, f"{path}: {r.text[:300]}")
			self.assertIn("InvalidCodiceFiscaleError", r.text, path)
			self.assertIn(
				f"Codice fiscale non valido <strong>{code}</strong>: i caratteri da 12 a 15 "
				"(<strong>Z999</strong>) non sono il codice di un comune italiano o di uno Stato estero "
				"esistente alla data di nascita.",
				messages(r),
				path,
			)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Citizen", {"last_name": doc["last_name"]}))

	def test_wrong_check_character_is_refused_in_italian(self):
		r = self.client.request(
			"POST", "/api/resource/Citizen", json=self.citizen(codice_fiscale="RSSMRA85T10A562X")
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("Codice fiscale non valido <strong>RSSMRA85T10A562X</strong>", messages(r))
		self.assertIn("carattere di controllo", messages(r))

	def test_birth_place_comes_from_the_code_and_is_not_set_by_clients(self):
		code = random_cf(place="L219")
		created = self.client.insert(self.citizen(codice_fiscale=code))
		self.assertEqual(created["birth_place"], "Torino (TO)")
		name = created["name"]
		# a client that sets it is refused; sending back the stored value is not
		r = self.client.request("PUT", f"/api/resource/Citizen/{name}", json={"birth_place": "Milano (MI)"})
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("ServerOwnedFieldError", r.text)
		r = self.client.request(
			"POST", "/api/resource/Citizen", json=self.citizen(codice_fiscale=random_cf(), birth_place="Roma")
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("ServerOwnedFieldError", r.text)
		r = self.client.request("PUT", f"/api/resource/Citizen/{name}", json={"birth_place": "Torino (TO)"})
		self.assertEqual(r.status_code, 200, r.text[:300])
		# a new code, the new place
		abroad = random_cf(place="Z129")
		updated = self.client.update(
			"Citizen", name, {"codice_fiscale": abroad, "birth_date": None, "sex": ""}
		)
		self.assertEqual(updated["birth_place"], "Romania")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Citizen", name, "birth_place"), "Romania")
