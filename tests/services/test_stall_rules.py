"""What each stall application state allows: pure functions of the application and `now`."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace as A

import pytest

from bazaar.models.stalls import AppState
from bazaar.services.stalls import rules

NOW = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
EVERY_STATE = [state.value for state in AppState]


def application(state, confirm_by=None, vendor_status="verified"):
    return A(state=state, confirm_by=confirm_by, vendor=A(status=vendor_status))


def allowed(predicate):
    """Return the states whose application the predicate answers yes for."""
    return {state for state in EVERY_STATE if predicate(application(state, NOW))}


def test_allocated_and_confirmed_hold_a_stall_and_nothing_else_does():
    assert allowed(rules.holds_stall) == {"allocated", "confirmed"}


def test_active_states_are_the_undecided_and_the_holders():
    assert allowed(rules.is_active) == {"applied", "waiting", "allocated", "confirmed"}


def test_an_allocated_stall_may_be_confirmed_until_its_deadline_inclusive():
    deadline = NOW + timedelta(hours=48)
    assert rules.may_confirm(application("allocated", deadline), now=NOW)
    assert rules.may_confirm(application("allocated", deadline), now=deadline)
    assert not rules.may_confirm(application("allocated", deadline), deadline + timedelta(0, 1))


@pytest.mark.parametrize("state", [s for s in EVERY_STATE if s != "allocated"])
def test_only_an_allocated_stall_may_be_confirmed(state):
    assert not rules.may_confirm(application(state, NOW + timedelta(days=1)), NOW)
    assert not rules.awaits_confirmation(application(state))


def test_a_vendor_declines_a_held_stall_and_withdraws_only_before_one_is_given():
    assert allowed(rules.may_decline) == {"allocated", "confirmed"}
    assert allowed(rules.may_withdraw) == {"applied", "waiting"}


@pytest.mark.parametrize("status", ["suspended", "rejected", "pending", "draft"])
def test_a_vendor_not_verified_may_neither_confirm_nor_decline(status):
    deadline = NOW + timedelta(hours=48)
    for state in ("allocated", "confirmed"):
        held = application(state, deadline, vendor_status=status)
        assert not rules.in_good_standing(held)
        assert not rules.may_confirm(held, NOW)
        assert not rules.may_decline(held)
        assert rules.may_remove(held)  # the organisers still may
    assert rules.in_good_standing(application("allocated", deadline))


def test_organisers_remove_and_move_only_held_stalls():
    assert allowed(rules.may_remove) == {"allocated", "confirmed"}
    assert allowed(rules.may_move) == {"allocated", "confirmed"}


def test_only_the_waiting_list_shows_a_position():
    assert allowed(rules.is_waiting) == {"waiting"}


def test_every_state_has_its_own_label_and_a_tone():
    # Outside an app the labels are their English source text.
    labels = [str(rules.label(application(state))) for state in EVERY_STATE]
    assert len(set(labels)) == len(EVERY_STATE)
    assert labels[EVERY_STATE.index("waiting")] == "On the waiting list"
    tones = {state: rules.tone(application(state)) for state in EVERY_STATE}
    assert tones["confirmed"] == "success"
    assert tones["allocated"] == "warning"
    assert {tones[s] for s in EVERY_STATE if s not in ("confirmed", "allocated")} == {"secondary"}


def test_stall_numbers_count_only_the_stalls_held_in_the_order_given():
    given = [
        A(id=7, state=AppState.CONFIRMED.value),
        A(id=3, state=AppState.WAITING.value),
        A(id=5, state=AppState.ALLOCATED.value),
        A(id=9, state=AppState.DECLINED.value),
        A(id=4, state=AppState.CONFIRMED.value),
    ]
    assert rules.stall_numbers(given) == {7: 1, 5: 2, 4: 3}
