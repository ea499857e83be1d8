"""bench commands of the To Link app: `bench --site SITE tolink-demo`, `bench --site SITE tolink-health`."""

import json
import sys

import click
from frappe.commands import get_site, pass_context


@click.command("tolink-demo")
@click.option("--logins", is_flag=True, help="Only print the demo logins")
@pass_context
def tolink_demo(context, logins=False):
	"""Load the demo network (demo sites only) or print its logins."""
	import frappe

	from tolink.setup import demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if logins:
			demo.print_logins()
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
	"""Check database, cache Redis, queue Redis, scheduler and workers; exit 1 when any is down."""
	import frappe

	from tolink.api.health import collect

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		report = collect(include_processes=not no_processes)
	finally:
		frappe.destroy()
	for name, check in report["checks"].items():
		colour = "green" if check["status"] == "ok" else "red"
		click.secho(f"  {name:<12} {check['status']:<8} {check.get('detail', '')}", fg=colour)
	if report["status"] != "ok":
		sys.exit(1)


@click.command("tolink-benchmark")
@click.argument("which", type=click.Choice(["care-path", "vouchers"]))
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
		from tolink.tests.live_server import stop_all

		stop_all()
		frappe.destroy()


commands = [tolink_demo, tolink_health, tolink_benchmark]
