frappe.listview_settings["Referral"] = {
	add_fields: ["status", "is_overdue"],
	get_indicator(doc) {
		if (doc.is_overdue && doc.status === "Sent") return [__("Overdue"), "red", "is_overdue,=,1"];
		const colours = {
			Sent: "blue",
			Accepted: "cyan",
			"In Progress": "orange",
			Completed: "green",
			Declined: "red",
			"Not Completed": "gray",
			Cancelled: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
