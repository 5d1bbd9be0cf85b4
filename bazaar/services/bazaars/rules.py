"""The status of a bazaar, derived from the bazaar, the restrictions and `now`: pure functions."""

from dataclasses import dataclass
from datetime import datetime

from bazaar.i18n import local_date
from bazaar.models.bazaars import Status

# schema.org eventStatus for each status (past keeps the status it had).
SCHEMA_ORG = {
    Status.SCHEDULED: "https://schema.org/EventScheduled",
    Status.HELD: "https://schema.org/EventPostponed",
    Status.RESCHEDULED: "https://schema.org/EventRescheduled",
    Status.CANCELLED: "https://schema.org/EventCancelled",
    Status.PAST: "https://schema.org/EventScheduled",
    Status.DRAFT: "https://schema.org/EventScheduled",
}


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


def has_ended(restriction, now):
    """Tell whether a restriction no longer applies: lifted, or past its end date."""
    if restriction.lifted_at is not None and restriction.lifted_at <= now:
        return True
    return restriction.ends_on is not None and local_date(now) > restriction.ends_on


def covers(restriction, bazaar, now):
    """Tell whether a restriction in force at `now` bans gatherings on the bazaar's date and place.

    A province-wide restriction (no region) covers every county. A restriction announced to
    start later already covers a bazaar that falls inside its period.
    """
    if has_ended(restriction, now):
        return False
    if restriction.region_id is not None and restriction.region_id != bazaar.county_id:
        return False
    day = local_date(bazaar.starts_at)
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


def derive_status(bazaar, restrictions, now):
    """Return the bazaar's state at `now` given every restriction on record."""
    if bazaar.published_at is None:
        return BazaarState(Status.DRAFT)
    if bazaar.cancelled_at is not None:
        return BazaarState(Status.CANCELLED, reason=bazaar.cancel_reason)
    holding = sorted(
        (r for r in restrictions if covers(r, bazaar, now)), key=lambda r: (r.starts_on, r.id or 0)
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
