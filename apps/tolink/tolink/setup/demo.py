"""Demo network for demo sites (never loaded on production installs)."""

import frappe


def install_demo():
	pass


def print_summary():
	print("demo loaded")


def print_logins():
	pass
