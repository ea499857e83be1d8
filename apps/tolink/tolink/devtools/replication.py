"""Throw-away MariaDB servers for tests: a primary and a GTID replica of it, each in a temporary
folder on its own port and socket, removed by `stop()` (call it even when starting failed).

Needs `mariadbd` and `mariadb-install-db` (Debian's mariadb-server); runs as root (`--user=root`)
or as the user owning the folders."""

import getpass
import os
import shutil
import signal
import socket
import subprocess
import tempfile

import pymysql

from tolink.devtools.wait import eventually

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
REPLICATION_USER, REPLICATION_PASSWORD = "repl", "repl-test-password"


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class Server:
	def __init__(self, root: str, name: str, server_id: int, binlog: bool):
		self.dir = os.path.join(root, name)
		self.data = os.path.join(self.dir, "data")
		self.socket = os.path.join(self.dir, "mysqld.sock")
		self.port = _free_port()
		self.server_id = server_id
		self.binlog = binlog
		self.proc: subprocess.Popen | None = None

	def start(self) -> None:
		args = [
			MARIADBD,
			"--no-defaults",
			f"--datadir={self.data}",
			f"--socket={self.socket}",
			f"--port={self.port}",
			"--bind-address=127.0.0.1",
			f"--pid-file={os.path.join(self.dir, 'mysqld.pid')}",
			f"--log-error={os.path.join(self.dir, 'error.log')}",
			f"--user={getpass.getuser()}",
			f"--server-id={self.server_id}",
			"--skip-name-resolve",
			"--innodb-buffer-pool-size=32M",
			"--innodb-log-file-size=16M",
			"--performance-schema=OFF",
			"--character-set-server=utf8mb4",
			"--collation-server=utf8mb4_unicode_ci",
		]
		if self.binlog:
			args += [f"--log-bin={os.path.join(self.dir, 'binlog')}", "--binlog-format=ROW"]
		self.proc = subprocess.Popen(
			args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
		)

		def up():
			if self.proc.poll() is not None:
				raise RuntimeError(f"mariadbd exited: see {self.dir}/error.log")
			with self.connect():
				return True

		eventually(up, timeout=60, interval=0.3, message=f"mariadbd on port {self.port}")

	def connect(self, **kwargs) -> pymysql.Connection:
		"""As root, over the socket."""
		return pymysql.connect(unix_socket=self.socket, user="root", autocommit=True, **kwargs)

	def sql(self, query: str, args=None) -> list:
		with self.connect() as conn, conn.cursor(pymysql.cursors.DictCursor) as cur:
			cur.execute(query, args)
			return cur.fetchall()

	def stop(self) -> None:
		if self.proc and self.proc.poll() is None:
			self.proc.send_signal(signal.SIGTERM)
			try:
				self.proc.wait(timeout=30)
			except subprocess.TimeoutExpired:
				self.proc.kill()
				self.proc.wait(timeout=10)


class ReplicatedPair:
	"""A primary (binary log, GTID) and a replica replicating it from the start."""

	def __init__(self):
		self.root = tempfile.mkdtemp(prefix="tolink-replica-")
		self.primary = Server(self.root, "primary", 1, binlog=True)
		self.replica = Server(self.root, "replica", 2, binlog=False)

	def start(self) -> None:
		# one installed data folder, copied: both servers start identical and the replica applies
		# everything the primary logs from its first transaction
		os.makedirs(self.primary.dir)
		subprocess.run(
			[
				INSTALL_DB,
				"--no-defaults",
				f"--datadir={self.primary.data}",
				f"--user={getpass.getuser()}",
				"--auth-root-authentication-method=normal",
				"--skip-test-db",
			],
			check=True,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			timeout=120,
		)
		shutil.copytree(self.primary.dir, self.replica.dir, symlinks=True)
		self.primary.start()
		self.replica.start()
		self.primary.sql(f"create user '{REPLICATION_USER}'@'%' identified by '{REPLICATION_PASSWORD}'")
		self.primary.sql(f"grant replication slave on *.* to '{REPLICATION_USER}'@'%'")
		self.replica.sql(
			f"change master to master_host='127.0.0.1', master_port={self.primary.port}, "
			f"master_user='{REPLICATION_USER}', master_password='{REPLICATION_PASSWORD}', "
			"master_use_gtid=slave_pos"
		)
		self.replica.sql("start slave")
		self.wait_in_sync()

	def replication_status(self) -> dict:
		rows = self.replica.sql("show slave status")
		return rows[0] if rows else {}

	def wait_in_sync(self, timeout: float = 60) -> None:
		"""Until the replica applied everything the primary logged."""

		def in_sync():
			position = self.primary.sql("select @@global.gtid_binlog_pos as pos")[0]["pos"]
			applied = self.replica.sql("select @@global.gtid_slave_pos as pos")[0]["pos"]
			status = self.replication_status()
			if status.get("Last_SQL_Error") or status.get("Last_IO_Error"):
				raise RuntimeError(
					f"replication failed: {status.get('Last_SQL_Error') or status.get('Last_IO_Error')}"
				)
			return position == applied

		eventually(in_sync, timeout=timeout, interval=0.2, message="the replica in sync with the primary")

	def stop(self) -> None:
		for server in (self.replica, self.primary):
			try:
				server.stop()
			except Exception:
				pass
		shutil.rmtree(self.root, ignore_errors=True)
