"""Planning bazaars: create (one or a weekly series), edit, publish, cancel, reschedule."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.i18n import local_zone
from bazaar.models import (
    AllocationMode,
    Application,
    Bazaar,
    Category,
    CategoryCap,
    Region,
    Series,
    StallType,
    Status,
)
from bazaar.services import stalls
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.gate import record_status_change, sync_holds
from bazaar.services.bazaars.listing import get_bazaar
from bazaar.text import normalize_search

MAX_STALL_TYPES = 10
MAX_SERIES_BAZAARS = 60


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
    # The id of the type being edited; None for a new one. Types are matched by id, never by
    # name, so a type with applications can be renamed.
    id: int | None = None
    closed: bool = False


def local_start(day, clock):
    """The moment a local date and time of day fall on."""
    return datetime.combine(day, clock, tzinfo=local_zone())


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
    names = set()
    for stall in stall_types:
        if not (stall.name or "").strip():
            raise Invalid("bazaar.stall_name_required", field="stall_types")
        # Names that read the same to a vendor (ي/ی, spacing, case) would confuse them.
        name = " ".join(normalize_search(stall.name).split())
        if name in names:
            raise Invalid(
                "bazaar.duplicate_stall_name", field="stall_types", name=stall.name.strip()
            )
        names.add(name)
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


def _has_applications(stall):
    query = db.select(Application.id).where(Application.stall_type_id == stall.id).limit(1)
    return db.session.scalar(query) is not None


def _match_stalls(bazaar, stall_types):
    """Pair each row with the type its id names (a new type when it has none).

    A type left out is deleted, unless it has applications (they point at it): then the
    edit is refused; the organiser closes it instead.
    """
    existing = {stall.id: stall for stall in bazaar.stall_types}
    pairs = []
    for data in stall_types:
        stall = StallType() if data.id is None else existing.pop(data.id, None)
        if stall is None:
            raise Invalid("bazaar.unknown_stall_type", field="stall_types")
        pairs.append((data, stall))
    for stall in existing.values():
        if _has_applications(stall):
            raise Conflict("bazaar.stall_type_in_use", field="stall_types", name=stall.name)
    return pairs


def _set_stalls(bazaar, stall_types, caps, now):
    kept = []
    for data, stall in _match_stalls(bazaar, stall_types):
        check_stall_count(stall, data.count)
        stall.name, stall.count = data.name.strip(), data.count
        stall.fee_toman, stall.is_food = data.fee_toman, data.is_food
        stall.closed_at = (stall.closed_at or now) if data.closed else None
        kept.append(stall)
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
        _set_stalls(bazaar, stall_types, caps, now)
        record_audit("bazaar.create", bazaar, actor=actor, now=now, title=bazaar.title)
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
        _set_stalls(bazaar, stall_types, caps, now)
        db.session.flush()
        for stall in bazaar.stall_types:
            # A raised count frees stalls: they go to the waiting list at once, in order.
            stalls.promote_next(stall.id, now)
        record_audit("bazaar.update", bazaar, actor=actor, now=now)
        sync_holds(now=now, actor=actor)
    return bazaar


def publish_bazaar(actor, bazaar_id, *, now):
    """Publish a draft: it becomes public, scheduled or at once held by a restriction."""
    with write_transaction():
        bazaar = get_bazaar(bazaar_id)
        if bazaar.published_at is not None:
            raise Conflict("bazaar.already_published")
        if bazaar.ends_at <= now:
            raise Conflict("bazaar.in_the_past", field="day")
        bazaar.published_at = now
        record_status_change(bazaar, Status.SCHEDULED, now, actor)
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
        record_status_change(bazaar, Status.CANCELLED, now, actor, reason=reason[:500])
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
        record_status_change(
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


def _series_window(opens_days_before, closes_days_before):
    """Check a series' relative window: both or neither; opens before it closes, before the day."""
    if opens_days_before is None and closes_days_before is None:
        return None
    if opens_days_before is None or closes_days_before is None:
        raise Invalid("bazaar.window_incomplete", field="closes_days_before")
    if not 1 <= closes_days_before < opens_days_before <= 365:
        raise Invalid("series.bad_window", field="closes_days_before")
    return timedelta(days=opens_days_before), timedelta(days=closes_days_before)


def create_series(
    actor,
    data,
    stall_types,
    *,
    weekdays,
    first_day,
    last_day,
    caps=None,
    now,
    opens_days_before=None,
    closes_days_before=None,
):
    """Create one draft bazaar per chosen weekday (0 = Monday … 6 = Sunday) between two days.

    With `opens_days_before` and `closes_days_before` each date gets its own application
    window, relative to that date; without them every date gets `data`'s window.
    """
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise Invalid("bazaar.weekdays_required", field="weekdays")
    if first_day is None or last_day is None or last_day < first_day:
        raise Invalid("bazaar.series_dates", field="last_day")
    window = _series_window(opens_days_before, closes_days_before)
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
            opens_days_before=opens_days_before if window else None,
            closes_days_before=closes_days_before if window else None,
            created_at=now,
        )
        db.session.add(series)
        created = []
        for day in days:
            data.day = day
            if window:
                data.applications_open_on = day - window[0]
                data.applications_close_on = day - window[1]
            created.append(
                create_bazaar(actor, data, stall_types, caps=caps, now=now, series=series)
            )
    return created
