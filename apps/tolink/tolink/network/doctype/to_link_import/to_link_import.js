// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

// A Network Administrator's data import: template, dry run, import (tolink.network.data_import).
const TOLINK_IMPORT_INDICATORS = {
	Draft: "gray",
	Queued: "orange",
	Running: "orange",
	"Ready to Import": "blue",
	Refused: "red",
	Imported: "green",
	Failed: "red",
};

frappe.ui.form.on("To Link Import", {
	setup(frm) {
		frm.set_query("hub", () => ({ filters: { is_active: 1 } }));
	},
	refresh(frm) {
		frm.page.set_indicator(__(frm.doc.status), TOLINK_IMPORT_INDICATORS[frm.doc.status] || "gray");
		tolink_import_render_report(frm);
		if (frm.doc.import_type) {
			frm.add_custom_button(__("Download template"), () => {
				window.open(
					"/api/method/tolink.api.desk.import_template?import_type=" +
						encodeURIComponent(frm.doc.import_type)
				);
			});
		}
		const busy = ["Queued", "Running"].includes(frm.doc.status);
		if (frm.is_new() || frm.is_dirty() || busy || frm.doc.status === "Imported" || !frm.doc.import_file) {
			return;
		}
		frm.add_custom_button(__("Dry run"), () => tolink_import_call(frm, "dry_run_import"));
		frm.add_custom_button(__("Import"), () => {
			frappe.confirm(
				__("Write every row of the file? If any row is refused, nothing is written."),
				() => tolink_import_call(frm, "run_import")
			);
		}).addClass("btn-primary");
	},
});

function tolink_import_call(frm, method) {
	frappe
		.call({
			method: `tolink.api.desk.${method}`,
			args: { to_link_import: frm.doc.name },
			freeze: true,
			freeze_message: __("Checking the rows..."),
		})
		.then((r) => {
			const out = r.message || {};
			const indicator = out.status === "Refused" || out.status === "Failed" ? "red" : "green";
			frappe.show_alert({ message: out.message || __(out.status), indicator }, 10);
			frm.reload_doc();
		});
}

function tolink_import_render_report(frm) {
	const field = frm.get_field("report");
	if (!field) return;
	let errors = [];
	try {
		errors = JSON.parse(frm.doc.error_log || "[]");
	} catch (e) {
		errors = [];
	}
	if (!errors.length) {
		field.$wrapper.html("");
		return;
	}
	const rows = errors
		.map(
			(e) => `<tr>
				<td>${e.row ? frappe.utils.escape_html(String(e.row)) : "&mdash;"}</td>
				<td>${frappe.utils.escape_html(e.column || "")}</td>
				<td>${frappe.utils.escape_html(e.reason || "")}</td>
			</tr>`
		)
		.join("");
	field.$wrapper.html(`
		<table class="table table-bordered table-sm">
			<thead><tr>
				<th style="width: 5em">${__("Row")}</th>
				<th style="width: 14em">${__("Column")}</th>
				<th>${__("Reason")}</th>
			</tr></thead>
			<tbody>${rows}</tbody>
		</table>`);
}
