"""Install-time configuration of a To Link site. Idempotent: after_migrate runs it again.

What is created here belongs to the app and is put back on every migrate (roles, the User field
that ties a user to an organisation). What administrators are meant to change (System Settings
after install, need categories, districts' descriptions) is only created when missing.
"""

import os

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.installer import update_site_config
from frappe.utils.background_jobs import get_queues_timeout

from tolink.care_path import workflows
from tolink.distribution.setup import seed_distribution_master_data
from tolink.network.notifications import BULK_QUEUE
from tolink.network.setup import seed_network_master_data
from tolink.permissions import ROLES, USER_PROVIDER_FIELD
from tolink.registry.setup import seed_registry_master_data
from tolink.security import accounts
from tolink.setup.workspaces import keep_frappe_workspaces_for_system_managers
from tolink.vouchers import workflows as voucher_workflows

# Roles that work in Desk. Merchants use the REST API and the redemption page only.
DESK_ROLES = set(ROLES) - {"Merchant"}
# Roles that read special-category data (GDPR art. 9): two-factor authentication at login.
# Psychologists read support sessions (health data); Network Administrators export everything held
# on a person, notes included.
TWO_FACTOR_ROLES = {"Psychologist", "Network Administrator"}


def after_install():
	configure_system_settings()
	after_migrate()


def after_migrate():
	ensure_encryption_key()
	ensure_bulk_queue()
	ensure_naming_series()
	create_roles()
	create_user_fields()
	seed_master_data()
	create_workflows()
	grant_workflow_editing()
	remove_system_manager_from_staff()
	keep_frappe_workspaces_for_system_managers()


def before_tests():
	configure_system_settings()
	after_migrate()


def ensure_encryption_key():
	"""The key Frappe encrypts secrets with (API secrets, OTP secrets, email passwords), written to
	site_config.json now. Frappe makes it on first use: on a fresh site two workers encrypting at
	the same moment each made one, the second overwrote the first, and what the first encrypted
	could never be read again (a psychologist's enrolment failed with "Encryption key is invalid")."""
	from frappe.utils.password import get_encryption_key

	get_encryption_key()


# the bulk queue's job timeout (seconds), as Frappe's "long" queue
BULK_QUEUE_TIMEOUT = 1500


def ensure_bulk_queue():
	"""Declare the bulk queue (tolink.network.notifications.bulk_queue) for the bench:
	`"workers": {"bulk": {"timeout": 1500}}` in sites/common_site_config.json, which Frappe reads
	for its list of queues and `bench setup procfile` / `bench setup supervisor` for a worker of
	its own. Bench-wide, as the queues are; a value already there is kept."""
	workers = dict(frappe.get_conf().get("workers") or {})
	if BULK_QUEUE in workers:
		return
	workers[BULK_QUEUE] = {"timeout": BULK_QUEUE_TIMEOUT}
	update_site_config(
		"workers", workers, site_config_path=os.path.join(frappe.local.sites_path, "common_site_config.json")
	)
	frappe.local.conf["workers"] = workers
	get_queues_timeout.cache_clear()


def create_roles():
	for role in ROLES:
		values = {"desk_access": int(role in DESK_ROLES), "two_factor_auth": int(role in TWO_FACTOR_ROLES)}
		if frappe.db.exists("Role", role):
			frappe.db.set_value("Role", role, values, update_modified=False)
			continue
		frappe.get_doc({"doctype": "Role", "role_name": role, **values}).insert(ignore_permissions=True)


def create_user_fields():
	create_custom_fields(
		{
			"User": [
				{
					"fieldname": USER_PROVIDER_FIELD,
					"label": "Organisation",
					"fieldtype": "Link",
					"options": "Provider",
					"insert_after": "username",
					"description": "The To Link organisation this user works for: they see its records only.",
					"in_standard_filter": 1,
				},
				{
					# an organisation's system: API key only, never an interactive login
					# (tolink.network.onboarding, tolink.security.api_keys)
					"fieldname": "tolink_integration_user",
					"label": "Integration User (API only)",
					"fieldtype": "Check",
					"insert_after": USER_PROVIDER_FIELD,
					"read_only": 1,
					"description": "A partner organisation's system: it uses an API key and never logs in.",
				},
			]
		},
		ignore_validate=True,
		update=True,
	)


def seed_master_data():
	"""Reference data every site needs; only what is missing is created."""

	seed_network_master_data()
	seed_registry_master_data()
	seed_distribution_master_data()


def create_workflows():
	workflows.create_workflows()
	voucher_workflows.create_workflow()


def grant_workflow_editing():
	"""Network Administrators change the care path's workflows in Desk (Frappe allows System Managers)."""
	workflows.grant_workflow_editing()


def remove_system_manager_from_staff():
	"""No To Link staff user holds System Manager (Frappe gives it to the first system user; the
	User hooks of tolink.security.accounts refuse it since): taken back on every migrate."""
	accounts.remove_system_manager_from_staff()


def administrator_has_default_password() -> bool:
	"""Whether Administrator still logs in with Frappe's well-known 'admin' (setup.sh replaces it on
	production sites): `bench --site SITE execute tolink.setup.install.administrator_has_default_password`."""
	from frappe.utils.password import check_password

	try:
		check_password("Administrator", "admin", delete_tracker_cache=False)
	except frappe.AuthenticationError:
		return False
	return True


def configure_system_settings():
	"""Italian defaults and secure settings; the setup wizard marked done: To Link needs no wizard."""
	values = {
		"language": "it",
		"country": "Italy",
		"time_zone": "Europe/Rome",
		"date_format": "dd/mm/yyyy",
		"time_format": "HH:mm",
		"number_format": "#.###,##",
		"first_day_of_the_week": "Monday",
		"setup_complete": 1,
		"enable_telemetry": 0,
		# records with an empty link are not visible to users restricted on that link
		"apply_strict_user_permissions": 1,
		"enable_password_policy": 1,
		"minimum_password_score": "3",
		# a working day
		"session_expiry": "09:00",
		"allow_login_after_fail": 300,
		"allow_consecutive_login_attempts": 5,
		# no tracebacks to clients, encrypted backups
		"allow_error_traceback": 0,
		"encrypt_backup": 1,
		# two-factor authentication for the roles that read special-category data (TWO_FACTOR_ROLES):
		# an authenticator app; Frappe emails the enrolment QR code at the first login, so outgoing
		# email must be set up before those users first log in (setup and the README say so)
		"enable_two_factor_auth": 1,
		"two_factor_method": "OTP App",
		"otp_issuer_name": "To Link",
	}
	# set field by field: saving System Settings would run its on_update, which turns 2FA on for
	# the role "All" (everyone) whenever 2FA is enabled; To Link asks it of some roles only
	frappe.db.set_single_value("System Settings", values)
	# what SystemSettings.on_update does besides: defaults and the default language
	from frappe.translate import set_default_language

	for key, value in values.items():
		frappe.db.set_default(key, value)
	set_default_language("it")
	frappe.cache.delete_value("system_settings")
	frappe.cache.delete_value("time_zone")
	frappe.clear_cache()
	frappe.db.set_default("lang", "it")
	frappe.db.set_default("country", "Italy")
	frappe.db.set_default("currency", "EUR")
	frappe.db.set_default("setup_complete", "1")


def ensure_naming_series() -> None:
	"""Create the naming-series counters of this year and the next before anyone needs them.

	Frappe creates a counter on first use with SELECT ... FOR UPDATE and INSERT; two first uses at
	the same moment (two volunteers' first parcels of the year) deadlock. Run on migrate and daily."""
	from frappe.utils import getdate, today

	year = getdate(today()).year
	for doctype in frappe.get_all(
		"DocType", filters={"module": ("in", frappe.get_module_list("tolink"))}, pluck="name"
	):
		autoname = frappe.get_meta(doctype).autoname or ""
		if "#" not in autoname or autoname.startswith(("field:", "naming_series:", "hash", "format:")):
			continue
		prefix = autoname.split(".#")[0]
		for y in (year, year + 1):
			key = prefix.replace(".YYYY.", str(y)).replace(".", "")
			frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", (key,))
