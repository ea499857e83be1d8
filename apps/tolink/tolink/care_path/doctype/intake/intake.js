// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Intake", {
	refresh(frm) {
		tolink_intake.render_overview(frm);
		if (!frm.is_new()) {
			tolink_intake.render_suggestions(frm);
			frm.add_custom_button(__("Welfare Plan"), () => {
				frappe.new_doc("Welfare Plan", {
					citizen: frm.doc.citizen,
					intake: frm.doc.name,
				});
			}, __("Create"));
		}
	},
	citizen(frm) {
		// at once, before the intake is saved: the operator asks nothing the network already knows
		tolink_intake.load_overview(frm);
	},
});

const tolink_intake = {
	esc: (v) => frappe.utils.escape_html(v == null ? "" : String(v)),

	render_overview(frm) {
		const o = frm.doc.__onload && frm.doc.__onload.overview;
		if (o && (!frm.doc.citizen || o.citizen === frm.doc.citizen)) {
			this.show_overview(frm, o);
		} else {
			this.load_overview(frm);
		}
	},

	load_overview(frm) {
		const field = frm.get_field("overview_html");
		if (!frm.doc.citizen) {
			field.$wrapper.html(
				`<p class="text-muted">${__("Choose the person to see what the network already knows.")}</p>`
			);
			return;
		}
		const citizen = frm.doc.citizen;
		frappe
			.call({
				method: "tolink.api.desk.citizen_overview",
				args: { citizen },
				type: "GET",
			})
			.then((r) => {
				if (frm.doc.citizen === citizen) this.show_overview(frm, r.message);
			});
	},

	show_overview(frm, o) {
		const field = frm.get_field("overview_html");
		const esc = this.esc;
		const list = (rows, fmt) =>
			rows.length
				? `<ul>${rows.map((r) => `<li>${fmt(r)}</li>`).join("")}</ul>`
				: `<p class="text-muted">${__("None")}</p>`;
		field.$wrapper.html(`
			<p class="text-muted small">${esc(o.message)}</p>
			<div class="row">
				<div class="col-sm-4"><h6>${__("Open welfare plans")}</h6>
					${list(o.plans, (p) => `<a href="/app/welfare-plan/${esc(p.name)}">${esc(p.name)}</a> · ${esc(__(p.status))}`)}
				</div>
				<div class="col-sm-4"><h6>${__("Referrals in progress")}</h6>
					${list(o.referrals, (r) => `<a href="/app/referral/${esc(r.name)}">${esc(r.service_name)}</a> · ${esc(__(r.status))}${r.is_overdue ? ` · <span class="text-danger">${__("Overdue")}</span>` : ""}`)}
				</div>
				<div class="col-sm-4"><h6>${__("Parcels and vouchers (last 3 months)")}</h6>
					${list(o.aid, (a) => `${esc(__(a.doctype))} ${esc(a.name)} · ${esc(__(a.status || ""))}`)}
				</div>
			</div>`);
	},

	render_suggestions(frm) {
		const field = frm.get_field("suggestions_html");
		const esc = this.esc;
		frappe
			.call({
				method: "tolink.api.desk.suggest_services",
				args: { intake: frm.doc.name },
				type: "GET",
			})
			.then((r) => {
				const needs = r.message || [];
				const html = needs
					.map((need) => {
						const rows = need.services
							.map(
								(s) => `<tr>
								<td><a href="/app/service/${esc(s.service)}">${esc(s.service_name)}</a><br>
									<span class="text-muted small">${esc(s.provider)}</span></td>
								<td>${s.eligible
									? `<span class="indicator-pill green">${__("Eligible")}</span>`
									: `<span class="indicator-pill red">${__("Not eligible")}</span>`}
									<div class="small text-muted">${s.reasons.map(esc).join("<br>")}</div></td>
								<td class="small">${s.open_today ? __("Open today") : ""}</td>
								<td><button class="btn btn-xs btn-default tolink-refer" data-service="${esc(s.service)}"
									data-need="${esc(need.need_category)}" data-eligible="${s.eligible ? 1 : 0}">
									${__("Refer")}</button></td></tr>`
							)
							.join("");
						return `<h6>${esc(__(need.need_category))}</h6>
							${rows ? `<table class="table table-sm">${rows}</table>` : `<p class="text-muted">${__("No service found")}</p>`}`;
					})
					.join("");
				field.$wrapper.html(html);
				field.$wrapper.find(".tolink-refer").on("click", (e) => {
					const b = $(e.currentTarget);
					const values = {
						citizen: frm.doc.citizen,
						service: b.data("service"),
						need_category: b.data("need"),
						intake: frm.doc.name,
					};
					if (!b.data("eligible")) {
						frappe.new_doc("Referral", values);
						return;
					}
					frappe.db
						.insert({ doctype: "Referral", ...values })
						.then((doc) => frappe.set_route("Form", "Referral", doc.name));
				});
			});
	},
};
