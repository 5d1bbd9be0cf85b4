"""Bazaar planning, the gate (hold and release, exactly once), history, interest lists."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.models import (
    Application,
    Bazaar,
    Category,
    Hold,
    Interest,
    Message,
    Region,
    StallType,
    Status,
    StatusChange,
)
from bazaar.services import restrictions, stalls
from bazaar.services.audit import list_audit
from bazaar.services.bazaars import gate, interest, listing, planning
from tests.conftest import NOW, confirmed_interest, reference_ids


def status(bazaar, now=NOW):
    return listing.state_of(db.session.get(Bazaar, bazaar.id), now).status


def history(bazaar):
    return [
        c.status
        for c in db.session.scalars(
            db.select(StatusChange)
            .where(StatusChange.bazaar_id == bazaar.id)
            .order_by(StatusChange.id)
        )
    ]


def messages_to(address, after=NOW):
    """Messages to an address queued after `after` (the sign-up's confirmation is at NOW)."""
    return db.session.scalars(
        db.select(Message).where(Message.recipient == address, Message.created_at > after)
    ).all()


def test_publishing_under_a_restriction_holds_the_bazaar(app, make_bazaar, make_restriction):
    make_restriction()
    bazaar = make_bazaar()
    assert status(bazaar) == Status.HELD
    assert history(bazaar) == ["scheduled", "held"]
    held = db.session.scalar(db.select(StatusChange).where(StatusChange.status == "held"))
    assert held.restriction_id is not None


def test_lifting_releases_and_notifies_exactly_once(
    app, make_bazaar, make_restriction, organiser, make_user
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    confirmed_interest(bazaar.id, now=NOW, email="ali@example.com", locale="en")
    citizen = make_user()
    interest.subscribe(bazaar.id, now=NOW, user=citizen)
    released = restrictions.lift_restriction(
        organiser, restriction.id, now=NOW + timedelta(hours=1)
    )
    assert [b.id for b in released] == [bazaar.id]
    assert status(bazaar, NOW + timedelta(hours=1)) == Status.SCHEDULED
    assert history(bazaar) == ["scheduled", "held", "scheduled"]
    # Running the sync again (late, twice) changes and sends nothing more.
    assert gate.sync_holds(now=NOW + timedelta(days=1)) == []
    assert gate.sync_holds(now=NOW + timedelta(days=1)) == []
    sent = messages_to("ali@example.com")
    assert len(sent) == 1
    assert "goes ahead" in sent[0].subject
    assert "/bazaars/unsubscribe/" in sent[0].body
    # The email carries the RFC 8058 one-click link: the same link, this person's token.
    token = db.session.scalar(db.select(Interest.token).where(Interest.email == "ali@example.com"))
    assert sent[0].list_unsubscribe.endswith(f"/bazaars/unsubscribe/{token}")
    assert sent[0].list_unsubscribe in sent[0].body
    assert (
        len(
            [
                m
                for m in db.session.scalars(db.select(Message).where(Message.user_id == citizen.id))
                if "/bazaars/" in m.body
            ]
        )
        == 1
    )


def test_release_by_end_date_happens_on_the_late_run_once(app, make_bazaar, make_restriction):
    make_restriction(ends_on=date(2026, 11, 25))
    bazaar = make_bazaar(day=date(2026, 12, 10))
    # The end date is after the bazaar? No: 25 Nov < 10 Dec, so the bazaar is not covered.
    assert status(bazaar) == Status.SCHEDULED
    long = make_restriction(reference="long", ends_on=date(2026, 12, 12))
    assert status(bazaar) == Status.HELD
    confirmed_interest(bazaar.id, now=NOW, mobile="۰۹۱۲۱۲۳۴۵۶۷")
    # Nobody ran release-due on the 13th; it runs on the 15th, twice.
    late = NOW + timedelta(days=25)
    assert [b.id for b in gate.sync_holds(now=late)] == [bazaar.id]
    assert gate.sync_holds(now=late + timedelta(minutes=1)) == []
    (sms,) = messages_to("09121234567")
    assert sms.list_unsubscribe is None  # a header only email has
    assert long.id in [h.restriction_id for h in db.session.scalars(db.select(Hold))]


def test_two_restrictions_lifting_in_the_same_minute_release_once(
    app, make_bazaar, make_restriction, organiser
):
    first, second = make_restriction(reference="A"), make_restriction(county=None, reference="B")
    bazaar = make_bazaar()
    confirmed_interest(bazaar.id, now=NOW, email="a@example.com")
    minute = NOW + timedelta(hours=2)
    assert restrictions.lift_restriction(organiser, first.id, now=minute) == []
    assert status(bazaar, minute) == Status.HELD
    assert [b.id for b in restrictions.lift_restriction(organiser, second.id, now=minute)] == [
        bazaar.id
    ]
    assert len(messages_to("a@example.com")) == 1
    assert history(bazaar) == ["scheduled", "held", "scheduled"]


def test_cancel_and_reschedule_keep_history(app, make_bazaar, organiser):
    bazaar = make_bazaar()
    planning.reschedule_bazaar(
        organiser, bazaar.id, date(2026, 12, 17), time(9, 0), time(17, 0), "weather", now=NOW
    )
    moved = db.session.get(Bazaar, bazaar.id)
    assert moved.previous_starts_at.date() == date(2026, 12, 10)
    assert status(bazaar) == Status.RESCHEDULED
    with pytest.raises(Invalid) as caught:
        planning.cancel_bazaar(organiser, bazaar.id, " ", now=NOW)
    assert caught.value.code == "bazaar.reason_required"
    planning.cancel_bazaar(organiser, bazaar.id, "The venue is closed", now=NOW)
    assert status(bazaar) == Status.CANCELLED
    assert history(bazaar) == ["scheduled", "rescheduled", "cancelled"]
    with pytest.raises(Conflict) as caught:
        planning.cancel_bazaar(organiser, bazaar.id, "again", now=NOW)
    assert caught.value.code == "bazaar.cancelled"
    actions = [e.action for e in list_audit(object_type="bazaars", object_id=bazaar.id)]
    assert "bazaar.reschedule" in actions
    assert "bazaar.cancel" in actions


def data(**changes):
    fields = {
        "title": "بازارچه",
        "venue_name": "بوستان",
        "county_id": reference_ids(Region)["qom"],
        "day": date(2026, 12, 10),
        "start": time(10, 0),
        "end": time(18, 0),
    }
    return planning.BazaarData(**{**fields, **changes})


STALLS = [planning.StallTypeData("غرفه", 3)]


@pytest.mark.parametrize(
    ("changes", "stalls", "code"),
    [
        ({"title": " "}, STALLS, "bazaar.title_required"),
        ({"end": time(9, 0)}, STALLS, "bazaar.end_before_start"),
        ({"day": None}, STALLS, "bazaar.date_required"),
        ({"county_id": 9999}, STALLS, "vendor.bad_county"),
        ({}, [], "bazaar.stall_types_required"),
        ({}, [planning.StallTypeData("غرفه", -1)], "bazaar.bad_stall_count"),
        ({}, [planning.StallTypeData("", 1)], "bazaar.stall_name_required"),
        ({}, [planning.StallTypeData("غرفه", 1, -5)], "bazaar.bad_fee"),
        ({"applications_open_on": date(2026, 12, 1)}, STALLS, "bazaar.window_incomplete"),
        (
            {
                "applications_open_on": date(2026, 12, 1),
                "applications_close_on": date(2026, 12, 20),
            },
            STALLS,
            "bazaar.window_dates",
        ),
    ],
)
def test_bad_bazaar_input_is_refused_and_saves_nothing(app, organiser, changes, stalls, code):
    with pytest.raises(Invalid) as caught:
        planning.create_bazaar(organiser, data(**changes), stalls, now=NOW)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0


def test_weekly_series_makes_one_bazaar_per_chosen_weekday(app, organiser):
    # Fridays (4) and Saturdays (5) from 1 to 31 December 2026.
    created = planning.create_series(
        organiser,
        data(),
        STALLS,
        weekdays=[4, 5],
        first_day=date(2026, 12, 1),
        last_day=date(2026, 12, 31),
        now=NOW,
    )
    days = sorted(b.starts_at.date() for b in created)
    assert len(days) == 8
    assert {d.weekday() for d in days} == {4, 5}
    assert len({b.series_id for b in created}) == 1
    with pytest.raises(Invalid) as caught:
        planning.create_series(
            organiser,
            data(),
            STALLS,
            weekdays=[],
            first_day=date(2026, 12, 1),
            last_day=date(2026, 12, 2),
            now=NOW,
        )
    assert caught.value.code == "bazaar.weekdays_required"


def test_published_date_changes_only_by_rescheduling(app, make_bazaar, organiser):
    bazaar = make_bazaar()
    with pytest.raises(Conflict) as caught:
        planning.update_bazaar(organiser, bazaar.id, data(day=date(2026, 12, 11)), STALLS, now=NOW)
    assert caught.value.code == "bazaar.use_reschedule"
    assert db.session.get(Bazaar, bazaar.id).starts_at.date() == date(2026, 12, 10)


def test_interest_list_has_no_duplicates_and_unsubscribes_by_token(app, make_bazaar, make_user):
    bazaar = make_bazaar()
    first, created = interest.subscribe(bazaar.id, now=NOW, email="A@Example.com")
    again, created_again = interest.subscribe(bazaar.id, now=NOW, email="a@example.com")
    assert (created, created_again, again.id) == (True, False, first.id)
    user = make_user()
    assert interest.subscribe(bazaar.id, now=NOW, user=user)[1] is True
    assert interest.subscribe(bazaar.id, now=NOW, user=user)[1] is False
    with pytest.raises(Invalid) as caught:
        interest.subscribe(bazaar.id, now=NOW, mobile="123")
    assert caught.value.code == "account.invalid_mobile"
    with pytest.raises(Invalid) as caught:
        interest.subscribe(bazaar.id, now=NOW)
    assert caught.value.code == "account.identifier_required"
    assert interest.unsubscribe(first.token, now=NOW).id == bazaar.id
    assert interest.unsubscribe(first.token, now=NOW) is None
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 1


def test_held_dashboard_groups_by_restriction(app, make_bazaar, make_restriction):
    restriction = make_restriction()
    bazaar = make_bazaar()
    make_bazaar(county="kahak")
    confirmed_interest(bazaar.id, now=NOW, email="x@example.com")
    groups = listing.held_dashboard(now=NOW)
    assert len(groups) == 1
    assert groups[0]["restriction"].id == restriction.id
    assert [(e["bazaar"].id, e["interested"], e["registered"]) for e in groups[0]["bazaars"]] == [
        (bazaar.id, 1, 0)
    ]


# --- stall types: matched by id; a type with applications is renamed or closed, never deleted


WINDOW = {"applications_open_on": date(2026, 10, 11), "applications_close_on": date(2026, 12, 5)}


def stall_types_of(bazaar):
    db.session.expire_all()
    return sorted(db.session.get(Bazaar, bazaar.id).stall_types, key=lambda s: s.id)


def row(stall, **changes):
    """The form's row for an existing type, as it is now, with changes."""
    fields = {"name": stall.name, "count": stall.count, "fee_toman": stall.fee_toman}
    fields |= {"is_food": stall.is_food, "id": stall.id, "closed": stall.is_closed}
    return planning.StallTypeData(**{**fields, **changes})


def edit(organiser, bazaar, rows, **changes):
    return planning.update_bazaar(organiser, bazaar.id, data(**WINDOW, **changes), rows, now=NOW)


def apply_for(vendor, bazaar, stall):
    pickles = [reference_ids(Category)["pickles"]]
    return stalls.apply_for_stall(vendor.user, bazaar.id, stall.id, pickles, "", now=NOW)


def test_renaming_a_type_with_applications_keeps_them_on_it(
    app, make_bazaar, make_vendor, organiser
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    application = apply_for(make_vendor(), bazaar, food)
    edit(organiser, bazaar, [row(food, name="غرفهٔ خوراکی", count=4), row(craft)])
    food_now, craft_now = stall_types_of(bazaar)
    assert (food_now.id, food_now.name, food_now.count) == (food.id, "غرفهٔ خوراکی", 4)
    assert craft_now.id == craft.id
    kept = db.session.get(Application, application.id)
    assert (kept.stall_type_id, kept.state) == (food.id, "allocated")
    assert kept.stall_type.name == "غرفهٔ خوراکی"


def test_removing_a_type_with_applications_is_refused_and_changes_nothing(
    app, make_bazaar, make_vendor, organiser
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    application = apply_for(make_vendor(), bazaar, food)
    with pytest.raises(Conflict) as caught:
        edit(organiser, bazaar, [row(craft, count=9)], title="عنوان تازه")
    assert caught.value.code == "bazaar.stall_type_in_use"
    assert "غرفهٔ غذا" in caught.value.message
    assert [(s.id, s.name, s.count) for s in stall_types_of(bazaar)] == [
        (food.id, "غرفهٔ غذا", 3),
        (craft.id, "میز صنایع دستی", 5),
    ]
    assert db.session.get(Bazaar, bazaar.id).title == "بازارچهٔ غذای خانگی"
    assert db.session.get(Application, application.id).stall_type_id == food.id


def test_removing_a_type_without_applications_deletes_it(app, make_bazaar, make_vendor, organiser):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    apply_for(make_vendor(), bazaar, food)
    edit(organiser, bazaar, [row(food), planning.StallTypeData("میز پارچه", 2)])
    kept, added = stall_types_of(bazaar)
    assert kept.id == food.id
    assert added.name == "میز پارچه"
    assert db.session.get(StallType, craft.id) is None


def test_a_closed_type_takes_no_new_applications_and_keeps_the_old_ones(
    app, make_bazaar, make_vendor, organiser
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    application = apply_for(make_vendor(), bazaar, food)
    edit(organiser, bazaar, [row(food, closed=True), row(craft)])
    closed, still_open = stall_types_of(bazaar)
    assert closed.closed_at == NOW
    assert closed.is_closed
    assert not still_open.is_closed
    with pytest.raises(Conflict) as caught:
        apply_for(make_vendor(), bazaar, closed)
    assert caught.value.code == "stall.type_closed"
    kept = db.session.get(Application, application.id)
    assert (kept.stall_type_id, kept.state) == (food.id, "allocated")
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 1
    # Another vendor still applies for the open type; reopening takes applications again.
    assert apply_for(make_vendor(), bazaar, still_open).state == "allocated"
    edit(organiser, bazaar, [row(closed, closed=False), row(still_open)])
    assert not stall_types_of(bazaar)[0].is_closed
    assert apply_for(make_vendor(), bazaar, closed).state == "allocated"


def test_the_round_allocates_a_closed_types_applications(app, make_bazaar, make_vendor, organiser):
    bazaar = make_bazaar(mode="round")
    food, craft = stall_types_of(bazaar)
    applications = [apply_for(make_vendor(), bazaar, food) for _ in range(2)]
    edit(organiser, bazaar, [row(food, closed=True), row(craft)], allocation_mode="round")
    after_close = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    stalls.run_round(organiser, bazaar.id, seed="1405", now=after_close)
    db.session.expire_all()
    assert {db.session.get(Application, a.id).state for a in applications} == {"allocated"}
    assert stall_types_of(bazaar)[0].allocated == 2


def test_an_id_from_another_bazaar_is_refused_and_changes_nothing(app, make_bazaar, organiser):
    bazaar, other = make_bazaar(), make_bazaar(title="دیگری")
    food, craft = stall_types_of(bazaar)
    foreign, _ = stall_types_of(other)
    for rows in (
        [row(food), row(craft), row(foreign, name="ربوده")],
        [row(food), row(craft, id=food.id)],  # the same id twice
    ):
        with pytest.raises(Invalid) as caught:
            edit(organiser, bazaar, rows)
        assert (caught.value.code, caught.value.params["field"]) == (
            "bazaar.unknown_stall_type",
            "stall_types",
        )
    assert [s.id for s in stall_types_of(bazaar)] == [food.id, craft.id]
    assert stall_types_of(other)[0].name == "غرفهٔ غذا"
    assert stall_types_of(other)[0].bazaar_id == other.id
    with pytest.raises(Invalid):  # a new bazaar has no types to name
        planning.create_bazaar(organiser, data(), [row(food)], now=NOW)


@pytest.mark.parametrize("twin", ["غرفه", " غرفه ", "غرفة", "غرفه\u200c"])
def test_two_stall_types_with_the_same_name_are_refused(app, make_bazaar, organiser, twin):
    with pytest.raises(Invalid) as caught:
        planning.create_bazaar(
            organiser,
            data(),
            [planning.StallTypeData("غرفه", 1), planning.StallTypeData(twin, 2)],
            now=NOW,
        )
    assert (caught.value.code, caught.value.params["field"]) == (
        "bazaar.duplicate_stall_name",
        "stall_types",
    )
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    with pytest.raises(Invalid) as caught:
        edit(organiser, bazaar, [row(food), row(craft, name="غرفهٔ غذا")])
    assert caught.value.code == "bazaar.duplicate_stall_name"
    assert stall_types_of(bazaar)[1].name == "میز صنایع دستی"
