// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.query_reports["Merchant Reconciliation"] = {
	filters: [
		{ fieldname: "month", label: __("Month"), fieldtype: "Date", default: frappe.datetime.month_start(), reqd: 1 },
		{ fieldname: "merchant", label: __("Shop"), fieldtype: "Link", options: "Provider" },
	],
};
