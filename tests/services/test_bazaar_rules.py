"""The derived status of a bazaar: a pure function of the bazaar, the restrictions and now."""

from datetime import UTC, date, datetime
from types import SimpleNamespace as R

import pytest

from bazaar.models.bazaars import Status
from bazaar.services.bazaars.rules import covers, derive_status

QOM, KAHAK = 1, 10
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # 29 Aban 1405, Tehran morning


def bazaar(**changes):
    fields = {
        "id": 1,
        "county_id": QOM,
        "starts_at": datetime(2026, 12, 10, 6, 30, tzinfo=UTC),  # 19 Azar, 10:00 in Tehran
        "ends_at": datetime(2026, 12, 10, 14, 30, tzinfo=UTC),
        "published_at": datetime(2026, 11, 1, tzinfo=UTC),
        "cancelled_at": None,
        "cancel_reason": None,
        "previous_starts_at": None,
        "applications_open_at": datetime(2026, 11, 1, tzinfo=UTC),
        "applications_close_at": datetime(2026, 12, 1, tzinfo=UTC),
    }
    return R(**{**fields, **changes})


def restriction(id=1, region_id=QOM, starts_on=date(2026, 11, 1), ends_on=None, lifted_at=None):
    return R(id=id, region_id=region_id, starts_on=starts_on, ends_on=ends_on, lifted_at=lifted_at)


CASES = [
    ("no restriction", bazaar(), [], Status.SCHEDULED),
    ("county restriction until further notice", bazaar(), [restriction()], Status.HELD),
    ("another county's restriction", bazaar(), [restriction(region_id=KAHAK)], Status.SCHEDULED),
    ("province-wide restriction", bazaar(), [restriction(region_id=None)], Status.HELD),
    (
        "restriction ends before the bazaar",
        bazaar(),
        [restriction(ends_on=date(2026, 12, 5))],
        Status.SCHEDULED,
    ),
    (
        "restriction ends on the bazaar's day",
        bazaar(),
        [restriction(ends_on=date(2026, 12, 10))],
        Status.HELD,
    ),
    (
        "restriction starts after the bazaar",
        bazaar(),
        [restriction(starts_on=date(2026, 12, 11))],
        Status.SCHEDULED,
    ),
    (
        "announced restriction starts before it",
        bazaar(),
        [restriction(starts_on=date(2026, 12, 1))],
        Status.HELD,
    ),
    (
        "lifted restriction",
        bazaar(),
        [restriction(lifted_at=datetime(2026, 11, 19, tzinfo=UTC))],
        Status.SCHEDULED,
    ),
    (
        "lifted later than now",
        bazaar(),
        [restriction(lifted_at=datetime(2026, 11, 25, tzinfo=UTC))],
        Status.HELD,
    ),
    (
        "expired by its end date",
        bazaar(
            starts_at=datetime(2026, 11, 18, tzinfo=UTC),
            ends_at=datetime(2026, 11, 18, 5, tzinfo=UTC),
        ),
        [restriction(ends_on=date(2026, 11, 19))],
        Status.PAST,
    ),
    (
        "overlapping: one lifted, one still in force",
        bazaar(),
        [
            restriction(1, lifted_at=datetime(2026, 11, 19, tzinfo=UTC)),
            restriction(2, region_id=None),
        ],
        Status.HELD,
    ),
    (
        "cancelled beats held",
        bazaar(cancelled_at=NOW, cancel_reason="rain"),
        [restriction()],
        Status.CANCELLED,
    ),
    (
        "rescheduled",
        bazaar(previous_starts_at=datetime(2026, 12, 3, tzinfo=UTC)),
        [],
        Status.RESCHEDULED,
    ),
    (
        "rescheduled and held",
        bazaar(previous_starts_at=datetime(2026, 12, 3, tzinfo=UTC)),
        [restriction()],
        Status.HELD,
    ),
    ("draft", bazaar(published_at=None), [restriction()], Status.DRAFT),
    (
        "past",
        bazaar(
            starts_at=datetime(2026, 11, 1, tzinfo=UTC),
            ends_at=datetime(2026, 11, 1, 8, tzinfo=UTC),
        ),
        [],
        Status.PAST,
    ),
]


@pytest.mark.parametrize(
    ("case", "item", "restrictions", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_derive_status(app, case, item, restrictions, expected):
    assert derive_status(item, restrictions, NOW).status == expected


def test_held_state_names_the_earliest_restriction_and_keeps_the_planned_date(app):
    later, earlier = (
        restriction(2, starts_on=date(2026, 11, 10)),
        restriction(3, region_id=None, starts_on=date(2026, 11, 2)),
    )
    state = derive_status(bazaar(), [later, earlier], NOW)
    assert state.restriction is earlier
    assert [r.id for r in state.restrictions] == [3, 2]
    assert state.previous_starts_at == bazaar().starts_at
    assert state.event_status == "https://schema.org/EventPostponed"


def test_cancelled_state_carries_the_reason(app):
    state = derive_status(bazaar(cancelled_at=NOW, cancel_reason="Flood"), [], NOW)
    assert (state.reason, state.event_status) == ("Flood", "https://schema.org/EventCancelled")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 10, 31, tzinfo=UTC), "not_yet"),
        (datetime(2026, 11, 20, tzinfo=UTC), "open"),
        (datetime(2026, 12, 2, tzinfo=UTC), "closed"),
    ],
)
def test_applications_window_even_while_held(app, now, expected):
    assert derive_status(bazaar(), [restriction()], now).applications == expected


def test_end_date_counts_in_tehran_time(app):
    # 20:30 UTC on the 5th is already the 6th in Tehran (UTC+03:30): a restriction ending on
    # the 5th no longer applies.
    late = datetime(2026, 12, 5, 20, 30, tzinfo=UTC)
    assert not covers(restriction(ends_on=date(2026, 12, 5)), bazaar(), late)
    assert covers(restriction(ends_on=date(2026, 12, 10)), bazaar(), late)
