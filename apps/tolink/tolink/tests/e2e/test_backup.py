"""Backups: an (encrypted) backup of the site restores into a fresh site with the same records.
Uses bench as the README tells administrators to."""

import glob
import gzip
import os
import subprocess
import tempfile

import frappe

from tolink.devtools.factories import make_citizen, make_provider, uid
from tolink.devtools.live_server import BENCH_DIR, ENV_BIN
from tolink.tests.case import CommittingTestCase

CONF_DIR = os.environ.get("TOLINK_CONFIG_DIR") or os.path.join(
	os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "tolink"
)


def bench(*args: str) -> str:
	result = subprocess.run(
		[os.path.join(ENV_BIN, "python"), "-m", "frappe.utils.bench_helper", "frappe", *args],
		cwd=os.path.join(BENCH_DIR, "sites"),
		capture_output=True,
		text=True,
		timeout=300,
	)
	if result.returncode:
		raise AssertionError(
			f"bench {' '.join(args[:3])} failed: {result.stdout[-800:]} {result.stderr[-800:]}"
		)
	return result.stdout


class TestBackupRestore(CommittingTestCase):
	def test_backup_restores_into_a_fresh_site(self):
		org = make_provider()
		citizen = make_citizen(org, last_name=f"Backup{uid()}")
		frappe.db.commit()
		with open(os.path.join(CONF_DIR, "db-admin-password")) as f:
			root_password = f.read().strip()
		root = ["--db-root-username", "tolink_admin", "--db-root-password", root_password]
		target = f"restore-{uid()}.localhost"
		with tempfile.TemporaryDirectory() as backup_dir:
			bench("--site", frappe.local.site, "backup", "--backup-path", backup_dir)
			dumps = glob.glob(os.path.join(backup_dir, "*-database*.sql.gz"))
			self.assertEqual(len(dumps), 1, os.listdir(backup_dir))
			assert_encrypted(self, dumps[0], citizen.last_name)
			bench("new-site", target, "--admin-password", "restore", "--no-mariadb-socket", *root)
			try:
				bench(
					"--site",
					target,
					"restore",
					dumps[0],
					"--encryption-key",
					backup_key(),
					*root,
				)
				out = bench(
					"--site",
					target,
					"execute",
					"frappe.db.get_value",
					"--args",
					f'["Citizen", "{citizen.name}", "last_name"]',
				)
				self.assertIn(citizen.last_name, out)
			finally:
				# the dropped site's folder goes to a temporary place, not the bench's archived/
				with tempfile.TemporaryDirectory() as archive:
					bench(
						"drop-site", target, "--force", "--no-backup", "--archived-sites-path", archive, *root
					)


def assert_encrypted(test: CommittingTestCase, path: str, secret: str) -> None:
	"""Frappe names the dump *-enc even when gpg failed ("Files are stored without encryption"):
	the content is checked, an OpenPGP message that only the site's key opens."""
	test.assertIn("-database-enc.sql.gz", os.path.basename(path))
	with open(path, "rb") as f:
		raw = f.read()
	test.assertNotEqual(raw[:2], b"\x1f\x8b", "the dump is plain gzip, not encrypted")
	test.assertTrue(raw[0] & 0x80, "not an OpenPGP message")  # a packet tag (symmetric, from gpg -c)
	with test.assertRaises(OSError):
		gzip.decompress(raw)
	test.assertNotIn(secret.encode(), raw)

	def decrypt(key: str) -> subprocess.CompletedProcess:
		# as Frappe's restore does (decrypt_backup), the key never cached by the agent
		return subprocess.run(
			[
				"gpg",
				"--batch",
				"--yes",
				"--no-symkey-cache",
				"--pinentry-mode",
				"loopback",
				"--passphrase-fd",
				"0",
				"--decrypt",
				path,
			],
			input=key.encode() + b"\n",
			capture_output=True,
			timeout=120,
		)

	opened = decrypt(backup_key())
	test.assertEqual(opened.returncode, 0, opened.stderr[-500:])
	test.assertIn(secret.encode(), gzip.decompress(opened.stdout))
	test.assertNotEqual(decrypt("not-the-key").returncode, 0)


def backup_key() -> str:
	"""The key Frappe encrypts backups with (written to site_config.json on the first backup)."""
	conf = frappe.get_site_config()
	return conf.get("backup_encryption_key") or conf.get("encryption_key")
