"""Sites installed before two-factor authentication was an install default get it switched on (for
the roles marked in tolink.setup.install.TWO_FACTOR_ROLES only: written field by field, so Frappe's
System Settings on_update does not extend it to every user)."""

import frappe


def execute():
	frappe.db.set_single_value("System Settings", "enable_two_factor_auth", 1)
	frappe.clear_cache()
