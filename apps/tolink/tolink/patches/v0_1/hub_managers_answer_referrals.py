"""Hub Managers answer the referrals sent to their hubs' services: the shipped Referral workflow of
an existing site gets their transitions (an administrator's own workflow is left alone)."""

from tolink.care_path.workflows import add_role_to_shipped_workflow


def execute():
	add_role_to_shipped_workflow("Referral", "Hub Manager")
