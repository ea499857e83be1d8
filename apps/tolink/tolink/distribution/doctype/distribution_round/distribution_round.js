// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Distribution Round", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status === "Closed" || !frm.has_perm("write")) return;
		frm.add_custom_button(__("Add the households on the hub's list"), () => {
			frappe
				.call({
					method: "tolink.api.desk.add_listed_households",
					args: { distribution_round: frm.doc.name },
					freeze: true,
				})
				.then((r) => {
					frappe.show_alert({
						message: __("{0} households added", [r.message.added]),
						indicator: r.message.added ? "green" : "blue",
					});
					frm.reload_doc();
				});
		});
	},
});
