// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Voucher Application", {
	refresh(frm) {
		show_reasons(frm);
		if (frm.doc.is_overdue && frm.doc.status === "Proposed") {
			frm.dashboard.set_headline_alert(
				`<span class="text-danger">${__("Overdue: waiting for approval since {0}", [
					frappe.datetime.str_to_user(frm.doc.creation),
				])}</span>`
			);
		}
	},

	before_workflow_action(frm) {
		if (frm.selected_workflow_action === "Refuse") {
			return ask_refusal_reason(frm);
		}
	},
});

// The eligibility reasons recorded when the voucher was proposed (one per line), as a list.
function show_reasons(frm) {
	const field = frm.get_field("reasons_html");
	if (!field) return;
	const esc = (v) => frappe.utils.escape_html(v == null ? "" : String(v));
	const reasons = (frm.doc.reasons || "").split("\n").filter((r) => r.trim());
	if (!reasons.length) {
		field.$wrapper.html(
			`<p class="text-muted">${__("The reasons appear once the application is saved.")}</p>`
		);
		return;
	}
	const amount = frm.doc.proposed_amount
		? `<p>${__("Proposed Amount (€)")}: <b>${format_currency(frm.doc.proposed_amount, "EUR")}</b></p>`
		: "";
	field.$wrapper.html(`
		<div>
			<span class="indicator-pill green">${__("Eligible")}</span>
			<ul class="mt-2">${reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>
			${amount}
		</div>`);
}

// A refusal needs its reason (VoucherApplication.check_refusal_reason): asked for when Refuse is
// clicked and saved first, since Frappe's apply_workflow reloads the application from the database.
function ask_refusal_reason(frm) {
	frappe.dom.unfreeze();
	return new Promise((resolve, reject) => {
		let answered = false;
		const dialog = new frappe.ui.Dialog({
			title: __("Refuse"),
			fields: [
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Refusal Reason"),
					default: frm.doc.refusal_reason,
					reqd: 1,
				},
			],
			primary_action_label: __("Refuse"),
			async primary_action(values) {
				answered = true;
				dialog.hide();
				await frm.set_value("refusal_reason", values.reason);
				if (frm.is_dirty()) {
					await frm.save();
				}
				if (frm.is_dirty()) {
					frm.selected_workflow_action = null;
					reject(new Error("Refuse: reason not saved"));
					return;
				}
				frappe.dom.freeze();
				resolve();
			},
		});
		dialog.onhide = () => {
			if (!answered) {
				frm.selected_workflow_action = null;
				reject(new Error("Refuse: cancelled"));
			}
		};
		dialog.show();
	});
}
