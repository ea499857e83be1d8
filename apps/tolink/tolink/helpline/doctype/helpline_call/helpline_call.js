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
		if (!frm.is_new() && frm.doc.triage === "Emergency" && !frm.doc.taken_by) {
			frm.add_custom_button(__("Take in charge"), () => {
				frappe
					.xcall("tolink.api.desk.take_urgent_call", { call: frm.doc.name })
					.then(() => frm.reload_doc());
			}).addClass("btn-primary");
		}
		if (!frm.is_new() && frm.doc.callback_due && !frm.doc.callback_done_on) {
			frm.add_custom_button(__("Record the callback"), () => {
				frappe.new_doc("Helpline Call", {
					follow_up_of: frm.doc.name,
					direction: "Outbound",
					caller_type: frm.doc.caller_type,
					citizen: frm.doc.citizen,
					reason: frm.doc.reason,
					triage: frm.doc.triage,
				});
			});
		}
	},
});
