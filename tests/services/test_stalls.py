"""Stall applications, allocation, confirmation and the waiting list, with `now` passed in."""

from datetime import date, timedelta

import pytest

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Category, StallType
from bazaar.services import restrictions, stalls
from bazaar.services.bazaars import planning
from tests.conftest import NOW, reference_ids


def food_and_craft(bazaar):
    food, craft = sorted(db.session.get(Bazaar, bazaar.id).stall_types, key=lambda s: s.id)
    return food, craft


def cats(*codes):
    ids = reference_ids(Category)
    return [ids[c] for c in codes or ("pickles",)]


def apply(vendor, bazaar, stall_type, now=NOW, categories=None):
    return stalls.apply_for_stall(
        vendor.user, bazaar.id, stall_type.id, categories or cats(), "ترشی", now=now
    )


def state(application):
    db.session.expire_all()
    return db.session.get(Application, application.id).state


def allocated(stall_type):
    db.session.expire_all()
    return db.session.get(StallType, stall_type.id).allocated


def test_first_come_allocates_until_full_then_waits_in_order(app, make_bazaar, make_vendor):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفهٔ غذا", 2, None, True)])
    (food,) = db.session.get(Bazaar, bazaar.id).stall_types
    apps = [apply(make_vendor(), bazaar, food) for _ in range(4)]
    assert [a.state for a in apps] == ["allocated", "allocated", "waiting", "waiting"]
    assert [a.position for a in apps[2:]] == [1, 2]
    assert allocated(food) == 2
    assert [a.reason for a in apps] == [
        {"key": "first_come"},
        {"key": "first_come"},
        {"key": "waiting", "position": 1},
        {"key": "waiting", "position": 2},
    ]
    assert stalls.explain(apps[3].reason) == (
        "همهٔ غرفه‌های این نوع پر بود؛ شما نفر ۲ فهرست انتظار هستید."  # Persian digits
    )


def test_decline_passes_the_stall_to_the_next_in_line_and_tells_them(app, make_bazaar, make_vendor):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفه", 1, None, True)])
    (food,) = db.session.get(Bazaar, bazaar.id).stall_types
    first, second, third = (apply(make_vendor(), bazaar, food) for _ in range(3))
    stalls.decline_stall(first.vendor.user, first.id, now=NOW)
    assert (state(first), state(second), state(third)) == ("declined", "allocated", "waiting")
    assert allocated(food) == 1
    promoted = db.session.get(Application, second.id)
    assert promoted.reason == {"key": "promoted"}
    assert promoted.confirm_by == NOW + timedelta(hours=48)


def test_confirm_before_the_deadline_only(app, make_bazaar, make_vendor):
    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    application = apply(make_vendor(), bazaar, food)
    with pytest.raises(Conflict) as caught:
        stalls.confirm_stall(application.vendor.user, application.id, now=NOW + timedelta(hours=49))
    assert caught.value.code == "stall.deadline_passed"
    stalls.confirm_stall(application.vendor.user, application.id, now=NOW + timedelta(hours=47))
    assert state(application) == "confirmed"


def test_missed_deadline_expires_and_promotes(app, make_bazaar, make_vendor):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفه", 1, None, False)])
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    late, next_one = apply(make_vendor(), bazaar, stall), apply(make_vendor(), bazaar, stall)
    assert stalls.expire_due(now=NOW + timedelta(hours=47)) == 0
    assert stalls.expire_due(now=NOW + timedelta(hours=49)) == 1
    assert (state(late), state(next_one)) == ("expired", "allocated")
    assert stalls.expire_due(now=NOW + timedelta(hours=49)) == 0


def test_withdraw_only_before_allocation(app, make_bazaar, make_vendor):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفه", 1, None, False)])
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    holder, waiting = apply(make_vendor(), bazaar, stall), apply(make_vendor(), bazaar, stall)
    with pytest.raises(Conflict) as caught:
        stalls.withdraw_application(holder.vendor.user, holder.id, now=NOW)
    assert caught.value.code == "stall.cannot_withdraw"
    assert state(holder) == "allocated"
    stalls.withdraw_application(waiting.vendor.user, waiting.id, now=NOW)
    assert state(waiting) == "withdrawn"
    assert allocated(stall) == 1  # withdrawing a waiting application frees nothing


def test_another_vendors_application_is_not_found(app, make_bazaar, make_vendor):
    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    application = apply(make_vendor(), bazaar, food)
    intruder = make_vendor().user
    for action in (stalls.confirm_stall, stalls.decline_stall, stalls.withdraw_application):
        with pytest.raises(NotFound):
            action(intruder, application.id, now=NOW)
    assert state(application) == "allocated"


def test_applying_twice_to_one_bazaar_is_refused(app, make_bazaar, make_vendor):
    bazaar = make_bazaar()
    food, craft = food_and_craft(bazaar)
    vendor = make_vendor()
    apply(vendor, bazaar, food)
    with pytest.raises(Conflict) as caught:
        apply(vendor, bazaar, craft)
    assert caught.value.code == "stall.already_applied"


@pytest.mark.parametrize(
    ("profile", "stall_index", "code"),
    [
        (
            {"health_id_expires_on": date(2026, 12, 1)},
            0,
            "stall.health_id_needed",
        ),  # expires before the bazaar
        ({"licence_expires_on": date(2026, 12, 1)}, 1, "stall.licence_expired"),
    ],
)
def test_papers_must_be_valid_on_the_bazaar_date(
    app, make_bazaar, make_vendor, profile, stall_index, code
):
    bazaar = make_bazaar()
    stall = food_and_craft(bazaar)[stall_index]
    with pytest.raises(Invalid) as caught:
        apply(make_vendor(**profile), bazaar, stall)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_craft_vendor_without_health_id_may_take_a_craft_table(app, make_bazaar, make_vendor):
    bazaar = make_bazaar()
    _, craft = food_and_craft(bazaar)
    vendor = make_vendor(field="handicrafts", health_id=None, health_id_expires_on=None)
    assert apply(vendor, bazaar, craft, categories=cats("pottery")).state == "allocated"


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_only_verified_vendors_apply(app, make_bazaar, make_vendor, status):
    bazaar = make_bazaar()
    with pytest.raises(Conflict) as caught:
        apply(make_vendor(status=status), bazaar, food_and_craft(bazaar)[0])
    assert caught.value.code == "stall.vendor_not_verified"
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_window_and_bazaar_state_gate_applications(app, make_bazaar, make_vendor, organiser):
    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    with pytest.raises(Conflict) as caught:
        apply(make_vendor(), bazaar, food, now=NOW + timedelta(days=17))
    assert caught.value.code == "stall.window_closed"
    planning.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
    with pytest.raises(Conflict) as caught:
        apply(make_vendor(), bazaar, food)
    assert caught.value.code == "stall.bazaar_closed"


def test_pre_registration_while_held_then_release_asks_to_reconfirm(
    app, make_bazaar, make_restriction, make_vendor, organiser
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    application = apply(make_vendor(), bazaar, food)
    stalls.confirm_stall(application.vendor.user, application.id, now=NOW)
    assert stalls.count_registered(bazaar.id) == 1
    later = NOW + timedelta(days=3)
    restrictions.lift_restriction(organiser, restriction.id, now=later)
    reconfirm = db.session.get(Application, application.id)
    assert (reconfirm.state, reconfirm.reason["key"]) == ("allocated", "reconfirm")
    assert reconfirm.confirm_by == later + timedelta(hours=48)


def test_cancelling_a_bazaar_ends_applications_and_frees_stalls(
    app, make_bazaar, make_vendor, organiser
):
    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    application = apply(make_vendor(), bazaar, food)
    planning.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
    assert state(application) == "cancelled"
    assert allocated(food) == 0


def test_lowering_a_count_below_allocated_is_refused(app, make_bazaar, make_vendor, organiser):
    bazaar = make_bazaar(publish=False, stalls=[planning.StallTypeData("غرفه", 3, None, False)])
    planning.publish_bazaar(organiser, bazaar.id, now=NOW)
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    for _ in range(2):
        apply(make_vendor(), bazaar, stall)
    item = db.session.get(Bazaar, bazaar.id)
    data = planning.BazaarData(
        title=item.title,
        venue_name=item.venue_name,
        county_id=item.county_id,
        day=date(2026, 12, 10),
        start=__import__("datetime").time(10, 0),
        end=__import__("datetime").time(18, 0),
        applications_open_on=date(2026, 10, 11),
        applications_close_on=date(2026, 12, 5),
    )
    with pytest.raises(Conflict) as caught:
        planning.update_bazaar(
            organiser, bazaar.id, data, [planning.StallTypeData("غرفه", 1, id=stall.id)], now=NOW
        )
    assert caught.value.code == "bazaar.count_below_allocated"
    planning.update_bazaar(
        organiser, bazaar.id, data, [planning.StallTypeData("غرفه", 2, id=stall.id)], now=NOW
    )
    assert db.session.get(StallType, stall.id).count == 2


def test_the_database_refuses_overbooking_even_past_the_service(app, make_bazaar):
    import sqlalchemy as sa

    bazaar = make_bazaar()
    food, _ = food_and_craft(bazaar)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.update(StallType).where(StallType.id == food.id).values(allocated=food.count + 1)
        )
        db.session.commit()
    db.session.rollback()


def test_organiser_removes_and_moves_allocations(app, make_bazaar, make_vendor, organiser):
    bazaar = make_bazaar(
        stalls=[
            planning.StallTypeData("غرفه", 1, None, False),
            planning.StallTypeData("میز", 1, None, False),
        ]
    )
    first_type, second_type = food_and_craft(bazaar)
    holder, waiting = (
        apply(make_vendor(), bazaar, first_type),
        apply(make_vendor(), bazaar, first_type),
    )
    stalls.move_allocation(organiser, holder.id, second_type.id, now=NOW)
    assert (allocated(first_type), allocated(second_type)) == (1, 1)
    assert state(waiting) == "allocated"  # the freed stall went to the waiting list
    with pytest.raises(Invalid) as caught:
        stalls.remove_allocation(organiser, holder.id, " ", now=NOW)
    assert caught.value.code == "vendor.reason_required"
    assert state(holder) == "allocated"
    stalls.remove_allocation(organiser, holder.id, "no-show last time", now=NOW)
    assert state(holder) == "removed"
    assert "no-show last time" in stalls.explain(db.session.get(Application, holder.id).reason)


def make_round(make_bazaar, count=1, caps=None):
    bazaar = make_bazaar(
        mode="round", stalls=[planning.StallTypeData("غرفه", count, None, False)], publish=False
    )
    if caps:
        db.session.get(Bazaar, bazaar.id).category_caps = []
        from bazaar.models import CategoryCap

        for category_id, max_stalls in caps.items():
            db.session.add(
                CategoryCap(bazaar_id=bazaar.id, category_id=category_id, max_stalls=max_stalls)
            )
        db.session.commit()
    planning.publish_bazaar(None, bazaar.id, now=NOW)
    return bazaar


AFTER_CLOSE = NOW + timedelta(days=16)


def test_allocation_round_is_explainable_and_repeatable(app, make_bazaar, make_vendor, organiser):
    bazaar = make_round(make_bazaar, count=2)
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    apps = [apply(make_vendor(), bazaar, stall) for _ in range(5)]
    assert {a.state for a in apps} == {"applied"}
    with pytest.raises(Conflict) as caught:
        stalls.run_round(organiser, bazaar.id, seed="1405", now=NOW)
    assert caught.value.code == "stall.window_still_open"
    assert {state(a) for a in apps} == {"applied"}
    ranked = stalls.run_round(
        organiser, bazaar.id, seed="1405", priorities=["first_time"], now=AFTER_CLOSE
    )
    order = stalls.lottery_order([a.id for a in apps], "1405")
    assert [a.id for a in ranked] == order  # nobody has priority over anyone: lottery order
    states = [state(a) for a in ranked]
    assert states == ["allocated", "allocated", "waiting", "waiting", "waiting"]
    first = db.session.get(Application, ranked[0].id)
    assert first.reason == {
        "key": "round_allocated",
        "priority": ["first_time"],
        "position": 1,
        "of": 5,
    }
    with pytest.raises(Conflict) as caught:
        stalls.run_round(organiser, bazaar.id, seed="1405", now=AFTER_CLOSE)
    assert caught.value.code == "stall.round_done"


def test_round_priority_puts_first_time_vendors_first(app, make_bazaar, make_vendor, organiser):
    earlier = make_bazaar(
        day=date(2026, 11, 30), stalls=[planning.StallTypeData("غرفه", 5, None, False)]
    )
    (earlier_stall,) = db.session.get(Bazaar, earlier.id).stall_types
    veterans = [make_vendor() for _ in range(3)]
    for vendor in veterans:
        apply(vendor, earlier, earlier_stall)
    bazaar = make_round(make_bazaar, count=1)
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    newcomer = make_vendor()
    apps = [apply(v, bazaar, stall) for v in veterans] + [apply(newcomer, bazaar, stall)]
    ranked = stalls.run_round(
        organiser, bazaar.id, seed="x", priorities=["first_time"], now=AFTER_CLOSE
    )
    assert ranked[0].vendor_id == newcomer.id
    assert state(apps[-1]) == "allocated"


def test_round_respects_category_caps(app, make_bazaar, make_vendor, organiser):
    pickles = cats("pickles")[0]
    bazaar = make_round(make_bazaar, count=3, caps={pickles: 1})
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    pickle_apps = [apply(make_vendor(), bazaar, stall, categories=[pickles]) for _ in range(3)]
    jam = apply(make_vendor(), bazaar, stall, categories=cats("jam-honey"))
    stalls.run_round(organiser, bazaar.id, seed="caps", now=AFTER_CLOSE)
    pickle_states = sorted(state(a) for a in pickle_apps)
    assert pickle_states == ["allocated", "waiting", "waiting"]
    assert state(jam) == "allocated"
    capped = [db.session.get(Application, a.id) for a in pickle_apps if state(a) == "waiting"]
    assert {a.reason["key"] for a in capped} == {"round_cap"}


def test_same_inputs_and_seed_give_the_same_result():
    assert stalls.lottery_order([5, 3, 9, 1], "seed") == stalls.lottery_order([1, 9, 3, 5], "seed")
    assert stalls.lottery_order(list(range(50)), "a") != stalls.lottery_order(list(range(50)), "b")
