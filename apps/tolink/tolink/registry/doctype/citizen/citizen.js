// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Citizen", {
	codice_fiscale(frm) {
		const cf = (frm.doc.codice_fiscale || "").replace(/\s+/g, "").toUpperCase();
		if (cf !== frm.doc.codice_fiscale) frm.set_value("codice_fiscale", cf);
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.household) {
			frm.add_custom_button(__("Household"), () => frappe.set_route("Form", "Household", frm.doc.household), __("View"));
		}
		if (frappe.user.has_role("Network Administrator")) {
			frm.add_custom_button(__("Who accessed this person's data"), () => {
				frappe.set_route("query-report", "Personal Data Access", { citizen: frm.doc.name });
			}, __("Privacy"));
			frm.add_custom_button(__("Export all data (access request)"), () => {
				frappe.call({
					method: "tolink.api.desk.export_citizen",
					args: { citizen: frm.doc.name },
					freeze: true,
				}).then((r) => {
					// the content comes in the response only (never stored as a File, which every
					// colleague who reads the citizen could download): saved here as a file
					const blob = new Blob([r.message.content], { type: "application/json" });
					const link = document.createElement("a");
					link.href = URL.createObjectURL(blob);
					link.download = r.message.file_name;
					document.body.appendChild(link);
					link.click();
					link.remove();
					setTimeout(() => URL.revokeObjectURL(link.href), 1000);
				});
			}, __("Privacy"));
			if (frm.doc.status !== "Anonymised") {
				frm.add_custom_button(__("Erase identity (anonymise)"), () => {
					frappe.confirm(
						__("Remove this person's identity from every record, for good? Counts are kept."),
						() => frappe.call({
							method: "tolink.api.desk.anonymise_citizen",
							args: { citizen: frm.doc.name },
							freeze: true,
						}).then(() => frm.reload_doc())
					);
				}, __("Privacy"));
			}
		}
	},
});
