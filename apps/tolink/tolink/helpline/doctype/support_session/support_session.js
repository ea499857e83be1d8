// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Session", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.caller_code && !frm.doc.citizen) {
			frm.add_custom_button(__("Link to a citizen"), () => {
				frappe.prompt(
					{ fieldname: "citizen", label: __("Citizen"), fieldtype: "Link", options: "Citizen", reqd: 1 },
					(values) => {
						frappe
							.xcall("tolink.api.desk.link_sessions_to_citizen", {
								caller_code: frm.doc.caller_code,
								citizen: values.citizen,
							})
							.then(() => frm.reload_doc());
					},
					__("Link every session of caller {0} to a citizen", [frm.doc.caller_code]),
					__("Link the sessions")
				);
			});
		}
	},
});
