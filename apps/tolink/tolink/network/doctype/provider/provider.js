// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

// Partner onboarding (tolink.network.onboarding): a Network Administrator invites the organisation's
// users and manages its integration users' API keys from here; every act is logged.
const ONBOARDING = "tolink.api.desk.";
// an agreement ending within these days is shown as expiring (Provider.AGREEMENT_EXPIRING_DAYS)
const AGREEMENT_EXPIRING_DAYS = 60;
const THIRD_SECTOR_TYPES = ["Association", "Social Cooperative", "Parish", "Food Bank"];

frappe.ui.form.on("Provider", {
	setup(frm) {
		// the coordinator is one of the organisation's own users (checked on save too)
		frm.set_query("coordinator", () => ({ filters: { tolink_provider: frm.doc.name, enabled: 1 } }));
	},

	provider_type(frm) {
		// only a Third Sector body has a RUNTS number (Provider.THIRD_SECTOR_TYPES)
		if (!THIRD_SECTOR_TYPES.includes(frm.doc.provider_type) && frm.doc.runts_number) {
			frm.set_value("runts_number", "");
		}
	},

	refresh(frm) {
		show_agreement_state(frm);
		if (frm.is_new() || !frappe.user.has_role("Network Administrator")) return;
		const group = __("Partner onboarding");
		frm.add_custom_button(__("Invite user"), () => invite_user(frm), group);
		frm.add_custom_button(__("Users and API keys"), () => show_accounts(frm), group);
	},
});

function show_agreement_state(frm) {
	const end = frm.doc.agreement_end;
	if (!end || frm.is_new()) return;
	const days = frappe.datetime.get_day_diff(end, frappe.datetime.get_today());
	const date = frappe.datetime.str_to_user(end);
	if (days < 0) {
		frm.dashboard.set_headline_alert(__("The agreement expired on {0}.", [date]), "red");
		frm.page.set_indicator(__("Agreement expired"), "red");
	} else if (days <= AGREEMENT_EXPIRING_DAYS) {
		frm.dashboard.set_headline_alert(__("The agreement expires on {0}.", [date]), "orange");
		frm.page.set_indicator(__("Agreement expiring"), "orange");
	}
}

function call(method, args) {
	return frappe.call({ method: ONBOARDING + method, args, freeze: true }).then((r) => r.message);
}

function load_accounts(frm) {
	return frappe
		.call({ method: ONBOARDING + "partner_accounts", args: { provider: frm.doc.name }, type: "GET" })
		.then((r) => r.message);
}

function role_options(roles, selected) {
	return roles.map((role) => ({
		label: __(role),
		value: role,
		checked: (selected || []).includes(role) ? 1 : 0,
	}));
}

function invite_user(frm) {
	load_accounts(frm).then((data) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Invite a user of {0}", [frm.doc.name]),
			fields: [
				{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("Email"), reqd: 1 },
				{ fieldname: "first_name", fieldtype: "Data", label: __("First Name"), reqd: 1 },
				{ fieldname: "last_name", fieldtype: "Data", label: __("Last Name") },
				{
					fieldname: "integration",
					fieldtype: "Check",
					label: __("Integration user (API only)"),
					description: __(
						"The organisation's system: it gets an API key and never logs in. A person gets the welcome email to set a password."
					),
					onchange: () => refresh_roles(),
				},
				{
					fieldname: "coordinator",
					fieldtype: "Check",
					label: __("Coordinator of the organisation"),
					depends_on: "eval:!doc.integration",
				},
				{ fieldname: "roles", fieldtype: "MultiCheck", label: __("Roles"), columns: 2, reqd: 1, options: [] },
			],
			primary_action_label: __("Invite"),
			primary_action(values) {
				const roles = dialog.fields_dict.roles.get_checked_options();
				if (!roles.length) {
					frappe.msgprint(__("Choose at least one role."));
					return;
				}
				call("invite_partner_user", {
					provider: frm.doc.name,
					email: values.email,
					first_name: values.first_name,
					last_name: values.last_name,
					roles: JSON.stringify(roles),
					integration: values.integration ? 1 : 0,
					coordinator: values.coordinator ? 1 : 0,
				}).then((out) => {
					dialog.hide();
					frappe.show_alert({
						message: out.welcome_email
							? __("{0} invited: the welcome email is on its way.", [out.user])
							: __("{0} created: issue its API key from Users and API keys.", [out.user]),
						indicator: "green",
					});
					frm.reload_doc();
				});
			},
		});
		const refresh_roles = () => {
			const roles = dialog.get_value("integration") ? data.integration_roles : data.partner_roles;
			const field = dialog.fields_dict.roles;
			field.df.options = role_options(roles, field.get_checked_options());
			field.refresh();
		};
		refresh_roles();
		dialog.show();
	});
}

function show_accounts(frm) {
	load_accounts(frm).then((data) => {
		const dialog = new frappe.ui.Dialog({
			title: __("Users and API keys of {0}", [frm.doc.name]),
			size: "extra-large",
			fields: [
				{ fieldname: "users", fieldtype: "HTML" },
				{ fieldname: "log_section", fieldtype: "Section Break", label: __("Partner Account Log") },
				{ fieldname: "log", fieldtype: "HTML" },
			],
		});
		const esc = frappe.utils.escape_html;
		const rows = data.users.map((u, i) => {
			const key = u.key;
			let key_text = "";
			if (u.integration) {
				if (key && key.status === "Active") {
					key_text = `${esc(key.api_key || "")}<br><small>${esc(
						(key.allowed_ip_ranges || "").split("\n").join(", ") || __("any address")
					)}; ${
						key.expires_on
							? __("expires on {0}", [frappe.datetime.str_to_user(key.expires_on)])
							: __("no expiry")
					}</small>`;
				} else {
					key_text = key ? __("Revoked") : __("No key");
				}
			}
			const actions = [];
			if (u.managed) actions.push(`<button class="btn btn-xs btn-default" data-action="roles" data-i="${i}">${__("Roles")}</button>`);
			if (u.managed && u.integration && u.enabled) {
				const active = key && key.status === "Active";
				actions.push(
					`<button class="btn btn-xs btn-primary" data-action="issue" data-i="${i}">${
						active ? __("Rotate key") : __("Create key")
					}</button>`
				);
				if (active) {
					actions.push(`<button class="btn btn-xs btn-default" data-action="limits" data-i="${i}">${__("Limits")}</button>`);
					actions.push(`<button class="btn btn-xs btn-danger" data-action="revoke" data-i="${i}">${__("Revoke")}</button>`);
				}
			}
			return `<tr>
				<td>${esc(u.full_name || "")}<br><small>${esc(u.user)}</small>${u.enabled ? "" : ` <span class="text-muted">(${__("disabled")})</span>`}</td>
				<td>${u.roles.map((r) => esc(__(r))).join(", ")}</td>
				<td>${u.integration ? __("Integration (API only)") : __("Person")}</td>
				<td>${key_text}</td>
				<td>${actions.join(" ")}</td>
			</tr>`;
		});
		dialog.fields_dict.users.$wrapper.html(
			data.users.length
				? `<table class="table table-bordered table-sm"><thead><tr>
					<th>${__("User")}</th><th>${__("Roles")}</th><th>${__("Kind")}</th><th>${__("API Key")}</th><th></th>
				</tr></thead><tbody>${rows.join("")}</tbody></table>`
				: `<p class="text-muted">${__("No users yet: invite one.")}</p>`
		);
		dialog.fields_dict.log.$wrapper.html(
			data.log.length
				? `<table class="table table-sm"><tbody>${data.log
						.map(
							(l) => `<tr><td>${esc(frappe.datetime.str_to_user(l.logged_on))}</td><td>${esc(
								__(l.action)
							)}</td><td>${esc(l.account || "")}</td><td>${esc(l.done_by || "")}</td><td><small>${esc(
								l.details || ""
							)}</small></td></tr>`
						)
						.join("")}</tbody></table>`
				: `<p class="text-muted">${__("Nothing logged yet.")}</p>`
		);
		dialog.$wrapper.on("click", "button[data-action]", (e) => {
			const u = data.users[$(e.currentTarget).attr("data-i")];
			const action = $(e.currentTarget).attr("data-action");
			const done = () => {
				dialog.hide();
				show_accounts(frm);
			};
			if (action === "roles") change_roles(u, data, done);
			if (action === "issue") issue_key(u, done);
			if (action === "limits") key_limits(u, done);
			if (action === "revoke") {
				frappe.confirm(__("Revoke the API key of {0}? It stops working at once.", [u.user]), () =>
					call("revoke_integration_key", { account: u.user }).then(done)
				);
			}
		});
		dialog.show();
	});
}

function change_roles(u, data, done) {
	const roles = u.integration ? data.integration_roles : data.partner_roles;
	const dialog = new frappe.ui.Dialog({
		title: __("Roles of {0}", [u.user]),
		fields: [{ fieldname: "roles", fieldtype: "MultiCheck", columns: 2, options: role_options(roles, u.roles) }],
		primary_action_label: __("Save"),
		primary_action() {
			const chosen = dialog.fields_dict.roles.get_checked_options();
			call("set_partner_user_roles", { account: u.user, roles: JSON.stringify(chosen) }).then(() => {
				dialog.hide();
				done();
			});
		},
	});
	dialog.show();
}

function limit_fields(key) {
	return [
		{
			fieldname: "allowed_ip_ranges",
			fieldtype: "Small Text",
			label: __("Allowed IP Ranges"),
			description: __("Addresses or networks (CIDR, IPv4 or IPv6), one per line; empty: any address."),
			default: (key && key.allowed_ip_ranges) || "",
		},
		{
			fieldname: "expires_on",
			fieldtype: "Date",
			label: __("Expires On"),
			description: __("The key works until the end of this day; empty: no expiry."),
			default: (key && key.expires_on) || "",
		},
	];
}

function issue_key(u, done) {
	const active = u.key && u.key.status === "Active";
	const dialog = new frappe.ui.Dialog({
		title: active ? __("Rotate the API key of {0}", [u.user]) : __("Create an API key for {0}", [u.user]),
		fields: [
			...(active
				? [
						{
							fieldname: "warning",
							fieldtype: "HTML",
							options: `<p class="text-warning">${__(
								"The current key stops working at once: give the new one to the organisation's system."
							)}</p>`,
						},
				  ]
				: []),
			...limit_fields(u.key),
		],
		primary_action_label: active ? __("Rotate key") : __("Create key"),
		primary_action(values) {
			call("issue_integration_key", {
				account: u.user,
				allowed_ip_ranges: values.allowed_ip_ranges || "",
				expires_on: values.expires_on || "",
			}).then((out) => {
				dialog.hide();
				show_secret(out, done);
			});
		},
	});
	dialog.show();
}

function show_secret(out, done) {
	const esc = frappe.utils.escape_html;
	const dialog = new frappe.ui.Dialog({
		title: __("API key of {0}", [out.user]),
		fields: [
			{
				fieldname: "secret",
				fieldtype: "HTML",
				options: `<p>${__("Copy the secret now: it is shown only this once.")}</p>
					<p><b>${__("API Key")}</b>: <code>${esc(out.api_key)}</code></p>
					<p><b>${__("API Secret")}</b>: <code>${esc(out.api_secret)}</code></p>
					<p>${__("The organisation's system sends the header")}
					<code>Authorization: token ${esc(out.api_key)}:${esc(out.api_secret)}</code></p>`,
			},
		],
		primary_action_label: __("Done"),
		primary_action() {
			dialog.hide();
		},
	});
	dialog.onhide = done;
	dialog.show();
}

function key_limits(u, done) {
	const dialog = new frappe.ui.Dialog({
		title: __("Limits of the API key of {0}", [u.user]),
		fields: limit_fields(u.key),
		primary_action_label: __("Save"),
		primary_action(values) {
			call("set_integration_key_limits", {
				account: u.user,
				allowed_ip_ranges: values.allowed_ip_ranges || "",
				expires_on: values.expires_on || "",
			}).then(() => {
				dialog.hide();
				done();
			});
		},
	});
	dialog.show();
}
