# Copyright (c) 2026, To Link developers and contributors
# For license information, please see license.txt

import secrets

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_years, getdate, today


class Household(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from tolink.registry.doctype.household_member.household_member import HouseholdMember

		address: DF.SmallText | None
		card_code: DF.Data | None
		cares_for_dependent: DF.Check
		district: DF.Link | None
		eviction_pending: DF.Check
		head_of_household: DF.Link | None
		head_of_household_name: DF.Data | None
		household_name: DF.Data
		household_size: DF.Int
		housing_situation: DF.Literal[
			"", "Owned", "Rented", "Social housing", "Hosted", "Precarious", "Homeless"
		]
		isee_expired: DF.Check
		isee_valid_until: DF.Date | None
		isee_value: DF.Currency
		members: DF.Table[HouseholdMember]
		provider: DF.Link
		single_parent: DF.Check
		status: DF.Literal["Active", "Closed"]
	# end: auto-generated types

	def validate(self):
		self.check_members()
		self.set_head_of_household()
		self.check_single_active_household()
		self.household_size = sum(1 for m in self.members if m.is_active)
		self.check_isee()
		self.set_isee_expired()
		self.set_single_parent()
		self.cares_for_dependent = int(any(m.is_active and m.is_dependent_cared_for for m in self.members))
		if not self.card_code:
			self.card_code = make_card_code()

	def check_isee(self):
		if (self.isee_value or 0) < 0:
			frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label("isee_value"))))

	def set_isee_expired(self):
		"""An ISEE counts until its validity date (refreshed daily by refresh_isee_expired)."""
		self.isee_expired = int(
			bool(self.isee_valid_until) and getdate(self.isee_valid_until) < getdate(today())
		)

	def set_single_parent(self):
		"""One parent alone with minor children: no active spouse or partner, at least one active child
		under 18 (eligibility and reports read it; set by the app, never by hand)."""
		active = [m for m in self.members if m.is_active]
		children = [m.citizen for m in active if m.relation == "Child"]
		if not children or any(m.relation == "Spouse/Partner" for m in active):
			self.single_parent = 0
			return
		adult_from = add_years(getdate(today()), -18)
		citizen = frappe.qb.DocType("Citizen")
		minors = (
			frappe.qb.from_(citizen)
			.select(citizen.name)
			.where(citizen.name.isin(children) & (citizen.birth_date > adult_from))
			.limit(1)
			.run(pluck=True)
		)
		self.single_parent = int(bool(minors))

	def on_update(self):
		self.sync_citizens()

	def on_trash(self):
		citizen = frappe.qb.DocType("Citizen")
		frappe.qb.update(citizen).set(citizen.household, None).where(citizen.household == self.name).run()

	def check_members(self):
		seen = set()
		for m in self.members:
			if m.citizen in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(m.idx, frappe.bold(m.citizen_name or m.citizen))
				)
			seen.add(m.citizen)
			if m.joined_on and m.left_on and getdate(m.left_on) < getdate(m.joined_on):
				frappe.throw(
					_("Row {0}: {1} cannot leave the household before joining it.").format(
						m.idx, frappe.bold(m.citizen_name or m.citizen)
					)
				)
			if m.left_on:
				m.is_active = 0

	def set_head_of_household(self):
		active = [m for m in self.members if m.is_active]
		if not self.head_of_household:
			head = next(
				(m for m in active if m.relation == "Head of household"), active[0] if active else None
			)
			self.head_of_household = head.citizen if head else None
		if self.head_of_household and self.head_of_household not in [m.citizen for m in active]:
			frappe.throw(_("The head of household must be an active member of the household."))

	def check_single_active_household(self):
		"""A person belongs to at most one active household (one query for all members)."""
		active = [m.citizen for m in self.members if m.is_active]
		if not active or self.status != "Active":
			return
		member = frappe.qb.DocType("Household Member")
		household = frappe.qb.DocType("Household")
		clash = (
			frappe.qb.from_(member)
			.join(household)
			.on(household.name == member.parent)
			.select(member.citizen)
			.where(
				(member.parenttype == "Household")
				& member.citizen.isin(active)
				& (member.is_active == 1)
				& (household.status == "Active")
				& (household.name != (self.name or ""))
			)
			.limit(1)
			.run(pluck=True)
		)
		if clash:
			name = next(
				(m.citizen_name or m.citizen for m in self.members if m.citizen == clash[0]), clash[0]
			)
			frappe.throw(
				_("{0} already belongs to another active household: they must leave it first.").format(
					frappe.bold(name)
				),
				title=_("Already in a household"),
			)

	def sync_citizens(self):
		"""Citizen.household points to the active household of each member."""
		citizen = frappe.qb.DocType("Citizen")
		active = [m.citizen for m in self.members if m.is_active] if self.status == "Active" else []
		query = frappe.qb.update(citizen).set(citizen.household, None).where(citizen.household == self.name)
		if active:
			query = query.where(citizen.name.notin(active))
		query.run()
		if active:
			frappe.qb.update(citizen).set(citizen.household, self.name).where(citizen.name.isin(active)).run()


def make_card_code() -> str:
	"""Printed on the household card (QR) for the counter: random, not guessable."""
	alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	return "".join(secrets.choice(alphabet) for _ in range(10))


def refresh_isee_expired() -> None:
	"""Daily: ISEE certificates that expired overnight are marked so (lists and eligibility read it)."""
	household = frappe.qb.DocType("Household")
	expired = household.isee_valid_until < getdate(today())
	frappe.qb.update(household).set(household.isee_expired, 1).where(
		expired & (household.isee_expired == 0)
	).run()
	frappe.qb.update(household).set(household.isee_expired, 0).where(
		(household.isee_valid_until.isnull() | ~expired) & (household.isee_expired == 1)
	).run()


def on_doctype_update():
	# the row rule (the organisation) and Desk's default sort: a list's first page reads 20 index entries
	frappe.db.add_index("Household", ["provider", "modified"])
