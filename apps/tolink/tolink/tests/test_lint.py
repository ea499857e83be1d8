"""The code base is lint-clean (ruff, configured as frappe/hrms does in pyproject.toml)."""

import os
import subprocess
import sys
import unittest

APP_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUFF = os.path.join(os.path.dirname(sys.executable), "ruff")


class TestLint(unittest.TestCase):
	def run_ruff(self, *args):
		result = subprocess.run([RUFF, *args, APP_DIR], capture_output=True, text=True, cwd=APP_DIR)
		self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

	def test_ruff_check(self):
		self.run_ruff("check")

	def test_ruff_format(self):
		self.run_ruff("format", "--check")
