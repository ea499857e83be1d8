// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Welfare Plan", {
	setup(frm) {
		// an action points at a referral of this person, or at aid: a parcel or a voucher
		frm.set_query("referral", "actions", () => ({ filters: { citizen: frm.doc.citizen } }));
		frm.set_query("reference_doctype", "actions", () => ({
			filters: { name: ["in", ["Parcel Delivery", "Voucher"]] },
		}));
	},
	refresh(frm) {
		if (!frm.is_new() && frm.doc.status !== "Closed") {
			frm.add_custom_button(
				__("Referral"),
				() => frappe.new_doc("Referral", { citizen: frm.doc.citizen, welfare_plan: frm.doc.name }),
				__("Create")
			);
		}
	},
});
