"""Reading bazaars: one by id, the public list, a calendar month, the organisers' lists."""

from datetime import datetime, time, timedelta

from sqlalchemy.orm import selectinload

from bazaar.errors import NotFound
from bazaar.extensions import db
from bazaar.i18n import local_zone
from bazaar.models import Bazaar, Hold, Interest
from bazaar.services import stalls
from bazaar.services.bazaars.rules import derive_status
from bazaar.services.restrictions import all_restrictions


def get_bazaar(bazaar_id):
    """Return a bazaar, drafts included, or raise NotFound."""
    bazaar = db.session.get(Bazaar, bazaar_id)
    if bazaar is None:
        raise NotFound("bazaar.not_found")
    return bazaar


def get_public_bazaar(bazaar_id):
    """Return a published bazaar, or raise NotFound (drafts are not public)."""
    bazaar = get_bazaar(bazaar_id)
    if bazaar.published_at is None:
        raise NotFound("bazaar.not_found")
    return bazaar


def state_of(bazaar, now, restrictions=None):
    """Return the bazaar's derived state at `now`."""
    restrictions = all_restrictions() if restrictions is None else restrictions
    return derive_status(bazaar, restrictions, now, local_zone())


def _with_states(bazaars, now):
    restrictions, zone = all_restrictions(), local_zone()
    return [(bazaar, derive_status(bazaar, restrictions, now, zone)) for bazaar in bazaars]


def list_public_bazaars(*, now, county_id=None, include_past=False):
    """Return published bazaars (with their states), soonest first; past ones only if asked."""
    query = (
        db.select(Bazaar)
        .where(Bazaar.published_at.is_not(None))
        .options(selectinload(Bazaar.stall_types), selectinload(Bazaar.county))
    )
    if county_id:
        query = query.where(Bazaar.county_id == county_id)
    if not include_past:
        query = query.where(
            db.or_(
                Bazaar.ends_at > now,
                Bazaar.id.in_(db.select(Hold.bazaar_id).where(Hold.released_at.is_(None))),
            )
        )
    bazaars = db.session.scalars(query.order_by(Bazaar.starts_at, Bazaar.id)).all()
    return _with_states(bazaars, now)


def bazaars_between(first_day, last_day, *, now, county_id=None):
    """Return published bazaars starting on local days in [first_day, last_day], with states."""
    starts = datetime.combine(first_day, time(0, 0), tzinfo=local_zone())
    ends = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=local_zone())
    query = db.select(Bazaar).where(
        Bazaar.published_at.is_not(None), Bazaar.starts_at >= starts, Bazaar.starts_at < ends
    )
    if county_id:
        query = query.where(Bazaar.county_id == county_id)
    return _with_states(db.session.scalars(query.order_by(Bazaar.starts_at)).all(), now)


def list_all_bazaars(*, now):
    """Every bazaar, drafts included, newest date first (organisers)."""
    bazaars = db.session.scalars(
        db.select(Bazaar).order_by(Bazaar.starts_at.desc(), Bazaar.id.desc())
    ).all()
    return _with_states(bazaars, now)


def held_dashboard(*, now):
    """Group held bazaars under the restriction holding them, with waiting counts."""
    held = [(bazaar, state) for bazaar, state in list_public_bazaars(now=now) if state.is_held]
    ids = [bazaar.id for bazaar, _state in held]
    interested = dict(
        db.session.execute(
            db.select(Interest.bazaar_id, db.func.count())
            .where(Interest.bazaar_id.in_(ids), Interest.confirmed_at.is_not(None))
            .group_by(Interest.bazaar_id)
        ).all()
    )
    registered = stalls.count_registered_by_bazaar(ids)
    groups = {}
    for bazaar, state in held:
        group = groups.setdefault(
            state.restriction.id, {"restriction": state.restriction, "bazaars": []}
        )
        group["bazaars"].append(
            {
                "bazaar": bazaar,
                "state": state,
                "interested": interested.get(bazaar.id, 0),
                "registered": registered.get(bazaar.id, 0),
            }
        )
    return list(groups.values())
