"""What answers without a login: `/api/method/tolink.api.public.<name>`.

Each endpoint here says why it needs no login; it reveals nothing about people or records.
Described in docs/openapi.yaml (generated from these declarations: `bench --site SITE
tolink-openapi`).
"""

import frappe

from tolink import health as checks
from tolink.api import endpoint
from tolink.permissions.allowlist import EVERYONE

CHECK = {
	"type": "object",
	"properties": {
		"status": {"type": "string", "enum": ["ok", "error"]},
		"detail": {"type": "string", "description": "Why it is down (e.g. unreachable); empty when up"},
	},
}
REPORT = {
	"type": "object",
	"properties": {
		"status": {"type": "string", "enum": ["ok", "error"]},
		"checks": {
			"type": "object",
			"properties": {name: CHECK for name in ("database", "cache", "queue", "scheduler", "workers")},
		},
	},
}


# allow_guest: load balancers and uptime monitors call this without a session. It reveals only
# up/down states, reads nothing personal and does constant work (a few pings), so it needs no login.
@endpoint(
	"public",
	EVERYONE,
	"the app's health check for the monitoring",
	allow_guest=True,
	response=REPORT,
	errors={503: "A component is down: the same body, naming it"},
)
def health() -> dict:
	"""Is the site up? Database, cache Redis, queue Redis, scheduler and background workers:
	200 when all are up, 503 naming the component that is down. States only: no versions, host
	names, counts or personal data."""
	report = checks.collect()
	if report["status"] != "ok":
		frappe.local.response["http_status_code"] = 503
	return report
