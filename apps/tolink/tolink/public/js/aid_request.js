// Requests that travel (tolink.care_path.requests): an intake or a helpline call that asks for
// food is sent to a food-parcel hub in one click, with the reasons for the hub shown first.
// Loaded on the Intake and Helpline Call forms (hooks.py doctype_js).

frappe.provide("tolink.aid_request");

tolink.aid_request = {
	esc: (v) => frappe.utils.escape_html(v == null ? "" : String(v)),

	setup(frm) {
		if (frm.is_new() || !frm.doc.citizen) return;
		if (!frappe.model.can_create("Referral")) return;
		frappe
			.call({
				method: "tolink.api.desk.aid_request_options",
				args: { doctype: frm.doctype, name: frm.doc.name },
				type: "GET",
			})
			.then((r) => {
				const o = r.message || {};
				if (o.parcel) {
					frm.add_custom_button(__("Food parcels from a hub"), () => this.show(frm, o.parcel), __("Create"));
				}
				if (o.vouchers) {
					frm.add_custom_button(
						__("Shopping voucher application"),
						() => this.show_vouchers(frm, o.household, o.vouchers),
						__("Create")
					);
				}
			});
	},

	option_html(o) {
		const esc = this.esc;
		const reasons = (o.reasons || []).map((r) => `<li>${esc(r)}</li>`).join("");
		const consent = o.consent
			? ""
			: `<p class="text-danger">${__("No consent to share with {0}: record it before sending.", [esc(o.provider)])}</p>`;
		return `<div class="mb-3"><b>${esc(o.service_name)}</b> · ${esc(o.hub)}<ul>${reasons}</ul>${consent}</div>`;
	},

	show(frm, p) {
		const esc = this.esc;
		const others = (p.others || [])
			.map((o) => `<li>${esc(o.service_name)} · ${esc(o.hub)}: ${esc((o.reasons || []).join("; "))}</li>`)
			.join("");
		const best = p.service
			? `<h6>${__("Proposed hub")}</h6>${this.option_html(p)}`
			: `<p class="text-muted">${esc((p.reasons || []).join("; "))}</p>`;
		const d = new frappe.ui.Dialog({
			title: __("Food parcels from a hub"),
			fields: [
				{
					fieldtype: "HTML",
					fieldname: "proposal",
					options: `${best}${others ? `<h6>${__("Also considered")}</h6><ul>${others}</ul>` : ""}`,
				},
			],
			primary_action_label: __("Send the referral"),
			primary_action: () => {
				frappe
					.call({
						method: "tolink.api.desk.send_to_hub",
						args: { doctype: frm.doctype, name: frm.doc.name, service: p.service },
						freeze: true,
					})
					.then((r) => {
						d.hide();
						const m = r.message;
						frappe.show_alert({
							message: __("Referral {0} sent to {1}", [esc(m.referral), esc(m.hub)]),
							indicator: "green",
						});
						frm.reload_doc();
					});
			},
		});
		if (!p.service || !p.consent) d.get_primary_btn().prop("disabled", true);
		d.show();
	},

	show_vouchers(frm, household, programmes) {
		const esc = this.esc;
		const eligible = programmes.filter((p) => p.eligible);
		const rows = programmes
			.map(
				(p) =>
					`<li><b>${esc(p.programme_name || p.programme)}</b>${
						p.eligible ? ` · ${format_currency(p.amount, "EUR")}` : ` · <span class="text-muted">${__("not eligible")}</span>`
					}<br><span class="small">${esc((p.reasons || []).join("; "))}</span></li>`
			)
			.join("");
		const d = new frappe.ui.Dialog({
			title: __("Shopping voucher application"),
			fields: [
				{ fieldtype: "HTML", fieldname: "programmes", options: `<ul>${rows}</ul>` },
				{
					fieldtype: "Select",
					fieldname: "programme",
					label: __("Voucher Programme"),
					options: eligible.map((p) => ({ value: p.programme, label: p.programme_name || p.programme })),
					default: eligible.length ? eligible[0].programme : null,
					reqd: 1,
					hidden: eligible.length ? 0 : 1,
				},
			],
			primary_action_label: __("Propose to the approver"),
			primary_action: (values) => {
				frappe
					.call({
						method: "tolink.api.desk.propose_voucher_application",
						args: {
							household,
							programme: values.programme,
							source_doctype: frm.doctype,
							source_name: frm.doc.name,
						},
						freeze: true,
					})
					.then((r) => {
						d.hide();
						frappe.show_alert({
							message: __("Voucher application {0} waits for approval", [esc(r.message.name)]),
							indicator: "green",
						});
						frm.reload_doc();
					});
			},
		});
		if (!eligible.length) d.get_primary_btn().prop("disabled", true);
		d.show();
	},
};

frappe.ui.form.on("Intake", { refresh: (frm) => tolink.aid_request.setup(frm) });
frappe.ui.form.on("Helpline Call", { refresh: (frm) => tolink.aid_request.setup(frm) });
