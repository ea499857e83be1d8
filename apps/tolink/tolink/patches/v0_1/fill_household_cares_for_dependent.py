"""Household.cares_for_dependent (issue 13: eligibility "households caring for a dependent only") is
set by Household.validate from its active members; households saved before it existed get it here,
in one update."""

import frappe


def execute():
	household, member = frappe.qb.DocType("Household"), frappe.qb.DocType("Household Member")
	caring = (
		frappe.qb.from_(member)
		.select(member.parent)
		.where(
			(member.parenttype == "Household")
			& (member.is_active == 1)
			& (member.is_dependent_cared_for == 1)
		)
	)
	frappe.qb.update(household).set(household.cares_for_dependent, 1).where(household.name.isin(caring)).run()
