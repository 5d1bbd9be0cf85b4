"""The derived status of a bazaar, its label and what it allows: pure functions, no app.

No test here takes the `app` fixture: the rules read no configuration, clock or database.
"""

from datetime import UTC, date, datetime
from types import SimpleNamespace as R
from zoneinfo import ZoneInfo

import pytest

from bazaar.models.bazaars import Status
from bazaar.services.bazaars.rules import (
    BazaarState,
    covers,
    derive_status,
    has_ended,
    label,
    may_apply,
    may_change,
    may_subscribe,
)

TEHRAN = ZoneInfo("Asia/Tehran")
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
def test_derive_status(case, item, restrictions, expected):
    assert derive_status(item, restrictions, NOW, TEHRAN).status == expected


def test_held_state_names_the_earliest_restriction_and_keeps_the_planned_date():
    later, earlier = (
        restriction(2, starts_on=date(2026, 11, 10)),
        restriction(3, region_id=None, starts_on=date(2026, 11, 2)),
    )
    state = derive_status(bazaar(), [later, earlier], NOW, TEHRAN)
    assert state.restriction is earlier
    assert [r.id for r in state.restrictions] == [3, 2]
    assert state.previous_starts_at == bazaar().starts_at
    assert state.event_status == "https://schema.org/EventPostponed"


def test_cancelled_state_carries_the_reason():
    state = derive_status(bazaar(cancelled_at=NOW, cancel_reason="Flood"), [], NOW, TEHRAN)
    assert (state.reason, state.event_status) == ("Flood", "https://schema.org/EventCancelled")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 10, 31, tzinfo=UTC), "not_yet"),
        (datetime(2026, 11, 20, tzinfo=UTC), "open"),
        (datetime(2026, 12, 2, tzinfo=UTC), "closed"),
    ],
)
def test_applications_window_even_while_held(now, expected):
    assert derive_status(bazaar(), [restriction()], now, TEHRAN).applications == expected


def test_end_date_counts_in_tehran_time():
    # 20:30 UTC on the 5th is already the 6th in Tehran (UTC+03:30): a restriction ending on
    # the 5th no longer applies.
    late = datetime(2026, 12, 5, 20, 30, tzinfo=UTC)
    assert not covers(restriction(ends_on=date(2026, 12, 5)), bazaar(), late, TEHRAN)
    assert covers(restriction(ends_on=date(2026, 12, 10)), bazaar(), late, TEHRAN)
    # The zone passed in decides, not a configuration: at the same moment it is still the 5th
    # in UTC, so there the restriction has not ended.
    assert has_ended(restriction(ends_on=date(2026, 12, 5)), late, TEHRAN)
    assert not has_ended(restriction(ends_on=date(2026, 12, 5)), late, UTC)


def test_a_bazaar_day_is_its_local_day():
    # 22:00 UTC on 9 December is 01:30 on the 10th in Tehran: a restriction from the 10th holds it.
    night = bazaar(
        starts_at=datetime(2026, 12, 9, 22, tzinfo=UTC),
        ends_at=datetime(2026, 12, 9, 23, tzinfo=UTC),
    )
    from_tenth = restriction(starts_on=date(2026, 12, 10))
    assert derive_status(night, [from_tenth], NOW, TEHRAN).status == Status.HELD
    assert derive_status(night, [from_tenth], NOW, UTC).status == Status.SCHEDULED


def test_has_ended_when_lifted_or_past_its_last_day():
    assert has_ended(restriction(lifted_at=NOW), NOW, TEHRAN)
    assert not has_ended(restriction(ends_on=date(2026, 11, 20)), NOW, TEHRAN)
    assert has_ended(restriction(ends_on=date(2026, 11, 19)), NOW, TEHRAN)


@pytest.mark.parametrize(
    ("status", "fa", "en"),
    [
        (Status.DRAFT, "پیش‌نویس", "Draft"),
        (Status.SCHEDULED, "برنامه‌ریزی‌شده", "Scheduled"),
        (Status.HELD, "در تعلیق", "Held"),
        (Status.RESCHEDULED, "تغییر زمان داده‌شده", "Rescheduled"),
        (Status.CANCELLED, "لغوشده", "Cancelled"),
        (Status.PAST, "گذشته", "Past"),
    ],
)
def test_every_status_has_one_label_per_language(status, fa, en):
    assert (label(status, "fa"), label(status, "en"), label(status.value, "en")) == (fa, en, en)


@pytest.mark.parametrize(
    ("status", "applications", "subscribe", "apply", "change"),
    [
        (Status.SCHEDULED, "open", True, True, True),
        (Status.SCHEDULED, "none", True, True, True),
        (Status.SCHEDULED, "closed", True, False, True),
        (Status.SCHEDULED, "not_yet", True, False, True),
        (Status.HELD, "open", True, True, True),
        (Status.RESCHEDULED, "open", True, True, True),
        (Status.CANCELLED, "none", False, False, False),
        (Status.PAST, "none", False, False, False),
        (Status.DRAFT, "none", False, False, True),
    ],
)
def test_what_each_state_allows(status, applications, subscribe, apply, change):
    state = BazaarState(status, applications=applications)
    assert (may_subscribe(state), may_apply(state), may_change(state)) == (subscribe, apply, change)
