"""The vouchers' number cards (the Vouchers workspace), counted with the caller's row rules
(tolink.permissions.counts)."""

from frappe.utils import get_first_day, get_last_day, today

from tolink.permissions import counts
from tolink.vouchers.doctype.voucher_application import voucher_application


def applications_awaiting_approval() -> dict:
	"""Applications proposed and not decided yet: for an approver, those of the programmes its
	organisation manages; for whoever proposes, its organisation's (the row rules decide)."""
	return counts.card("Voucher Application", {"status": ("in", voucher_application.OPEN)})


def vouchers_issued_this_month() -> dict:
	"""Vouchers the user's organisation issued this month."""
	month = (str(get_first_day(today())), str(get_last_day(today())))
	return counts.card("Voucher", counts.own({"issue_date": ("between", month)}))
