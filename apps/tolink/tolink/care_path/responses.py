"""The receiving organisation's answer to a referral (tolink.api.partner.respond_to_referral).

Desk uses the Referral workflow; both end in Referral.save(), so the same rules hold: the
workflow an administrator configured decides which role may move the referral to which state,
and the app's rules (a decline needs a reason, capacity, who may answer) always apply.
"""

DECISIONS = {
	"accept": "Accepted",
	"decline": "Declined",
	"start": "In Progress",
	"complete": "Completed",
	"not_complete": "Not Completed",
	"cancel": "Cancelled",
}


def respond(doc, decision: str, reason: str | None = None, outcome: str | None = None) -> dict:
	"""Apply a decision (one of DECISIONS) to a referral the caller may write."""
	doc.status = DECISIONS[decision]
	if decision == "decline":
		doc.decline_reason = reason
	elif decision == "not_complete":
		doc.not_completed_reason = reason
	if outcome is not None:
		doc.outcome = outcome
	# an answer changes the status, reasons and outcome only (the receiving organisation cannot
	# change the referral's links: Referral.check_receiving_side_changes), so the links already
	# saved are not looked up again
	doc.flags.ignore_links = True
	doc.save()
	return {
		"name": doc.name,
		"status": doc.status,
		"responded_on": doc.responded_on,
		"decline_reason": doc.decline_reason,
	}
