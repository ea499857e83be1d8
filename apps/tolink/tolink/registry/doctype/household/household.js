// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Household", {
	refresh(frm) {
		if (!frm.is_new() && frappe.model.can_create("Voucher Application")) {
			frm.add_custom_button(
				__("Propose shopping voucher"),
				() => propose_voucher(frm),
				__("Create")
			);
		}
	},
});

// The voucher programmes the household may apply for (tolink.api.desk.voucher_programmes_for), each
// with its reasons; an eligible one is proposed to the programme's approver.
function propose_voucher(frm) {
	const esc = (v) => frappe.utils.escape_html(v == null ? "" : String(v));
	frappe
		.call({
			method: "tolink.api.desk.voucher_programmes_for",
			args: { household: frm.doc.name },
			type: "GET",
		})
		.then((r) => {
			const programmes = r.message || [];
			const eligible = programmes.filter((p) => p.eligible);
			const rows = programmes
				.map(
					(p) => `<tr>
						<td><b>${esc(p.programme_name)}</b></td>
						<td>${p.eligible
							? `<span class="indicator-pill green">${__("Eligible")}</span>`
							: `<span class="indicator-pill red">${__("Not eligible")}</span>`}
							<div class="small text-muted">${p.reasons.map(esc).join("<br>")}</div></td>
						<td>${p.amount ? format_currency(p.amount, "EUR") : ""}</td></tr>`
				)
				.join("");
			const dialog = new frappe.ui.Dialog({
				title: __("Propose shopping voucher"),
				fields: [
					{
						fieldname: "programmes_html",
						fieldtype: "HTML",
						options: rows
							? `<table class="table table-sm">${rows}</table>`
							: `<p class="text-muted">${__("No voucher programme is active.")}</p>`,
					},
					{
						fieldname: "programme",
						fieldtype: "Select",
						label: __("Programme"),
						options: eligible.map((p) => ({ value: p.programme, label: p.programme_name })),
						default: eligible.length ? eligible[0].programme : null,
						reqd: 1,
						hidden: !eligible.length,
					},
				],
				primary_action_label: __("Propose"),
				primary_action(values) {
					if (!eligible.length) {
						dialog.hide();
						return;
					}
					frappe
						.call({
							method: "tolink.api.desk.propose_voucher_application",
							args: { household: frm.doc.name, programme: values.programme },
						})
						.then((res) => {
							dialog.hide();
							frappe.set_route("Form", "Voucher Application", res.message.name);
						});
				},
			});
			dialog.show();
		});
}
