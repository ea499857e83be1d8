// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consent", {
	purpose(frm) {
		// a partner is recorded only for sharing
		if (frm.doc.purpose !== "Sharing with partner" && frm.doc.partner) {
			frm.set_value("partner", null);
		}
	},
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Active" || !frm.perm[0]?.write) return;
		frm.add_custom_button(__("Withdraw"), () => {
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Withdrawal Reason"), reqd: 1 },
				({ reason }) =>
					frm.call({ method: "withdraw", doc: frm.doc, args: { reason }, freeze: true })
						.then(() => frm.reload_doc()),
				__("Withdraw consent"),
				__("Withdraw")
			);
		});
	},
});
