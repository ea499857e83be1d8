// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Partner Webhook", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Rotate secret"), () => {
			frappe.confirm(
				__("A new secret replaces the current one at once: your system must use the new one. Continue?"),
				() =>
					frappe
						.call({
							method: "tolink.api.partner.rotate_webhook_secret",
							args: { webhook: frm.doc.name },
						})
						.then((r) => {
							frappe.msgprint({
								title: __("Webhook secret"),
								message: __("The webhook's secret, shown only now: {0}", [
									`<code>${frappe.utils.escape_html(r.message.secret)}</code>`,
								]),
							});
							frm.reload_doc();
						})
			);
		});
	},
});
