"""Passing stalls along: giving one to an application, ending one, and serving the waiting list.

Every function here runs inside the caller's write transaction.
"""

from datetime import timedelta

from bazaar.extensions import db
from bazaar.i18n import ShownDate, format_number, local_date
from bazaar.links import external_url
from bazaar.models import Application, AppState
from bazaar.services.audit import record_audit
from bazaar.services.message_texts import Lazy, ShownMoment
from bazaar.services.notifications import notify_user
from bazaar.services.stalls import claims
from bazaar.services.stalls.texts import explain


def confirm_by(bazaar, now):
    """Return the confirmation deadline of a stall given now: some hours, at most the start."""
    return min(now + timedelta(hours=bazaar.confirm_hours), bazaar.starts_at)


def allocate(application, bazaar, now, reason):
    """Mark an application as holding a stall it must confirm; the caller claimed the stall."""
    application.state = AppState.ALLOCATED.value
    application.confirm_by = confirm_by(bazaar, now)
    application.decided_at = now
    application.reason = reason
    application.reminded_at = None  # a new deadline gets its own reminder


def let_go(application, state, reason, now, actor=None):
    """End a held stall and pass it on to the next on its waiting list, at once."""
    application.state, application.reason, application.decided_at = state.value, reason, now
    application.confirm_by = None
    claims.free_stall(application.stall_type_id)
    record_audit(f"stall.{state.value}", application, actor=actor, now=now, reason=reason["key"])
    promote_next(application.stall_type_id, now)


def promote_next(stall_type_id, now):
    """Give free stalls of a type to the waiting list, in order; tell each vendor."""
    promoted = []
    claims.lock_stall_type(stall_type_id)
    while True:
        nxt = db.session.scalar(
            db.select(Application)
            .where(
                Application.stall_type_id == stall_type_id,
                Application.state == AppState.WAITING.value,
            )
            .order_by(Application.position, Application.id)
            .limit(1)
        )
        if nxt is None or not claims.claim_stall(stall_type_id):
            return promoted
        allocate(nxt, nxt.bazaar, now, {"key": "promoted"})
        record_audit("stall.promote", nxt, now=now)
        tell(nxt, "stall_promoted", now)
        promoted.append(nxt)


def tell(application, kind, now):
    """Queue a notification of `kind` about the application to its vendor's account.

    Every message says which bazaar, date and stall, where the application stands and why,
    the confirmation deadline when there is one, and links straight to the vendor's stalls.
    """
    user = application.vendor.user
    if user is None:
        return
    bazaar = application.bazaar
    notify_user(
        user,
        kind,
        now=now,
        link="/stalls/mine",
        title=bazaar.title,
        date=ShownDate(local_date(bazaar.starts_at)),
        stall=application.stall_type.name,
        position=Lazy(format_number, application.position),
        why=Lazy(explain, dict(application.reason or {})),
        deadline=ShownMoment(application.confirm_by) if application.confirm_by else "",
        url=external_url("stalls.mine"),
    )
