"""Bazaars: restrictions, planning, the hold-and-release sync, history and interest lists."""

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date, local_zone
from bazaar.links import external_url
from bazaar.models import Category, Region
from bazaar.models.bazaars import (
    AllocationMode,
    Bazaar,
    CategoryCap,
    Hold,
    Interest,
    Restriction,
    Series,
    StallType,
    Status,
    StatusChange,
)
from bazaar.services import images, stalls
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.rules import derive_status
from bazaar.services.notifications import notify_address, notify_user
from bazaar.text import normalize_email, normalize_mobile

MAX_STALL_TYPES = 10
MAX_SERIES_BAZAARS = 60


# --- restrictions ------------------------------------------------------------------------


@dataclass
class RestrictionData:
    body: str
    reference: str
    decided_on: object
    region_id: int | None
    starts_on: object
    ends_on: object = None
    note: str = ""


def _check_restriction(data):
    if not (data.body or "").strip():
        raise Invalid("restriction.body_required", field="body")
    if not (data.reference or "").strip():
        raise Invalid("restriction.reference_required", field="reference")
    if data.decided_on is None:
        raise Invalid("restriction.date_required", field="decided_on")
    if data.starts_on is None:
        raise Invalid("restriction.date_required", field="starts_on")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise Invalid("restriction.end_before_start", field="ends_on")
    if data.region_id is not None:
        region = db.session.get(Region, data.region_id)
        if region is None or region.kind != "county":
            raise Invalid("vendor.bad_county", field="region_id")


def record_restriction(actor, data, *, now, document_data=None):
    """Record an authority's decision; bazaars it covers become held at once."""
    _check_restriction(data)
    document = None
    if document_data:
        document = images.store_document(document_data)
    try:
        with write_transaction():
            restriction = Restriction(
                body=data.body.strip(),
                reference=data.reference.strip(),
                decided_on=data.decided_on,
                region_id=data.region_id,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                note=(data.note or "").strip(),
                document=document,
                created_at=now,
                created_by_id=actor.id if actor else None,
            )
            db.session.add(restriction)
            record_audit(
                "restriction.record",
                restriction,
                actor=actor,
                now=now,
                reference=restriction.reference,
            )
            sync_holds(now=now, actor=actor)
    except Exception:
        if document:
            images.delete_image("documents", document)
        raise
    return restriction


def get_restriction(restriction_id):
    restriction = db.session.get(Restriction, restriction_id)
    if restriction is None:
        raise NotFound("restriction.not_found")
    return restriction


def lift_restriction(actor, restriction_id, *, now, reason=None):
    """Lift a restriction now: every bazaar only it held is released in this transaction."""
    with write_transaction():
        restriction = get_restriction(restriction_id)
        if restriction.lifted_at is not None:
            raise Conflict("restriction.already_lifted")
        restriction.lifted_at, restriction.lifted_by_id = now, actor.id if actor else None
        record_audit("restriction.lift", restriction, actor=actor, now=now, reason=reason)
        released = sync_holds(now=now, actor=actor)
    return released


def set_restriction_end(actor, restriction_id, ends_on, *, now):
    """Set (or change) the day a restriction ends; release happens when that day has passed."""
    with write_transaction():
        restriction = get_restriction(restriction_id)
        if restriction.lifted_at is not None:
            raise Conflict("restriction.already_lifted")
        if ends_on is None or ends_on < restriction.starts_on:
            raise Invalid("restriction.end_before_start", field="ends_on")
        previous, restriction.ends_on = restriction.ends_on, ends_on
        record_audit(
            "restriction.set_end",
            restriction,
            actor=actor,
            now=now,
            old=previous.isoformat() if previous else None,
            new=ends_on.isoformat(),
        )
        released = sync_holds(now=now, actor=actor)
    return released


def list_restrictions():
    """Every restriction on record, newest decision first (nothing is ever deleted)."""
    query = db.select(Restriction).order_by(Restriction.decided_on.desc(), Restriction.id.desc())
    return db.session.scalars(query).all()


# --- bazaars -----------------------------------------------------------------------------


@dataclass
class BazaarData:
    title: str
    venue_name: str
    county_id: int
    day: object  # a date (entered as Jalali)
    start: time
    end: time
    description: str = ""
    venue_address: str = ""
    applications_open_on: object = None
    applications_close_on: object = None
    allocation_mode: str = AllocationMode.FIRST_COME.value
    confirm_hours: int = 48


@dataclass
class StallTypeData:
    name: str
    count: int
    fee_toman: int | None = None
    is_food: bool = False


def _times(data):
    if data.day is None or data.start is None or data.end is None:
        raise Invalid("bazaar.date_required", field="day")
    starts = datetime.combine(data.day, data.start, tzinfo=local_zone())
    ends = datetime.combine(data.day, data.end, tzinfo=local_zone())
    if ends <= starts:
        raise Invalid("bazaar.end_before_start", field="end")
    opens = closes = None
    if data.applications_open_on or data.applications_close_on:
        if not (data.applications_open_on and data.applications_close_on):
            raise Invalid("bazaar.window_incomplete", field="applications_close_on")
        opens = datetime.combine(data.applications_open_on, time(0, 0), tzinfo=local_zone())
        closes = datetime.combine(data.applications_close_on, time(23, 59), tzinfo=local_zone())
        if closes <= opens or closes > starts:
            raise Invalid("bazaar.window_dates", field="applications_close_on")
    return starts, ends, opens, closes


def _check_bazaar(data, stall_types, caps):
    if not (data.title or "").strip():
        raise Invalid("bazaar.title_required", field="title")
    if not (data.venue_name or "").strip():
        raise Invalid("bazaar.venue_required", field="venue_name")
    county = db.session.get(Region, data.county_id or 0)
    if county is None or county.kind != "county":
        raise Invalid("vendor.bad_county", field="county_id")
    if data.allocation_mode not in AllocationMode.__members__.values():
        raise Invalid("bazaar.bad_mode", field="allocation_mode")
    if not isinstance(data.confirm_hours, int) or not 1 <= data.confirm_hours <= 720:
        raise Invalid("bazaar.bad_confirm_hours", field="confirm_hours")
    if not stall_types or len(stall_types) > MAX_STALL_TYPES:
        raise Invalid("bazaar.stall_types_required", field="stall_types")
    for stall in stall_types:
        if not (stall.name or "").strip():
            raise Invalid("bazaar.stall_name_required", field="stall_types")
        if not isinstance(stall.count, int) or stall.count < 0 or stall.count > 10_000:
            raise Invalid("bazaar.bad_stall_count", field="stall_types")
        if stall.fee_toman is not None and (stall.fee_toman < 0 or stall.fee_toman > 10**10):
            raise Invalid("bazaar.bad_fee", field="stall_types")
    for category_id, max_stalls in (caps or {}).items():
        if db.session.get(Category, category_id) is None or max_stalls < 0:
            raise Invalid("bazaar.bad_cap", field="caps")
    return _times(data)


def _apply(bazaar, data, times, now):
    starts, ends, opens, closes = times
    bazaar.title, bazaar.description = data.title.strip(), (data.description or "").strip()
    bazaar.venue_name, bazaar.venue_address = (
        data.venue_name.strip(),
        (data.venue_address or "").strip(),
    )
    bazaar.county_id, bazaar.allocation_mode = data.county_id, data.allocation_mode
    bazaar.confirm_hours = data.confirm_hours
    bazaar.starts_at, bazaar.ends_at = starts, ends
    bazaar.applications_open_at, bazaar.applications_close_at = opens, closes
    bazaar.updated_at = now


def _set_stalls(bazaar, stall_types, caps):
    existing = {stall.name: stall for stall in bazaar.stall_types}
    kept = []
    for data in stall_types:
        stall = existing.pop(data.name.strip(), None) or StallType(name=data.name.strip())
        check_stall_count(stall, data.count)
        stall.count, stall.fee_toman, stall.is_food = data.count, data.fee_toman, data.is_food
        kept.append(stall)
    for stall in existing.values():
        check_stall_count(stall, 0)
    bazaar.stall_types = kept
    bazaar.category_caps = [
        CategoryCap(category_id=c, max_stalls=m) for c, m in (caps or {}).items()
    ]


def check_stall_count(stall, count):
    """Refuse to lower a stall type's count below the stalls already allocated."""
    if stall.id is not None and count < stalls.allocated_count(stall.id):
        raise Conflict("bazaar.count_below_allocated", field="stall_types", name=stall.name)


def create_bazaar(actor, data, stall_types, *, caps=None, now, series=None):
    """Create a draft bazaar with its stall types."""
    times = _check_bazaar(data, stall_types, caps)
    with write_transaction():
        bazaar = Bazaar(created_at=now, series=series)
        _apply(bazaar, data, times, now)
        db.session.add(bazaar)
        _set_stalls(bazaar, stall_types, caps)
        record_audit("bazaar.create", bazaar, actor=actor, now=now, title=bazaar.title)
    return bazaar


def get_bazaar(bazaar_id):
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


def update_bazaar(actor, bazaar_id, data, stall_types, *, caps=None, now):
    """Edit a bazaar; a published one keeps its date (use reschedule to move it)."""
    times = _check_bazaar(data, stall_types, caps)
    with write_transaction():
        bazaar = get_bazaar(bazaar_id)
        if bazaar.cancelled_at is not None:
            raise Conflict("bazaar.cancelled")
        if bazaar.published_at is not None and (times[0], times[1]) != (
            bazaar.starts_at,
            bazaar.ends_at,
        ):
            raise Conflict("bazaar.use_reschedule", field="day")
        _apply(bazaar, data, times, now)
        _set_stalls(bazaar, stall_types, caps)
        db.session.flush()
        for stall in bazaar.stall_types:
            # A raised count frees stalls: they go to the waiting list at once, in order.
            stalls.promote_next(stall.id, now)
        record_audit("bazaar.update", bazaar, actor=actor, now=now)
        sync_holds(now=now, actor=actor)
    return bazaar


def _history(bazaar, status, now, actor=None, **fields):
    db.session.add(
        StatusChange(
            bazaar=bazaar, at=now, status=status, actor_id=actor.id if actor else None, **fields
        )
    )


def publish_bazaar(actor, bazaar_id, *, now):
    """Publish a draft: it becomes public, scheduled or at once held by a restriction."""
    with write_transaction():
        bazaar = get_bazaar(bazaar_id)
        if bazaar.published_at is not None:
            raise Conflict("bazaar.already_published")
        if bazaar.ends_at <= now:
            raise Conflict("bazaar.in_the_past", field="day")
        bazaar.published_at = now
        _history(bazaar, Status.SCHEDULED, now, actor)
        record_audit("bazaar.publish", bazaar, actor=actor, now=now)
        sync_holds(now=now, actor=actor)
    return bazaar


def cancel_bazaar(actor, bazaar_id, reason, *, now):
    """Cancel a bazaar with a reason shown to everyone; kept in its history."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("bazaar.reason_required", field="reason")
    with write_transaction():
        bazaar = get_bazaar(bazaar_id)
        if bazaar.cancelled_at is not None:
            raise Conflict("bazaar.cancelled")
        bazaar.cancelled_at, bazaar.cancel_reason = now, reason[:500]
        for hold in bazaar.holds:
            if hold.released_at is None:
                hold.released_at = now
        _history(bazaar, Status.CANCELLED, now, actor, reason=reason[:500])
        record_audit("bazaar.cancel", bazaar, actor=actor, now=now, reason=reason)
        stalls.on_bazaar_cancelled(bazaar, now=now)
    return bazaar


def reschedule_bazaar(actor, bazaar_id, day, start, end, reason, *, now):
    """Move a published bazaar to a new date; the previous date is kept and shown."""
    with write_transaction():
        bazaar = get_bazaar(bazaar_id)
        if bazaar.published_at is None:
            raise Conflict("bazaar.not_published")
        if bazaar.cancelled_at is not None:
            raise Conflict("bazaar.cancelled")
        data = BazaarData(
            title=bazaar.title,
            venue_name=bazaar.venue_name,
            county_id=bazaar.county_id,
            day=day,
            start=start,
            end=end,
        )
        starts, ends, _opens, _closes = _times(data)
        if ends <= now:
            raise Invalid("bazaar.in_the_past", field="day")
        previous = bazaar.starts_at
        bazaar.previous_starts_at, bazaar.starts_at, bazaar.ends_at = previous, starts, ends
        if bazaar.applications_close_at and bazaar.applications_close_at > starts:
            bazaar.applications_close_at = starts
        _history(
            bazaar,
            Status.RESCHEDULED,
            now,
            actor,
            reason=(reason or "").strip()[:500] or None,
            previous_starts_at=previous,
        )
        record_audit(
            "bazaar.reschedule", bazaar, actor=actor, now=now, previous=previous.isoformat()
        )
        sync_holds(now=now, actor=actor)
    return bazaar


def create_series(actor, data, stall_types, *, weekdays, first_day, last_day, caps=None, now):
    """Create one draft bazaar per chosen weekday (0 = Monday … 6 = Sunday) between two days."""
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise Invalid("bazaar.weekdays_required", field="weekdays")
    if first_day is None or last_day is None or last_day < first_day:
        raise Invalid("bazaar.series_dates", field="last_day")
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    days = [day for day in days if day.weekday() in weekdays]
    if not days or len(days) > MAX_SERIES_BAZAARS:
        raise Invalid("bazaar.series_size", field="last_day", max=MAX_SERIES_BAZAARS)
    with write_transaction():
        series = Series(
            title=data.title.strip(),
            weekdays=",".join(str(day) for day in sorted(weekdays)),
            first_day=first_day,
            last_day=last_day,
            created_at=now,
        )
        db.session.add(series)
        created = []
        for day in days:
            data.day = day
            created.append(
                create_bazaar(actor, data, stall_types, caps=caps, now=now, series=series)
            )
    return created


# --- the gate: holds and releases ----------------------------------------------------------


def _lock_gate():
    # One sync at a time: BEGIN IMMEDIATE already serialises SQLite; PostgreSQL takes a row lock.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT value FROM counters WHERE name = 'gate' FOR UPDATE"))


def sync_holds(*, now, actor=None):
    """Bring the record of holds in line with the restrictions; return the bazaars released.

    Every published, uncancelled bazaar whose holding restrictions differ from its open holds
    gets holds opened or closed; one that was held and is held no more is released: its history
    says so and everyone waiting is told, exactly once, in this transaction.
    """
    with write_transaction():
        _lock_gate()
        restrictions = db.session.scalars(db.select(Restriction)).all()
        released = []
        for bazaar in _candidates(now):
            derived = {r.id: r for r in restrictions if derive_status(bazaar, [r], now).is_held}
            open_holds = {h.restriction_id: h for h in bazaar.holds if h.released_at is None}
            for restriction_id in sorted(derived.keys() - open_holds.keys()):
                db.session.add(Hold(bazaar=bazaar, restriction_id=restriction_id, held_at=now))
            if derived and not open_holds:
                first = min(derived.values(), key=lambda r: (r.starts_on, r.id))
                _history(bazaar, Status.HELD, now, actor, restriction_id=first.id)
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
    _history(bazaar, status, now, actor, reason="released")
    record_audit("bazaar.release", bazaar, actor=actor, now=now)
    for interest in db.session.scalars(db.select(Interest).where(Interest.bazaar_id == bazaar.id)):
        _notify_interest(interest, bazaar, now)
    stalls.on_bazaar_released(bazaar, now=now)


def _notify_interest(interest, bazaar, now):
    params = {
        "title": bazaar.title,
        "date": ShownDate(local_date(bazaar.starts_at)),
        "url": external_url("bazaars.view", bazaar_id=bazaar.id),
        "unsubscribe": external_url("bazaars.unsubscribe", token=interest.token),
    }
    if interest.user is not None:
        notify_user(
            interest.user, "bazaar_released", now=now, link=f"/bazaars/{bazaar.id}", **params
        )
    elif interest.email:
        notify_address(
            "email", interest.email, "bazaar_released", now=now, locale=interest.locale, **params
        )
    else:
        notify_address(
            "sms", interest.mobile, "bazaar_released", now=now, locale=interest.locale, **params
        )
    interest.notified_at = now


# --- reading -----------------------------------------------------------------------------


def all_restrictions():
    return db.session.scalars(db.select(Restriction)).all()


def state_of(bazaar, now, restrictions=None):
    """Return the bazaar's derived state at `now`."""
    return derive_status(bazaar, all_restrictions() if restrictions is None else restrictions, now)


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
    restrictions = all_restrictions()
    return [(bazaar, derive_status(bazaar, restrictions, now)) for bazaar in bazaars]


def bazaars_between(first_day, last_day, *, now, county_id=None):
    """Return published bazaars starting on local days in [first_day, last_day], with states."""
    starts = datetime.combine(first_day, time(0, 0), tzinfo=local_zone())
    ends = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=local_zone())
    query = db.select(Bazaar).where(
        Bazaar.published_at.is_not(None), Bazaar.starts_at >= starts, Bazaar.starts_at < ends
    )
    if county_id:
        query = query.where(Bazaar.county_id == county_id)
    bazaars = db.session.scalars(query.order_by(Bazaar.starts_at)).all()
    restrictions = all_restrictions()
    return [(bazaar, derive_status(bazaar, restrictions, now)) for bazaar in bazaars]


def list_all_bazaars(*, now):
    """Every bazaar, drafts included, newest date first (organisers)."""
    bazaars = db.session.scalars(
        db.select(Bazaar).order_by(Bazaar.starts_at.desc(), Bazaar.id.desc())
    ).all()
    restrictions = all_restrictions()
    return [(bazaar, derive_status(bazaar, restrictions, now)) for bazaar in bazaars]


def held_dashboard(*, now):
    """Group held bazaars under the restriction holding them, with waiting counts."""
    held = [(bazaar, state) for bazaar, state in list_public_bazaars(now=now) if state.is_held]
    ids = [bazaar.id for bazaar, _state in held]
    interested = dict(
        db.session.execute(
            db.select(Interest.bazaar_id, db.func.count())
            .where(Interest.bazaar_id.in_(ids))
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


# --- interest list -----------------------------------------------------------------------


def subscribe(bazaar_id, *, now, user=None, email=None, mobile=None, locale="fa"):
    """Add someone to a bazaar's interest list; return (interest, created). No duplicates."""
    if user is None:
        email = normalize_email(email) or None
        mobile_clean = normalize_mobile(mobile) if mobile and mobile.strip() else None
        if mobile and mobile.strip() and mobile_clean is None:
            raise Invalid("account.invalid_mobile", field="contact")
        if email is not None and ("@" not in email or len(email) > 254):
            raise Invalid("account.invalid_email", field="contact")
        if email is None and mobile_clean is None:
            raise Invalid("account.identifier_required", field="contact")
        mobile = mobile_clean
    with write_transaction():
        bazaar = get_public_bazaar(bazaar_id)
        if bazaar.cancelled_at is not None:
            raise Conflict("bazaar.cancelled")
        if user is not None:
            clause = Interest.user_id == user.id
        elif email:
            clause = Interest.email == email
        else:
            clause = Interest.mobile == mobile
        existing = db.session.scalar(
            db.select(Interest).where(Interest.bazaar_id == bazaar.id, clause)
        )
        if existing is not None:
            return existing, False
        interest = Interest(
            bazaar_id=bazaar.id,
            user_id=user.id if user else None,
            email=None if user else email,
            mobile=None if user else mobile,
            locale=user.locale if user else locale,
            token=secrets.token_urlsafe(32),
            created_at=now,
        )
        db.session.add(interest)
        record_audit("bazaar.subscribe", bazaar, actor=user, now=now)
    return interest, True


def unsubscribe(token, *, now):
    """Remove an interest-list entry by its token; return the bazaar, or None if unknown."""
    with write_transaction():
        interest = db.session.scalar(db.select(Interest).where(Interest.token == token))
        if interest is None:
            return None
        bazaar = interest.bazaar_id
        db.session.delete(interest)
        record_audit("bazaar.unsubscribe", ("bazaars", bazaar), now=now)
    return db.session.get(Bazaar, bazaar)


def find_interest(bazaar_id, user):
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(Interest).where(Interest.bazaar_id == bazaar_id, Interest.user_id == user.id)
    )


def count_interest(bazaar_id):
    return db.session.scalar(
        db.select(db.func.count(Interest.id)).where(Interest.bazaar_id == bazaar_id)
    )
