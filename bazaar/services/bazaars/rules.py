"""The status of a bazaar, its label and what it allows: pure functions of their arguments.

Nothing here reads the clock, the configuration or the database: callers pass `now` and the
local time zone (`bazaar.i18n.local_zone()` in the app).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from bazaar.models.bazaars import Status

# Iran's zone: only for callers that do not pass one yet (see derive_status).

# schema.org eventStatus for each status (past keeps the status it had).
SCHEMA_ORG = {
    Status.SCHEDULED: "https://schema.org/EventScheduled",
    Status.HELD: "https://schema.org/EventPostponed",
    Status.RESCHEDULED: "https://schema.org/EventRescheduled",
    Status.CANCELLED: "https://schema.org/EventCancelled",
    Status.PAST: "https://schema.org/EventScheduled",
    Status.DRAFT: "https://schema.org/EventScheduled",
}

# The one name of each status, in Persian and English: badges, history, feeds and statistics.
LABELS = {
    Status.DRAFT: ("پیش‌نویس", "Draft"),
    Status.SCHEDULED: ("برنامه‌ریزی‌شده", "Scheduled"),
    Status.HELD: ("در تعلیق", "Held"),
    Status.RESCHEDULED: ("تغییر زمان داده‌شده", "Rescheduled"),
    Status.CANCELLED: ("لغوشده", "Cancelled"),
    Status.PAST: ("گذشته", "Past"),
}

# Bootstrap colour of each status's badge.
COLOURS = {
    Status.DRAFT: "secondary",
    Status.SCHEDULED: "success",
    Status.HELD: "warning",
    Status.RESCHEDULED: "info",
    Status.CANCELLED: "danger",
    Status.PAST: "secondary",
}

# A bazaar that may still go ahead: people may wait for it and vendors may apply.
GOING_AHEAD = (Status.SCHEDULED, Status.HELD, Status.RESCHEDULED)


def label(status, language):
    """Return a status's name in `language` ("fa", otherwise English)."""
    fa, en = LABELS[Status(status)]
    return fa if language == "fa" else en


@dataclass(frozen=True)
class BazaarState:
    status: Status
    restriction: object = None  # the restriction that holds it (the earliest of them)
    restrictions: tuple = ()  # every restriction holding it
    previous_starts_at: datetime | None = None
    reason: str | None = None
    applications: str = "none"  # open, closed, not_yet, none

    @property
    def event_status(self):
        return SCHEMA_ORG[self.status]

    @property
    def is_held(self):
        return self.status == Status.HELD


def may_subscribe(state):
    """Tell whether people may join the bazaar's interest list (it may still go ahead)."""
    return state.status in GOING_AHEAD


def may_apply(state):
    """Tell whether vendors may apply for a stall now (a held bazaar takes pre-registrations)."""
    return state.status in GOING_AHEAD and state.applications in ("open", "none")


def may_change(state):
    """Tell whether organisers may still edit, reschedule or cancel the bazaar."""
    return state.status not in (Status.CANCELLED, Status.PAST)


def _day(moment, zone):
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def has_ended(restriction, now, zone):
    """Tell whether a restriction no longer applies: lifted, or past its end date."""
    if restriction.lifted_at is not None and restriction.lifted_at <= now:
        return True
    return restriction.ends_on is not None and _day(now, zone) > restriction.ends_on


def covers(restriction, bazaar, now, zone):
    """Tell whether a restriction in force at `now` bans gatherings on the bazaar's date and place.

    A province-wide restriction (no region) covers every county. A restriction announced to
    start later already covers a bazaar that falls inside its period.
    """
    if has_ended(restriction, now, zone):
        return False
    if restriction.region_id is not None and restriction.region_id != bazaar.county_id:
        return False
    day = _day(bazaar.starts_at, zone)
    return restriction.starts_on <= day and (
        restriction.ends_on is None or day <= restriction.ends_on
    )


def applications_state(bazaar, now):
    """Tell whether the application window is open, closed, not yet open, or not set."""
    if bazaar.applications_open_at is None or bazaar.applications_close_at is None:
        return "none"
    if now < bazaar.applications_open_at:
        return "not_yet"
    return "open" if now < bazaar.applications_close_at else "closed"


def derive_status(bazaar, restrictions, now, zone):
    """Return the bazaar's state at `now` given every restriction on record.

    `zone` is the province's time zone: a restriction's days and a bazaar's date are local.
    """
    if bazaar.published_at is None:
        return BazaarState(Status.DRAFT)
    if bazaar.cancelled_at is not None:
        return BazaarState(Status.CANCELLED, reason=bazaar.cancel_reason)
    holding = sorted(
        (r for r in restrictions if covers(r, bazaar, now, zone)),
        key=lambda r: (r.starts_on, r.id or 0),
    )
    applications = applications_state(bazaar, now)
    if holding:
        return BazaarState(
            Status.HELD,
            restriction=holding[0],
            restrictions=tuple(holding),
            previous_starts_at=bazaar.starts_at,
            applications=applications,
        )
    if now >= bazaar.ends_at:
        return BazaarState(Status.PAST, previous_starts_at=bazaar.previous_starts_at)
    if bazaar.previous_starts_at is not None:
        return BazaarState(
            Status.RESCHEDULED,
            previous_starts_at=bazaar.previous_starts_at,
            applications=applications,
        )
    return BazaarState(Status.SCHEDULED, applications=applications)
