// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Check-in Schedule", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.active) {
			frm.add_custom_button(__("Record the check-in call"), () => {
				frappe.new_doc("Helpline Call", {
					check_in_schedule: frm.doc.name,
					direction: "Outbound",
					caller_type: "Known citizen",
					citizen: frm.doc.citizen,
					reason: "Loneliness",
					triage: "Low",
				});
			});
		}
	},
});
