"""Weekly series: windows relative to each date; publish, cancel, reschedule all or some at once."""

from datetime import date, time, timedelta

import pytest

from bazaar.errors import Invalid
from bazaar.extensions import db
from bazaar.i18n import to_local
from bazaar.models import Bazaar, Region, Series, StatusChange
from bazaar.services.bazaars import planning, series
from tests.conftest import NOW, reference_ids

SATURDAY = 5


def make_series(organiser, weeks=4, opens=21, closes=7):
    data = planning.BazaarData(
        title="بازارچهٔ شنبه‌ها",
        venue_name="بوستان علوی",
        county_id=reference_ids(Region)["qom"],
        day=None,
        start=time(10, 0),
        end=time(18, 0),
    )
    first = date(2026, 12, 12)  # a Saturday
    return planning.create_series(
        organiser,
        data,
        [planning.StallTypeData("غرفه", 4)],
        weekdays=[SATURDAY],
        first_day=first,
        last_day=first + timedelta(weeks=weeks - 1),
        now=NOW,
        opens_days_before=opens,
        closes_days_before=closes,
    )


def local_day(moment):
    return to_local(moment).date()


def test_each_date_gets_its_own_window_relative_to_it(app, organiser):
    created = make_series(organiser)
    assert len(created) == 4
    for bazaar in created:
        day = local_day(bazaar.starts_at)
        assert local_day(bazaar.applications_open_at) == day - timedelta(days=21)
        assert local_day(bazaar.applications_close_at) == day - timedelta(days=7)
    stored = db.session.scalar(db.select(Series))
    assert (stored.opens_days_before, stored.closes_days_before) == (21, 7)


@pytest.mark.parametrize(("opens", "closes"), [(7, 7), (5, 10), (10, 0), (10, None), (400, 7)])
def test_a_window_that_cannot_work_creates_nothing(app, organiser, opens, closes):
    with pytest.raises(Invalid):
        make_series(organiser, opens=opens, closes=closes)
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0


def test_publish_the_whole_series_in_one_step_as_the_preview_said(app, organiser):
    created = make_series(organiser)
    series_id = created[0].series_id
    planning.publish_bazaar(organiser, created[1].id, now=NOW)
    change = series.SeriesChange("publish", [b.id for b in created])
    preview = series.plan_series_change(series_id, change, now=NOW)
    assert [s.skip for s in preview] == [None, "series.skip_published", None, None]
    done = series.change_series(organiser, series_id, change, now=NOW)
    assert [(s.bazaar.id, s.skip) for s in done] == [(s.bazaar.id, s.skip) for s in preview]
    assert all(db.session.get(Bazaar, b.id).published_at is not None for b in created)
    # The one published before keeps its single "scheduled" line: nothing was done twice.
    lines = db.session.scalars(
        db.select(StatusChange.status).where(StatusChange.bazaar_id == created[1].id)
    ).all()
    assert lines == ["scheduled"]


def test_cancel_part_of_a_series_leaves_the_rest(app, organiser):
    created = make_series(organiser)
    series_id = created[0].series_id
    series.change_series(
        organiser, series_id, series.SeriesChange("publish", [b.id for b in created]), now=NOW
    )
    chosen = [created[2].id, created[3].id]
    series.change_series(
        organiser, series_id, series.SeriesChange("cancel", chosen, reason="تعمیر بوستان"), now=NOW
    )
    cancelled = [db.session.get(Bazaar, b.id).cancelled_at is not None for b in created]
    assert cancelled == [False, False, True, True]
    assert db.session.get(Bazaar, created[2].id).cancel_reason == "تعمیر بوستان"


def test_cancel_without_a_reason_or_without_dates_changes_nothing(app, organiser):
    created = make_series(organiser)
    series_id = created[0].series_id
    with pytest.raises(Invalid):
        series.change_series(
            organiser, series_id, series.SeriesChange("cancel", [created[0].id]), now=NOW
        )
    with pytest.raises(Invalid):
        series.change_series(
            organiser, series_id, series.SeriesChange("cancel", [], reason="x"), now=NOW
        )
    # A date of another series (or none) is not part of this one.
    with pytest.raises(Invalid):
        series.change_series(
            organiser, series_id, series.SeriesChange("cancel", [9999], reason="x"), now=NOW
        )
    assert all(db.session.get(Bazaar, b.id).cancelled_at is None for b in created)


def test_reschedule_moves_chosen_dates_as_previewed_and_keeps_the_previous_ones(app, organiser):
    created = make_series(organiser)
    series_id = created[0].series_id
    published = [b.id for b in created[:3]]
    series.change_series(organiser, series_id, series.SeriesChange("publish", published), now=NOW)
    before = {b.id: db.session.get(Bazaar, b.id).starts_at for b in created}
    change = series.SeriesChange(
        "reschedule",
        [b.id for b in created[1:]],
        shift_days=1,
        start=time(16, 0),
        end=time(21, 0),
        reason="گرما",
    )
    preview = series.plan_series_change(series_id, change, now=NOW)
    assert [s.skip for s in preview] == [None, None, "series.skip_draft"]
    series.change_series(organiser, series_id, change, now=NOW)
    for step in preview:
        bazaar = db.session.get(Bazaar, step.bazaar.id)
        if step.skip:
            assert bazaar.starts_at == before[bazaar.id]
            continue
        assert local_day(bazaar.starts_at) == step.new_day
        assert to_local(bazaar.starts_at).time() == time(16, 0)
        assert bazaar.previous_starts_at == before[bazaar.id]
    assert db.session.get(Bazaar, created[0].id).starts_at == before[created[0].id]


def test_reschedule_into_the_past_is_left_out(app, organiser):
    created = make_series(organiser, weeks=1)
    series_id = created[0].series_id
    ids = [created[0].id]
    series.change_series(organiser, series_id, series.SeriesChange("publish", ids), now=NOW)
    change = series.SeriesChange(
        "reschedule", ids, shift_days=-30, start=time(10, 0), end=time(12, 0)
    )
    (step,) = series.change_series(organiser, series_id, change, now=NOW)
    assert step.skip == "series.skip_into_past"
    assert db.session.get(Bazaar, created[0].id).previous_starts_at is None
