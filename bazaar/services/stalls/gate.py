"""What the bazaar's gate does to its stalls: a release asks holders to re-confirm; a
cancellation ends every application and frees every stall. Called inside the bazaar service's
write transaction."""

from sqlalchemy import update

from bazaar.extensions import db
from bazaar.models import Application, AppState, StallType
from bazaar.services.audit import record_audit
from bazaar.services.stalls import rules
from bazaar.services.stalls.waiting_list import allocate, tell


def _active_applications(bazaar):
    return db.session.scalars(
        db.select(Application).where(
            Application.bazaar_id == bazaar.id, Application.state.in_(rules.ACTIVE)
        )
    )


def on_bazaar_released(bazaar, *, now):
    """A held bazaar goes ahead: allocated vendors re-confirm; everyone registered is told."""
    for application in _active_applications(bazaar):
        if rules.holds_stall(application):
            allocate(application, bazaar, now, {"key": "reconfirm"})
            record_audit("stall.reconfirm", application, now=now)
            tell(application, "stall_reconfirm", now)
        else:
            tell(application, "stall_bazaar_released", now)


def on_bazaar_cancelled(bazaar, *, now):
    """A cancelled bazaar ends every application and frees every stall."""
    for application in _active_applications(bazaar):
        application.state, application.reason, application.decided_at = (
            AppState.CANCELLED.value,
            {"key": "cancelled"},
            now,
        )
        application.confirm_by = None
        record_audit("stall.cancelled", application, now=now)
        tell(application, "stall_bazaar_cancelled", now)
    db.session.execute(
        update(StallType).where(StallType.bazaar_id == bazaar.id).values(allocated=0)
    )
