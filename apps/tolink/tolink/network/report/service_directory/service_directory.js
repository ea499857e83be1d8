// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.query_reports["Service Directory"] = {
	filters: [
		{ fieldname: "need_category", label: __("Need"), fieldtype: "Link", options: "Need Category" },
		{ fieldname: "district", label: __("District"), fieldtype: "Link", options: "District" },
		{ fieldname: "open_today", label: __("Open Today"), fieldtype: "Check" },
		{ fieldname: "text", label: __("Service Name"), fieldtype: "Data" },
	],
};
