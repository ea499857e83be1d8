"""Black-box REST client (tests, benchmarks): a logged-in session against the live test server."""

import json

import frappe
import requests

from tolink.devtools.cleanup import record
from tolink.devtools.live_server import api_url, site_headers

TEST_PASSWORD = "Tl!nk-Test-Pass-2026#"


def make_user(
	email: str, roles: list[str], provider: str | None = None, first_name: str | None = None
) -> str:
	"""Create (or reset) a staff user with a password; committed so the server sees it."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
		user.set("roles", [])
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.first_name = first_name or email.split("@")[0]
		user.send_welcome_email = 0
		user.language = "it"
	user.tolink_provider = provider
	user.enabled = 1
	for role in roles:
		user.append("roles", {"role": role})
	user.flags.no_welcome_mail = True
	user.save(ignore_permissions=True)
	from frappe.utils.password import update_password

	update_password(email, TEST_PASSWORD)
	frappe.db.commit()
	record("User", email)
	return email


def make_api_key(user: str) -> tuple[str, str]:
	"""An API key and secret for a user (merchants and partners authenticate this way)."""
	doc = frappe.get_doc("User", user)
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	doc.api_key = key
	doc.api_secret = secret
	doc.save(ignore_permissions=True)
	frappe.db.commit()
	return key, secret


class RestError(Exception):
	def __init__(self, response: requests.Response):
		self.response = response
		self.status_code = response.status_code
		super().__init__(f"{response.status_code}: {response.text[:500]}")


class Client:
	"""One user's HTTP session. Methods return the decoded `message`/`data` or raise RestError."""

	def __init__(self, user: str | None = None, password: str = TEST_PASSWORD, base_url: str | None = None):
		self.base = base_url or api_url()
		self.session = requests.Session()
		self.session.headers.update(site_headers())
		self.session.headers["Accept"] = "application/json"
		self.user = user
		if user:
			self.login(user, password)

	@classmethod
	def with_token(cls, key: str, secret: str, base_url: str | None = None) -> "Client":
		client = cls(base_url=base_url)
		client.session.headers["Authorization"] = f"token {key}:{secret}"
		return client

	def login(self, user: str, password: str = TEST_PASSWORD) -> None:
		r = self.session.post(
			self.base + "/api/method/login", data={"usr": user, "pwd": password}, timeout=30
		)
		if r.status_code != 200:
			raise RestError(r)
		if r.json().get("tmp_id"):
			# the user's role needs two-factor authentication (e.g. Psychologist): the password alone
			# opens no session, so this test client authenticates with an API key instead
			key, secret = make_api_key(user)
			self.session.cookies.clear()  # the half-open login's Guest session would win over the key
			self.session.headers["Authorization"] = f"token {key}:{secret}"

	def request(self, method: str, path: str, **kwargs) -> requests.Response:
		kwargs.setdefault("timeout", 60)
		return self.session.request(method, self.base + path, **kwargs)

	def _json(self, r: requests.Response, key: str):
		if r.status_code != 200:
			raise RestError(r)
		return r.json().get(key)

	# --- /api/resource
	def get_list(self, doctype: str, fields=None, filters=None, limit: int = 500, **params):
		params = {"limit_page_length": limit, **params}
		if fields is not None:
			params["fields"] = json.dumps(fields)
		if filters is not None:
			params["filters"] = json.dumps(filters)
		return self._json(self.request("GET", f"/api/resource/{doctype}", params=params), "data")

	def get_doc(self, doctype: str, name: str):
		return self._json(self.request("GET", f"/api/resource/{doctype}/{name}"), "data")

	def insert(self, doc: dict):
		return self._json(self.request("POST", f"/api/resource/{doc['doctype']}", json=doc), "data")

	def update(self, doctype: str, name: str, values: dict):
		return self._json(self.request("PUT", f"/api/resource/{doctype}/{name}", json=values), "data")

	def delete(self, doctype: str, name: str):
		return self._json(self.request("DELETE", f"/api/resource/{doctype}/{name}"), "data")

	# --- /api/method
	def get(self, method: str, **params):
		return self._json(self.request("GET", f"/api/method/{method}", params=params), "message")

	def post(self, method: str, **data):
		return self._json(self.request("POST", f"/api/method/{method}", json=data), "message")

	def getdoc(self, doctype: str, name: str):
		"""What Desk loads to open a form (the document, its versions, comments, attachments)."""
		r = self.request(
			"GET", "/api/method/frappe.desk.form.load.getdoc", params={"doctype": doctype, "name": name}
		)
		if r.status_code != 200:
			raise RestError(r)
		return r.json().get("docs")

	def count(self, doctype: str, filters=None) -> int:
		params = {"doctype": doctype}
		if filters is not None:
			params["filters"] = json.dumps(filters)
		return self.get("frappe.client.get_count", **params)

	def search_link(self, doctype: str, txt: str = "") -> list[str]:
		r = self.request(
			"GET", "/api/method/frappe.desk.search.search_link", params={"doctype": doctype, "txt": txt}
		)
		data = self._json(r, "message") or []
		return [row["value"] for row in data]

	def validate_link(self, doctype: str, docname: str):
		return self.get("frappe.client.validate_link", doctype=doctype, docname=docname, fields="[]")
