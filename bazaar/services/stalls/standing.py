"""What a vendor's loss of standing does to their stalls: a suspended or rejected vendor's
open applications end, and every stall they held passes to the waiting list at once.

Called inside the vendors review service's write transaction, with the status change.
"""

from bazaar.extensions import db
from bazaar.models import Application, AppState
from bazaar.services.audit import record_audit
from bazaar.services.stalls import rules
from bazaar.services.stalls.waiting_list import let_go


def withdraw_vendor(vendor, reason, *, now, actor=None):
    """Withdraw every open application of a vendor; held stalls go to the next in line.

    `reason` is the stored reason (a key of texts.REASONS and its values). Returns the
    applications withdrawn, so the caller can tell the vendor once.
    """
    open_ones = db.session.scalars(
        db.select(Application)
        .where(Application.vendor_id == vendor.id, Application.state.in_(rules.ACTIVE))
        .order_by(Application.id)
    ).all()
    # Undecided ones first: no stall freed below may be promoted to this vendor's own entry.
    undecided = [a for a in open_ones if not rules.holds_stall(a)]
    holding = [a for a in open_ones if rules.holds_stall(a)]
    for application in undecided:
        application.state, application.decided_at = AppState.WITHDRAWN.value, now
        application.reason = dict(reason)
        record_audit("stall.withdrawn", application, actor=actor, now=now, reason=reason["key"])
    for application in holding:
        let_go(application, AppState.WITHDRAWN, dict(reason), now, actor=actor)
    return undecided + holding
