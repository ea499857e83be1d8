"""Staff users who became System Managers before To Link refused it lose the role.

Frappe gives System Manager to the first system user saved after setup, which on a To Link site
was the first staff member (the demo's reception operator; a production site's first real user).
System Managers pass every rule of the network (tolink.security.accounts)."""

from tolink.security.accounts import remove_system_manager_from_staff


def execute():
	remove_system_manager_from_staff()
