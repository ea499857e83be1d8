// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.query_reports["Hub Stock"] = {
	filters: [
		{ fieldname: "hub", label: __("Hub"), fieldtype: "Link", options: "Distribution Hub", reqd: 1 },
		{ fieldname: "alerts_only", label: __("Only low stock and expiring"), fieldtype: "Check" },
	],
};
