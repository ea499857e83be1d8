frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Referrals by Status"] = {
	method: "tolink.api.desk.chart_referrals_by_status",
	filters: [],
};
