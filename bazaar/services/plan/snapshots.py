"""The automatic snapshot at the start of every Jalali month: exactly once, however many run."""

from sqlalchemy.exc import IntegrityError

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Snapshot, SnapshotMonth
from bazaar.services.audit import record_audit
from bazaar.services.plan.rules import jalali_month
from bazaar.services.statistics.metrics import compute_all

MONTHLY_NOTE = "monthly"


def take_monthly(*, now):
    """Take this Jalali month's snapshot if nobody has yet; return it, or None if it exists.

    The claim (the month's key) is read and written in one write transaction, which runs
    alone on both databases; the key's uniqueness is the database's guarantee underneath.
    """
    month = jalali_month(local_date(now))
    try:
        with write_transaction():
            if db.session.get(SnapshotMonth, month) is not None:
                return None
            snapshot = Snapshot(published_at=now, note=MONTHLY_NOTE, figures=compute_all(now))
            db.session.add(snapshot)
            db.session.flush()
            db.session.add(SnapshotMonth(month=month, snapshot_id=snapshot.id))
            record_audit("statistics.monthly_snapshot", snapshot, now=now, month=month)
    except IntegrityError:
        # Another scheduler, outside this app's write lock (another machine), got there first.
        db.session.rollback()
        return None
    return snapshot


def monthly_snapshots():
    """The automatic snapshots, oldest first: (month, snapshot)."""
    query = db.select(SnapshotMonth).order_by(SnapshotMonth.month)
    return [(row.month, row.snapshot) for row in db.session.scalars(query)]
