"""The confirmation-deadline reminder: one message, 12 hours before a stall's deadline."""

from datetime import timedelta

from sqlalchemy import update

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import Application, AppState
from bazaar.services.stalls.waiting_list import tell

REMIND_BEFORE = timedelta(hours=12)


def remind_to_confirm(*, now):
    """Remind every vendor whose unconfirmed stall's deadline is within 12 hours, exactly once.

    Periodic (`flask tick`). The guarded update marks each reminder sent in the transaction
    that queues it, so two runs at once, or a run repeated, never send it twice; a new
    allocation (a re-confirmation after a release) clears the mark and gets its own reminder.
    """
    with write_transaction():
        due = db.session.scalars(
            db.select(Application).where(
                Application.state == AppState.ALLOCATED.value,
                Application.reminded_at.is_(None),
                Application.confirm_by > now,
                Application.confirm_by <= now + REMIND_BEFORE,
            )
        ).all()
        sent = 0
        for application in due:
            claimed = db.session.execute(
                update(Application)
                .where(Application.id == application.id, Application.reminded_at.is_(None))
                .values(reminded_at=now)
            )
            if claimed.rowcount == 1:
                tell(application, "stall_confirm_reminder", now)
                sent += 1
    return sent
