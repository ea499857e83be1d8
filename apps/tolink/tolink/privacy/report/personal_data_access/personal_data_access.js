// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.query_reports["Personal Data Access"] = {
	filters: [
		{ fieldname: "citizen", label: __("Citizen"), fieldtype: "Link", options: "Citizen", reqd: 1 },
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -24) },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
};
