app_name = "tolink"
app_title = "To Link"
app_publisher = "To Link developers"
app_description = "To Link: connessioni di comunità. Reception, orientation and accompaniment for people in hardship."
app_email = "dev@tolink.invalid"
app_license = "mit"
required_apps = []

export_python_type_annotations = True

# Installation
# ------------
after_install = "tolink.setup.install.after_install"
after_migrate = "tolink.setup.install.after_migrate"
before_tests = "tolink.setup.install.before_tests"

# Scheduled Tasks
# ---------------
scheduler_events = {
	"cron": {
		# every minute: proves to the health check that scheduler and workers run
		"* * * * *": ["tolink.api.health.record_scheduler_heartbeat"],
	},
}
