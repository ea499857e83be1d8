"""Stock of the hubs: an immutable ledger of movements; balances come from it.

Every movement writes Stock Ledger Entries (the event log) and, in the same transaction, keeps a
Stock Bin per hub, item, lot and expiry: the row that is locked (SELECT ... FOR UPDATE) before
anything leaves a hub. Two volunteers handing out the last units at the same moment are
serialised on that row: the second sees what the first left, and stock never goes below zero.
Outgoing quantities are taken first-to-expire first (FEFO); expired lots are never handed out.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, now_datetime, today

OUTGOING = {"Distribution", "Transfer", "Adjustment Out", "Expiry Write-off"}
INCOMING = {"Receipt", "Adjustment In"}
NO_EXPIRY = "9999-12-31"  # bins of non-perishable items sort last in FEFO


class InsufficientStockError(frappe.ValidationError):
	pass


def _bin_key(hub, item, lot, expiry):
	return (hub, item, lot or "", str(expiry) if expiry else NO_EXPIRY)


def add_to_bin(hub: str, item: str, lot: str | None, expiry, qty: float, provider: str | None) -> None:
	"""Incoming stock: one statement that creates or increments the bin, so concurrent receipts
	take the row's exclusive lock at once (an insert-then-update would deadlock)."""
	key = _bin_key(hub, item, lot, expiry)
	now = now_datetime()
	frappe.db.sql(
		"""insert into `tabStock Bin`
		(name, hub, aid_item, lot, expiry_date, actual_qty, provider, creation, modified, owner, modified_by, docstatus)
		values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0)
		on duplicate key update actual_qty = actual_qty + values(actual_qty), modified = values(modified)""",
		(
			frappe.generate_hash(length=12),
			*key,
			qty,
			provider,
			now,
			now,
			frappe.session.user,
			frappe.session.user,
		),
	)


def take_from_bin(hub: str, item: str, lot: str | None, expiry, qty: float) -> None:
	"""Outgoing stock from a bin this transaction has locked (allocate_fefo)."""
	key = _bin_key(hub, item, lot, expiry)
	b = frappe.qb.DocType("Stock Bin")
	(
		frappe.qb.update(b)
		.set(b.actual_qty, b.actual_qty - qty)
		.where((b.hub == key[0]) & (b.aid_item == key[1]) & (b.lot == key[2]) & (b.expiry_date == key[3]))
		.run()
	)


def locked_bins(hub: str, item: str, lot: str | None = None) -> list[dict]:
	"""The item's bins at the hub with stock, first to expire first, locked until commit."""
	b = frappe.qb.DocType("Stock Bin")
	query = (
		frappe.qb.from_(b)
		.select(b.name, b.lot, b.expiry_date, b.actual_qty)
		.where((b.hub == hub) & (b.aid_item == item) & (b.actual_qty > 0))
		.orderby(b.expiry_date)
		.orderby(b.lot)
		.for_update()
	)
	if lot:
		query = query.where(b.lot == lot)
	return query.run(as_dict=True)


def allocate_fefo(hub: str, item: str, qty: float, lot: str | None = None, include_expired: bool = False):
	"""[(lot, expiry, qty)] taking the first-to-expire lots, or InsufficientStockError."""
	qty = flt(qty)
	allocation, remaining = [], qty
	bins = locked_bins(hub, item, lot)
	available = 0.0
	for b in bins:
		expired = str(b.expiry_date) != NO_EXPIRY and getdate(b.expiry_date) < getdate(today())
		if expired and not include_expired:
			continue
		available += flt(b.actual_qty)
		if remaining <= 0:
			continue
		take = min(remaining, flt(b.actual_qty))
		allocation.append((b.lot or None, None if str(b.expiry_date) == NO_EXPIRY else b.expiry_date, take))
		remaining = flt(remaining - take, 6)
	if remaining > 0:
		frappe.throw(
			_("Not enough {0} at {1}: {2} requested, {3} available.").format(
				frappe.bold(_(item)), frappe.bold(hub), frappe.format(qty), frappe.format(available)
			),
			InsufficientStockError,
			title=_("Not enough stock"),
		)
	return allocation


def post(
	movement_type: str,
	hub: str,
	rows: list[dict],
	posting_datetime=None,
	stock_movement: str | None = None,
	provider: str | None = None,
	include_expired: bool = False,
	reference: str | None = None,
) -> list[dict]:
	"""Write the ledger for rows [{aid_item, qty, lot, expiry_date}] and update the bins.

	Outgoing rows without a lot are split over lots FEFO. Returns the rows as posted (with lots)."""
	posting_datetime = posting_datetime or now_datetime()
	sign = -1 if movement_type in OUTGOING else 1
	posted = []
	# lock in a fixed order (item, lot) so concurrent movements of several items cannot deadlock
	for row in sorted(rows, key=lambda r: (r["aid_item"], r.get("lot") or "")):
		qty = flt(row["qty"])
		if qty <= 0:
			item_name = row["aid_item"]
			frappe.throw(_("Quantities must be positive ({0}).").format(_(item_name)))
		if sign < 0:
			parts = allocate_fefo(hub, row["aid_item"], qty, row.get("lot"), include_expired=include_expired)
		else:
			parts = [(row.get("lot"), row.get("expiry_date"), qty)]
		for lot, expiry, part_qty in parts:
			if sign > 0:
				add_to_bin(hub, row["aid_item"], lot, expiry, part_qty, provider)
			else:
				take_from_bin(hub, row["aid_item"], lot, expiry, part_qty)
			frappe.get_doc(
				{
					"doctype": "Stock Ledger Entry",
					"hub": hub,
					"aid_item": row["aid_item"],
					"lot": lot,
					"expiry_date": expiry,
					"qty_change": sign * part_qty,
					"posting_datetime": posting_datetime,
					"movement_type": movement_type,
					"stock_movement": stock_movement,
					"parcel_delivery": reference,
					"provider": provider,
				}
			).db_insert()
			posted.append({"aid_item": row["aid_item"], "lot": lot, "expiry_date": expiry, "qty": part_qty})
	return posted


def get_balance(hub: str, item: str, lot: str | None = None) -> float:
	"""From the ledger (the event log), not the bins."""
	sle = frappe.qb.DocType("Stock Ledger Entry")
	query = (
		frappe.qb.from_(sle)
		.select(frappe.query_builder.functions.Sum(sle.qty_change))
		.where((sle.hub == hub) & (sle.aid_item == item))
	)
	if lot:
		query = query.where(sle.lot == lot)
	return flt(query.run()[0][0])


def get_balances(hub: str) -> list[dict]:
	"""Per item and lot, from the ledger, with expiry and the item's low-stock threshold (one query)."""
	sle = frappe.qb.DocType("Stock Ledger Entry")
	item = frappe.qb.DocType("Aid Item")
	Sum = frappe.query_builder.functions.Sum
	return (
		frappe.qb.from_(sle)
		.join(item)
		.on(item.name == sle.aid_item)
		.select(
			sle.aid_item,
			sle.lot,
			sle.expiry_date,
			Sum(sle.qty_change).as_("qty"),
			item.low_stock_threshold,
			item.unit,
		)
		.where(sle.hub == hub)
		.groupby(sle.aid_item, sle.lot, sle.expiry_date)
		.having(Sum(sle.qty_change) != 0)
		.orderby(sle.aid_item)
		.orderby(sle.expiry_date)
		.run(as_dict=True)
	)


def alerts(hub: str) -> dict:
	"""Low stock and lots expiring within 7 days at a hub (tolink.api.desk.hub_alerts, and the daily
	notification of Hub Managers)."""
	balances = get_balances(hub)
	totals: dict[str, float] = {}
	for b in balances:
		totals[b.aid_item] = totals.get(b.aid_item, 0) + flt(b.qty)
	items = frappe.get_all(
		"Aid Item", fields=["name", "low_stock_threshold"], filters={"low_stock_threshold": (">", 0)}
	)
	low = [
		{"aid_item": i.name, "qty": totals.get(i.name, 0), "threshold": i.low_stock_threshold}
		for i in items
		if totals.get(i.name, 0) < flt(i.low_stock_threshold)
	]
	soon = add_days(today(), 7)
	expiring = [
		{"aid_item": b.aid_item, "lot": b.lot, "expiry_date": str(b.expiry_date), "qty": b.qty}
		for b in balances
		if b.expiry_date and getdate(b.expiry_date) <= getdate(soon) and flt(b.qty) > 0
	]
	return {"low_stock": low, "expiring": expiring}
