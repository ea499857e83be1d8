// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Referral", {
	refresh(frm) {
		if (frm.doc.is_overdue && frm.doc.status === "Sent") {
			frm.dashboard.set_headline_alert(
				`<span class="text-danger">${__("Overdue: no answer since {0}", [frappe.datetime.str_to_user(frm.doc.response_due)])}</span>`
			);
		}
	},

	before_workflow_action(frm) {
		const input = workflow_action_inputs()[frm.selected_workflow_action];
		if (input) {
			return ask_before_workflow_action(frm, input);
		}
	},
});

// What the server requires for these actions (Referral.check_reasons), asked for when the action is
// clicked. The action names are those of tolink/care_path/workflows.py.
function workflow_action_inputs() {
	return {
		Decline: { fieldname: "decline_reason", label: __("Decline Reason") },
		"Mark Not Completed": {
			fieldname: "not_completed_reason",
			label: __("Reason Not Completed"),
		},
		Complete: { fieldname: "outcome", label: __("Outcome") },
	};
}

// Resolves once the answer is saved on the referral, rejects if the user cancels or the save fails
// (then the action is not applied). Frappe's apply_workflow reloads the referral from the database,
// so the value is saved first: set on the form only, it would not reach the server.
function ask_before_workflow_action(frm, input) {
	const action = frm.selected_workflow_action;
	const df = frappe.meta.get_docfield(frm.doctype, input.fieldname, frm.docname);
	// workflow.js froze the page before this event: the dialog would sit under the freeze
	frappe.dom.unfreeze();
	return new Promise((resolve, reject) => {
		let answered = false;
		const dialog = new frappe.ui.Dialog({
			title: __(action),
			fields: [
				{
					fieldname: "value",
					fieldtype: df.fieldtype,
					label: input.label,
					options: df.options,
					default: frm.doc[input.fieldname],
					reqd: 1,
				},
			],
			primary_action_label: __(action),
			async primary_action(values) {
				answered = true;
				dialog.hide();
				await frm.set_value(input.fieldname, values.value);
				if (frm.is_dirty()) {
					await frm.save();
				}
				if (frm.is_dirty()) {
					// not saved: the server's message is on screen
					frm.selected_workflow_action = null;
					reject(new Error(`${action}: ${input.fieldname} not saved`));
					return;
				}
				// frozen again while the action is applied, as workflow.js had it (it unfreezes then)
				frappe.dom.freeze();
				resolve();
			},
		});
		dialog.onhide = () => {
			if (!answered) {
				frm.selected_workflow_action = null;
				reject(new Error(`${action}: cancelled`));
			}
		};
		dialog.show();
	});
}
