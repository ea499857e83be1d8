"""The black-box test case: a live server, one organisation with its users, nothing left behind."""

import frappe

from tolink.devtools.factories import make_provider, uid
from tolink.devtools.rest import Client, make_user
from tolink.tests.case import CommittingTestCase


class LiveServerTestCase(CommittingTestCase):
	"""Per class: an organisation (`cls.org`, named after the class) with one user per entry of
	`roles` (`cls.users[key]`, staff of `cls.org`), committed so the live server (gunicorn, started on
	first use) sees them; `self.client(key)` is that user's logged-in REST client.

	Subclasses make more in setUpClass after `super().setUpClass()`, with the factories and
	`make_user`: all of it, whatever the users create over HTTP, and the organisation and users go
	when the class ends (CommittingTestCase)."""

	roles: dict[str, list[str]] = {}  # key -> roles of a user of cls.org

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.s = s = uid()
		cls.org = make_provider(f"{cls.__name__} {s}")
		domain = cls.__name__.lower()[:30]
		cls.users = {
			key: make_user(f"{key.replace('_', '-')}-{s}@{domain}.test", roles, cls.org)
			for key, roles in cls.roles.items()
		}
		frappe.db.commit()
		cls.clients = {}

	@classmethod
	def client(cls, who: str) -> Client:
		"""The REST client of `cls.users[who]` (logged in once per class)."""
		if who not in cls.clients:
			cls.clients[who] = Client(cls.users[who])
		return cls.clients[who]
