"""The app without the booking guard, for the concurrency test's control only.

gunicorn serves `tests.stalls.unguarded_app:create_app()`. The guard is the write lock that
makes a claim's check and write one step (BEGIN IMMEDIATE and the writers' queue on SQLite, the
stall type's row lock on PostgreSQL) plus the UPDATE that takes a stall only while one is free.
Here the claim is replaced by the naive check-then-write the guard exists to prevent: read the
free count, end that transaction, let the time a busy server takes pass, then answer "free".
It leaves the counter alone: the database's CHECK would refuse the overbooking the control must
show; the applications marked allocated are what the test counts.
"""

import time
from contextlib import contextmanager

from bazaar import create_app as create_guarded_app
from bazaar import database
from bazaar.extensions import db
from bazaar.models import Application, StallType
from bazaar.services.stalls import applications, claims
from bazaar.services.stalls.rules import HOLDING


def naive_claim_stall(stall_type_id):
    """Read whether a stall is free without the lock, wait, then say so without taking it."""
    count = db.session.scalar(db.select(StallType.count).where(StallType.id == stall_type_id))
    held = db.session.scalar(
        db.select(db.func.count(Application.id)).where(
            Application.stall_type_id == stall_type_id, Application.state.in_(HOLDING)
        )
    )
    db.session.commit()  # the check's transaction ends before the write's begins
    free = count is not None and held < count
    if free:
        time.sleep(0.1)  # a busy server's pause between check and write: the race made visible
    # The write that follows takes the write lock (BEGIN IMMEDIATE), so it never fails with
    # "database is locked"; only the check is stale.
    database._writing.set(True)
    return free


@contextmanager
def unqueued_write_transaction():
    """A write unit without the writers' queue: it reads without the write lock until the
    claim has answered, and the claim may end its transaction."""
    db.session.rollback()
    token = database._writing.set(False)
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        database._writing.reset(token)


def create_app():
    """Build the app with the claim's guard replaced by the naive check-then-write."""
    applications.write_transaction = unqueued_write_transaction
    claims.lock_stall_type = lambda stall_type_id: None
    claims.claim_stall = naive_claim_stall
    return create_guarded_app()
