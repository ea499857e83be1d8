"""Reads that may come from a MariaDB replica: reports, dashboards and monitoring figures.

Frappe v15 reads from a replica inside `@frappe.read_only()` when the site config has
`read_from_replica`: it opens a second connection (`replica_host`, `replica_db_port`, the site's
database user, or `replica_db_name` / `replica_db_password` with `different_credentials_for_replica`),
swaps `frappe.local.db` for it until the call returns, and `@frappe.write_only()` swaps the primary
back in for a write made meanwhile. Frappe's switch is global: `query_report.run`, `reportview.get`
(every list of Desk and of the REST API), `get_count`, the sidebar and workspace counts all become
replica reads, **and so does every permission check made inside them**:

- the row rules of To Link are SQL conditions of the same query (the user's organisation, the
  referrals that reach it, the consents that stand), so they see the replica's data: a consent
  withdrawn, a referral cancelled or a user moved to another organisation still counts there until
  the replica has applied it;
- worse, a permission cache emptied on the primary (a role taken away clears the user's cached
  roles) and filled again inside such a call is filled from the replica: the stale value then
  stays in Redis until the next change, long after the replica caught up;
- and when the replica is down or stopped, every such call fails: Frappe does not fall back.

So To Link does not use Frappe's global switch (leave `read_from_replica` off) and reads from the
replica only where stale-by-seconds is harmless and no access decision is taken on the replica's
data, with `run()` / `@read_only` below, switched on by `tolink_read_from_replica` in the site
config (with Frappe's own `replica_host`, `replica_db_port`... keys for the connection):

- the permission checks come first, on the primary: callers check access before calling `run()`,
  and `run()` itself loads the caller's roles and organisation from the primary into the caches
  before it switches, so nothing permission-relevant is read from or cached off the replica;
- the replica is used only when it is reachable, both replication threads run and it is at most
  `tolink_replica_max_lag` seconds behind (default 30; the database user needs the
  `SLAVE MONITOR` privilege on the replica to see that); otherwise the primary answers and the
  reason is logged (`tolink.replica`);
- writes never go to the replica: `frappe.write_only()` inside still finds the primary (this module
  sets `frappe.local.primary_db` as Frappe does), and the replica's account should be read-only.

What reads from the replica: the reports' data (Service Directory, Hub Stock, Merchant
Reconciliation), after their access checks. What stays on the primary: lists,
forms, counts and exports of personal data (workspace counts included: they are row-rule counts),
the access log and its report (who read a person's data must include the read of a second ago),
and every write.
"""

import functools

import frappe
from frappe.core.doctype.user_permission.user_permission import get_user_permissions
from frappe.database import get_db

from tolink.security.users import get_user_provider

CONF_KEY = "tolink_read_from_replica"
MAX_LAG_KEY = "tolink_replica_max_lag"
DEFAULT_MAX_LAG = 30  # seconds


def enabled() -> bool:
	return bool(frappe.conf.get(CONF_KEY) and frappe.conf.get("replica_host"))


def on_replica() -> bool:
	replica = getattr(frappe.local, "replica_db", None)
	return replica is not None and frappe.local.db is replica


def _log(message: str) -> None:
	frappe.logger("tolink.replica").warning(message)


def _replication_problem(db) -> str | None:
	"""Why this replica must not answer now (None when it may)."""
	try:
		status = db.sql("show slave status", as_dict=True)
	except Exception as e:
		return f"replication status not readable (grant SLAVE MONITOR): {e}"
	if not status:
		return "the server is not a replica"
	row = status[0]
	if row.get("Slave_IO_Running") != "Yes" or row.get("Slave_SQL_Running") != "Yes":
		return "replication stopped"
	lag = row.get("Seconds_Behind_Master")
	max_lag = frappe.conf.get(MAX_LAG_KEY)
	max_lag = DEFAULT_MAX_LAG if max_lag is None else float(max_lag)
	if lag is None or float(lag) > max_lag:
		return f"replica {lag} s behind (at most {max_lag})"
	return None


def connect_replica():
	"""A connection to the replica when it may answer, else None (the reason is logged)."""
	conf = frappe.conf
	user, password = conf.db_name, conf.db_password
	if conf.different_credentials_for_replica:
		user, password = conf.replica_db_name, conf.replica_db_password
	db = get_db(
		host=conf.replica_host,
		port=conf.replica_db_port,
		user=user,
		password=password,
		cur_db_name=conf.db_name,
	)
	try:
		db.connect()
		problem = _replication_problem(db)
	except Exception as e:
		problem = f"replica unreachable: {e}"
	if problem:
		_log(f"reading from the primary: {problem}")
		try:
			db.close()
		except Exception:
			pass
		return None
	return db


def _load_permissions_from_primary() -> None:
	"""What access checks read during the call, cached now from the primary."""
	frappe.get_roles()
	get_user_permissions()
	get_user_provider()


def run(fn, *args, **kwargs):
	"""`fn(*args, **kwargs)` reading from the replica when it is switched on and may answer, from
	the primary otherwise. Check access before: nothing read here decides who may see what."""
	if not enabled() or on_replica():
		return fn(*args, **kwargs)
	_load_permissions_from_primary()
	replica = connect_replica()
	if replica is None:
		return fn(*args, **kwargs)
	local = frappe.local
	saved = {k: getattr(local, k) for k in ("primary_db", "replica_db") if hasattr(local, k)}
	primary = local.db
	local.primary_db, local.replica_db, local.db = primary, replica, replica
	try:
		return fn(*args, **kwargs)
	finally:
		local.db = primary
		for key in ("primary_db", "replica_db"):
			if key in saved:
				setattr(local, key, saved[key])
			else:
				delattr(local, key)
		replica.close()


def read_only(fn):
	"""Decorator: `fn` reads from the replica through `run()`."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		return run(fn, *args, **kwargs)

	return wrapper
