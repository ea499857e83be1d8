// Copyright (c) 2026, To Link developers and contributors
// For license information, please see license.txt

frappe.query_reports["Helpline Statistics"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "reason", label: __("Reason") },
				{ value: "triage", label: __("Triage") },
				{ value: "outcome", label: __("Outcome") },
				{ value: "direction", label: __("Direction") },
			],
			default: "reason",
			reqd: 1,
		},
		{
			fieldname: "period",
			label: __("Period"),
			fieldtype: "Select",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Weekly", label: __("Weekly") },
				{ value: "Whole period", label: __("Whole period") },
			],
			default: "Monthly",
			reqd: 1,
		},
		{
			fieldname: "provider",
			label: __("Organisation"),
			fieldtype: "Link",
			options: "Provider",
			description: __("Network Administrators and Monitoring Officers only: others see their own calls."),
		},
	],
};
