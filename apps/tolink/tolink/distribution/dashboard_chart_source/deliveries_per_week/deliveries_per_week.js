frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Deliveries per Week"] = {
	method: "tolink.api.desk.chart_deliveries_per_week",
	filters: [],
};
