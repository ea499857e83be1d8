// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Referral", {
	refresh(frm) {
		if (frm.doc.is_overdue && frm.doc.status === "Sent") {
			frm.dashboard.set_headline_alert(
				`<span class="text-danger">${__("Overdue: no answer since {0}", [frappe.datetime.str_to_user(frm.doc.response_due)])}</span>`
			);
		}
	},
});
