// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Helpline Call", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.citizen && !frm.doc.intake) {
			frm.add_custom_button(__("Intake"), () => {
				frappe.model.open_mapped_doc({
					method: "tolink.api.desk.make_intake",
					frm: frm,
				});
			}, __("Create"));
		}
	},
});
