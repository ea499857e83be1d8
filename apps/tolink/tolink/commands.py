"""bench commands of the To Link app: `bench --site SITE tolink-demo` (also `--logins`, `--otp USER`),
`bench --site SITE tolink-health`, `bench --site SITE tolink-benchmark`,
`bench --site SITE tolink-admin-password FILE` (setup.sh, production sites),
`bench --site SITE tolink-openapi` (docs/openapi.yaml from the endpoint declarations)."""

import json
import sys

import click
from frappe.commands import get_site, pass_context


@click.command("tolink-demo")
@click.option("--logins", is_flag=True, help="Only print the demo logins")
@click.option("--otp", metavar="USER", help="Print the current two-factor code of a demo user")
@pass_context
def tolink_demo(context, logins=False, otp=None):
	"""Load the demo network (demo sites only), print its logins or a demo user's 2FA code."""
	import frappe

	from tolink.setup import demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if logins:
			demo.print_logins()
			return
		if otp:
			try:
				code, uri = demo.current_otp(otp)
			except frappe.ValidationError as e:
				click.secho(str(e), fg="red")
				sys.exit(1)
			click.echo(f"{code}   (valid for 30 seconds; authenticator apps take this key: {uri})")
			return
		try:
			demo.install_demo()
		except demo.NotADemoSiteError as e:
			click.secho(str(e), fg="red")
			sys.exit(1)
		frappe.db.commit()
		demo.print_summary()
	finally:
		frappe.destroy()


@click.command("tolink-health")
@click.option("--no-processes", is_flag=True, help="Skip the checks of scheduler and workers")
@pass_context
def tolink_health(context, no_processes=False):
	"""Check database, cache Redis, queue Redis, scheduler, workers and queues; exit 1 when any is
	down (a backlog is reported, not a failure)."""
	import frappe

	from tolink.health import collect

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		report = collect(include_processes=not no_processes)
		from tolink.network.notifications import outgoing_email_configured

		email = outgoing_email_configured()
	finally:
		frappe.destroy()
	for name, check in report["checks"].items():
		colour = {"ok": "green", "backlog": "yellow"}.get(check["status"], "red")
		click.secho(f"  {name:<12} {check['status']:<8} {check.get('detail', '')}", fg=colour)
		for queue, q in (check.get("queues") or {}).items():
			click.echo(f"    {queue:<10} {q['size']} waiting, oldest {q['oldest_age']} s")
	if not email:
		# not a failure: the system works, but people cannot be reached by email
		click.secho(
			"  email        missing  no outgoing email account: notifications stay in Desk, and users who\n"
			"                        need two-factor authentication (Psychologist, Network Administrator)\n"
			"                        cannot receive their enrolment code. Set up an Email Account first.",
			fg="yellow",
		)
	if report["status"] == "error":
		sys.exit(1)


@click.command("tolink-benchmark")
@click.argument("which", type=click.Choice(["care-path", "vouchers", "gate", "scale"]))
@pass_context
def tolink_benchmark(context, which):
	"""Run a benchmark (scripts/benchmark.sh calls this)."""
	import importlib

	import frappe

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		importlib.import_module(f"tolink.benchmarks.{which.replace('-', '_')}").run()
	finally:
		from tolink.devtools.live_server import stop_all

		stop_all()
		frappe.destroy()


@click.command("tolink-admin-password")
@click.argument("password_file", type=click.Path(exists=True, dir_okay=False))
@pass_context
def tolink_admin_password(context, password_file):
	"""Give Administrator the password kept in PASSWORD_FILE if it still is Frappe's 'admin'.

	setup.sh calls this for production sites, with a random password it keeps outside the
	repository: the password never appears on a command line. Prints "changed" or "unchanged"."""
	import frappe
	from frappe.utils.password import update_password

	from tolink.setup.install import administrator_has_default_password

	with open(password_file) as f:
		password = f.read().strip()
	if len(password) < 12:
		click.secho(f"{password_file} holds no usable password (12 characters at least)", fg="red")
		sys.exit(1)
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if not administrator_has_default_password():
			click.echo("unchanged")
			return
		update_password("Administrator", password, logout_all_sessions=True)
		frappe.db.commit()
		click.echo("changed")
	finally:
		frappe.destroy()


@click.command("tolink-openapi")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the file differs from the code")
@click.option("--output", metavar="PATH", help="Write here instead of docs/openapi.yaml ('-': print)")
@pass_context
def tolink_openapi(context, check=False, output=None):
	"""Write the OpenAPI document of the partner, merchant and public API (docs/openapi.yaml),
	generated from the endpoint declarations in tolink/api/ and the site's doctypes (their meta)."""
	import frappe

	from tolink.api import openapi

	site = get_site(context)
	frappe.init(site=site)
	try:
		frappe.connect()
		text = openapi.render()
		path = output or openapi.output_path()
	finally:
		frappe.destroy()
	if path == "-":
		click.echo(text, nl=False)
		return
	try:
		with open(path) as f:
			current = f.read()
	except FileNotFoundError:
		current = None
	if check:
		if current != text:
			click.secho(f"{path} is out of date: run bench --site {site} tolink-openapi", fg="red")
			sys.exit(1)
		click.echo(f"{path} is up to date")
		return
	if current == text:
		click.echo(f"{path} unchanged")
		return
	with open(path, "w") as f:
		f.write(text)
	click.echo(f"wrote {path}")


commands = [tolink_demo, tolink_health, tolink_benchmark, tolink_admin_password, tolink_openapi]
