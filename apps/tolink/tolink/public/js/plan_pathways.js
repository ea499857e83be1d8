// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

// A welfare plan shows its progress by area (the goals' areas and statuses) and the person's
// work and housing steps (tolink.pathways: employment profile, work measures, housing situation,
// social-housing applications), each a link to its record.
(() => {
	const AREAS = ["Work", "Housing", "Family", "Income", "Health"];
	const DONE = { Achieved: 1, "Partly achieved": 0.5 };
	const esc = (v) => frappe.utils.escape_html(v == null ? "" : String(v));
	const day = (v) => (v ? frappe.datetime.str_to_user(v) : "");
	const link = (doctype, name, text) =>
		`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(text)}</a>`;

	function progress(frm) {
		const rows = AREAS.map((area) => {
			const goals = (frm.doc.goals || []).filter(
				(g) => g.area === area && g.goal_status !== "Dropped"
			);
			if (!goals.length) return "";
			const score = goals.reduce((sum, g) => sum + (DONE[g.goal_status] || 0), 0);
			const pct = Math.round((100 * score) / goals.length);
			return `<div class="pathway-area" data-area="${area}" style="margin-bottom:6px">
				<div class="small">${esc(__(area))}: ${pct}% (${esc(
				__("{0} of {1} goals", [score, goals.length])
			)})</div>
				<div class="progress" style="height:8px"><div class="progress-bar" style="width:${pct}%"></div></div>
			</div>`;
		});
		const body = rows.join("");
		return body || `<div class="text-muted small">${esc(__("No goal has an area yet."))}</div>`;
	}

	function steps(data) {
		const items = [];
		for (const p of data.employment || []) {
			items.push(
				`${link("Employment Profile", p.name, __(p.labour_status))} ${esc(
					__("since {0}", [day(p.status_since)])
				)}`
			);
		}
		for (const m of data.measures || []) {
			let text = `${__(m.measure_type)}, ${m.host_organisation}: ${__(m.status)}`;
			text += ` (${day(m.start_date)} - ${day(m.end_date)})`;
			if (m.contract_type) text += `, ${__(m.contract_type)}`;
			items.push(link("Work Measure", m.name, text));
		}
		for (const h of data.housing || []) {
			let text = `${__(h.tenure)} ${__("since {0}", [day(h.tenure_since)])}`;
			if (h.eviction_status) text += `; ${__("Eviction")}: ${__(h.eviction_status)}`;
			if (h.next_eviction_date) text += ` (${day(h.next_eviction_date)})`;
			items.push(link("Housing Situation", h.name, text));
		}
		for (const a of data.applications || []) {
			let text = `${__("Social Housing Application")}: ${__(a.status)}`;
			if (a.ranking_position) text += `, ${__("Ranking Position")} ${a.ranking_position}`;
			if (a.assigned_on) text += `, ${__("Assigned On")} ${day(a.assigned_on)}`;
			items.push(link("Social Housing Application", a.name, text));
		}
		if (!items.length) return "";
		return `<div class="pathway-steps" style="margin-top:10px"><div class="small font-weight-bold">${esc(
			__("Work and housing")
		)}</div><ul class="small">${items.map((i) => `<li>${i}</li>`).join("")}</ul></div>`;
	}

	function render(frm) {
		const field = frm.fields_dict.area_progress;
		if (!field) return;
		const top = `<div class="pathway-progress">${progress(frm)}</div>`;
		field.$wrapper.html(top);
		if (frm.is_new()) return;
		const plan = frm.doc.name;
		frappe
			.call({ method: "tolink.api.desk.plan_pathways", args: { plan }, type: "GET" })
			.then((r) => {
				if (frm.doc.name === plan) field.$wrapper.html(top + steps(r.message || {}));
			});
	}

	function add_buttons(frm) {
		if (frm.is_new() || frm.doc.status === "Closed") return;
		const plan = { welfare_plan: frm.doc.name };
		const person = { citizen: frm.doc.citizen };
		const create = (doctype, values) =>
			frm.add_custom_button(__(doctype), () => frappe.new_doc(doctype, values), __("Create"));
		create("Employment Profile", person);
		create("Work Measure", { ...person, ...plan });
		if (frm.doc.household) {
			create("Housing Situation", { household: frm.doc.household });
			create("Social Housing Application", { household: frm.doc.household, ...plan });
		}
	}

	frappe.ui.form.on("Welfare Plan", {
		refresh(frm) {
			add_buttons(frm);
			render(frm);
		},
		goals_remove: render,
	});
	frappe.ui.form.on("Plan Goal", {
		area: (frm) => render(frm),
		goal_status: (frm) => render(frm),
	});
})();
