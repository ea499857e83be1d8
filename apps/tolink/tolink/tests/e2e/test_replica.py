"""Reports read from a MariaDB replica, and keep answering from the primary when it lags or is down.

Two throw-away servers (tolink.devtools.replication): a primary and its GTID replica, with the
site's database name and account and the tables the Hub Stock report reads. The site's connection
(`frappe.local.db`) points at that primary and `tolink_read_from_replica` at the replica while the
report runs: a ledger row written on the replica alone shows which server answered."""

from contextlib import contextmanager

import frappe
from frappe.database import get_db

from tolink.devtools.factories import uid
from tolink.devtools.replication import ReplicatedPair
from tolink.distribution.report.hub_stock import hub_stock
from tolink.distribution.stock import get_balances
from tolink.permissions import replica
from tolink.tests.case import CommittingTestCase

TABLES = ("tabAid Item", "tabStock Ledger Entry")
LEDGER = (
	"insert into `tabStock Ledger Entry` (name, hub, aid_item, lot, qty_change, docstatus)"
	" values (%s, %s, %s, %s, %s, 1)"
)


class TestReportsOnReplica(CommittingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.pair = pair = ReplicatedPair()
		cls.addClassCleanup(pair.stop)  # runs even when setUpClass fails half-way
		pair.start()

		db, password = frappe.conf.db_name, frappe.conf.db_password
		primary = pair.primary
		primary.sql(f"create database `{db}` character set utf8mb4 collate utf8mb4_unicode_ci")
		primary.sql(f"create user '{db}'@'%%' identified by %s", (password,))
		primary.sql(f"grant all privileges on `{db}`.* to '{db}'@'%'")
		# to read the replication status on the replica (tolink.permissions.replica)
		primary.sql(f"grant slave monitor on *.* to '{db}'@'%'")
		with primary.connect(database=db) as conn, conn.cursor() as cur:
			for table in TABLES:
				cur.execute(frappe.db.sql(f"show create table `{table}`")[0][1])
			cls.hub, cls.item = f"RT-HUB-{uid()}", f"RT-ITEM-{uid()}"
			cur.execute(
				"insert into `tabAid Item` (name, item_name, unit, low_stock_threshold) values (%s, %s, 'kg', 0)",
				(cls.item, cls.item),
			)
			cur.execute(LEDGER, (f"SLE-{uid()}", cls.hub, cls.item, "ON-BOTH", 10))
		pair.wait_in_sync()
		# on the replica alone: what only the replica can answer
		with pair.replica.connect(database=db) as conn, conn.cursor() as cur:
			cur.execute(LEDGER, (f"SLE-{uid()}", cls.hub, cls.item, "REPLICA-ONLY", 5))

		frappe.set_user("Administrator")

	@contextmanager
	def site_on_throwaway_servers(self, read_from_replica: bool = True):
		"""The site's connection on the throw-away primary; its replica configured as Frappe's keys."""
		# what the report's access checks read (meta, roles, organisation), cached from the site's own
		# database: the throw-away servers hold only the report's tables
		hub_stock.execute({"hub": self.hub})
		replica._load_permissions_from_primary()
		saved_db, saved_conf = frappe.local.db, frappe.local.conf
		frappe.local.conf = frappe._dict(saved_conf)
		frappe.local.conf.update(
			{
				replica.CONF_KEY: int(read_from_replica),
				"replica_host": "127.0.0.1",
				"replica_db_port": self.pair.replica.port,
			}
		)
		frappe.local.db = get_db(
			host="127.0.0.1",
			port=self.pair.primary.port,
			user=saved_conf.db_name,
			password=saved_conf.db_password,
			cur_db_name=saved_conf.db_name,
		)
		try:
			yield
		finally:
			frappe.local.db.close()
			frappe.local.db, frappe.local.conf = saved_db, saved_conf

	def lots(self) -> dict:
		with self.site_on_throwaway_servers():
			columns, data = hub_stock.execute({"hub": self.hub})
		return {row["lot"]: row["qty"] for row in data}

	def replica_selects(self) -> int:
		rows = self.pair.replica.sql("show global status like 'Com_select'")
		return int(rows[0]["Value"])

	def test_a_the_report_reads_from_the_replica(self):
		before = self.replica_selects()
		self.assertEqual(self.lots(), {"ON-BOTH": 10, "REPLICA-ONLY": 5})
		self.assertGreater(self.replica_selects(), before)
		# switched off, the same report reads the primary
		with self.site_on_throwaway_servers(read_from_replica=False):
			data = hub_stock.execute({"hub": self.hub})[1]
		self.assertEqual({r["lot"] for r in data}, {"ON-BOTH"})
		# nothing of the switch is left behind
		self.assertFalse(hasattr(frappe.local, "replica_db"))

	def test_b_a_stopped_replication_reads_the_primary(self):
		self.pair.replica.sql("stop slave sql_thread")
		try:
			self.pair.primary.sql(
				LEDGER.replace("`tabStock", f"`{frappe.conf.db_name}`.`tabStock"),
				(f"SLE-{uid()}", self.hub, self.item, "AFTER-STOP", 3),
			)
			# the replica has not applied it; the report answers from the primary, which has it
			self.assertEqual(self.lots(), {"ON-BOTH": 10, "AFTER-STOP": 3})
		finally:
			self.pair.replica.sql("start slave sql_thread")
		self.pair.wait_in_sync()
		self.assertEqual(self.lots(), {"ON-BOTH": 10, "REPLICA-ONLY": 5, "AFTER-STOP": 3})

	def test_c_a_replica_too_far_behind_reads_the_primary(self):
		frappe.local.conf[replica.MAX_LAG_KEY] = -1  # any lag is too much
		try:
			self.assertNotIn("REPLICA-ONLY", self.lots())
		finally:
			frappe.local.conf.pop(replica.MAX_LAG_KEY, None)

	def test_d_a_replica_down_reads_the_primary(self):
		self.pair.replica.stop()
		self.assertEqual(self.lots(), {"ON-BOTH": 10, "AFTER-STOP": 3})
		# Frappe's own switch has no way out: with the replica down its read_only call fails
		with self.site_on_throwaway_servers():
			frappe.local.conf.read_from_replica = 1
			with self.assertRaises(Exception) as failure:
				frappe.read_only()(get_balances)(self.hub)
			self.assertIn("Can't connect", str(failure.exception))
			for key in ("replica_db", "primary_db"):
				if hasattr(frappe.local, key):
					delattr(frappe.local, key)
