"""The gathering gate: open and close holds as restrictions change, and release bazaars.

Every status change of a bazaar is written to its history here (`record_status_change`), and
a released bazaar's interest list is told here, once, in the releasing transaction.
"""

from sqlalchemy import text
from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date, local_zone
from bazaar.links import external_url
from bazaar.models import Bazaar, Hold, Interest, Restriction, Status, StatusChange
from bazaar.services import stalls
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.rules import derive_status
from bazaar.services.notifications import notify_address, notify_user


def record_status_change(bazaar, status, now, actor=None, **fields):
    """Add a line to the bazaar's history (never changed once written)."""
    db.session.add(
        StatusChange(
            bazaar=bazaar, at=now, status=status, actor_id=actor.id if actor else None, **fields
        )
    )


def _lock_gate():
    # One sync at a time: BEGIN IMMEDIATE already serialises SQLite; PostgreSQL locks the
    # gate's row in `locks`. A missing row would lock nothing, so it is an error.
    if db.engine.dialect.name == "postgresql":
        locked = db.session.scalar(text("SELECT name FROM locks WHERE name = 'gate' FOR UPDATE"))
        if locked is None:
            raise RuntimeError("the 'gate' row of the locks table is missing")


def sync_holds(*, now, actor=None):
    """Bring the record of holds in line with the restrictions; return the bazaars released.

    Every published, uncancelled bazaar whose holding restrictions differ from its open holds
    gets holds opened or closed; one that was held and is held no more is released: its history
    says so and everyone waiting is told, exactly once, in this transaction.
    """
    with write_transaction():
        _lock_gate()
        restrictions = db.session.scalars(db.select(Restriction)).all()
        zone = local_zone()
        released = []
        for bazaar in _candidates(now):
            derived = {
                r.id: r for r in restrictions if derive_status(bazaar, [r], now, zone).is_held
            }
            open_holds = {h.restriction_id: h for h in bazaar.holds if h.released_at is None}
            for restriction_id in sorted(derived.keys() - open_holds.keys()):
                db.session.add(Hold(bazaar=bazaar, restriction_id=restriction_id, held_at=now))
            if derived and not open_holds:
                first = min(derived.values(), key=lambda r: (r.starts_on, r.id))
                record_status_change(bazaar, Status.HELD, now, actor, restriction_id=first.id)
            for restriction_id in open_holds.keys() - derived.keys():
                open_holds[restriction_id].released_at = now
            if open_holds and not derived:
                _release(bazaar, now, actor)
                released.append(bazaar)
    return released


def _candidates(now):
    # Bazaars that may need a hold opened (not yet over) or closed (an open hold).
    has_open_hold = db.select(Hold.bazaar_id).where(Hold.released_at.is_(None))
    query = (
        db.select(Bazaar)
        .where(
            Bazaar.published_at.is_not(None),
            Bazaar.cancelled_at.is_(None),
            db.or_(Bazaar.ends_at > now, Bazaar.id.in_(has_open_hold)),
        )
        .options(selectinload(Bazaar.holds))
    )
    return db.session.scalars(query).all()


def _release(bazaar, now, actor):
    status = Status.RESCHEDULED if bazaar.previous_starts_at else Status.SCHEDULED
    record_status_change(bazaar, status, now, actor, reason="released")
    record_audit("bazaar.release", bazaar, actor=actor, now=now)
    # Only confirmed entries are told: an unconfirmed email or mobile never asked for sure.
    waiting = db.select(Interest).where(
        Interest.bazaar_id == bazaar.id, Interest.confirmed_at.is_not(None)
    )
    for interest in db.session.scalars(waiting):
        _notify_interest(interest, bazaar, now)
    stalls.on_bazaar_released(bazaar, now=now)


def _notify_interest(interest, bazaar, now):
    unsubscribe = external_url("bazaars.unsubscribe", token=interest.token)
    params = {
        "title": bazaar.title,
        "date": ShownDate(local_date(bazaar.starts_at)),
        "url": external_url("bazaars.view", bazaar_id=bazaar.id),
        "unsubscribe": unsubscribe,
    }
    if interest.user is not None:
        notify_user(
            interest.user,
            "bazaar_released",
            now=now,
            link=f"/bazaars/{bazaar.id}",
            list_unsubscribe=unsubscribe,
            **params,
        )
    elif interest.email:
        notify_address(
            "email",
            interest.email,
            "bazaar_released",
            now=now,
            locale=interest.locale,
            list_unsubscribe=unsubscribe,
            **params,
        )
    else:
        notify_address(
            "sms", interest.mobile, "bazaar_released", now=now, locale=interest.locale, **params
        )
    interest.notified_at = now
