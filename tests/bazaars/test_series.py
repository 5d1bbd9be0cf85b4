"""The series page: relative windows from the form; publish, cancel, reschedule after a preview."""

import re
from datetime import timedelta

import pytest

from bazaar.extensions import db
from bazaar.i18n import to_local
from bazaar.models import Bazaar, Role, Series
from tests.bazaars.test_manage import bazaar_form


def make_series_from_the_form(client):
    data = bazaar_form(
        repeat="y",
        weekdays=["4"],
        last_day="۱۴۰۶/۰۲/۱۵",
        opens_days_before="۲۱",
        closes_days_before="۷",
    )
    response = client.post("/bazaars/new", data=data)
    assert response.status_code == 302
    series = db.session.scalar(db.select(Series))
    assert response.headers["Location"] == f"/bazaars/series/{series.id}"
    bazaars = db.session.scalars(db.select(Bazaar).order_by(Bazaar.starts_at)).all()
    return series, bazaars


def steps(page):
    return re.findall(r'data-testid="series-step" data-skip="([^"]*)"', page)


def test_a_series_from_the_form_gets_windows_relative_to_each_date(client, login_as):
    login_as(Role.ORGANISER)
    _series, bazaars = make_series_from_the_form(client)
    assert len(bazaars) == 4
    for bazaar in bazaars:
        day = to_local(bazaar.starts_at).date()
        assert to_local(bazaar.applications_open_at).date() == day - timedelta(days=21)
        assert to_local(bazaar.applications_close_at).date() == day - timedelta(days=7)


@pytest.mark.parametrize(
    "window", [{"opens_days_before": "۷", "closes_days_before": "۱۰"}, {"opens_days_before": "۷"}]
)
def test_a_series_window_that_cannot_work_saves_nothing(client, login_as, window):
    login_as(Role.ORGANISER)
    data = bazaar_form(repeat="y", weekdays=["4"], last_day="۱۴۰۶/۰۲/۱۵", **window)
    response = client.post("/bazaars/new", data=data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0


def test_publish_the_whole_series_after_a_preview(client, login_as):
    login_as(Role.ORGANISER)
    series, bazaars = make_series_from_the_form(client)
    page = client.get(f"/bazaars/series/{series.id}").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    assert len(boxes) == 4
    assert all("checked" in box for box in boxes)  # every date chosen to start with
    choice = {"bazaar_ids": [str(b.id) for b in bazaars], "action": "publish", "shift_days": "0"}
    preview = client.post(f"/bazaars/series/{series.id}", data=choice)
    assert preview.status_code == 200
    assert steps(preview.get_data(as_text=True)) == ["", "", "", ""]
    assert all(db.session.get(Bazaar, b.id).published_at is None for b in bazaars)
    done = client.post(f"/bazaars/series/{series.id}", data={**choice, "confirm": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert all(db.session.get(Bazaar, b.id).published_at is not None for b in bazaars)


def test_the_reschedule_form_is_filled_with_the_current_values(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    page = client.get(f"/bazaars/{bazaar.id}/reschedule").get_data(as_text=True)
    assert 'value="۱۴۰۵/۰۹/۱۹"' in page
    assert 'value="10:00"' in page
    assert 'value="18:00"' in page
    series_page_times = client.get("/bazaars/series/999")
    assert series_page_times.status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"bazaar_ids": []},
        {"action": "cancel", "reason": ""},
        {"action": "dance"},
        {"action": "reschedule", "start": "", "end": ""},
        {"action": "reschedule", "start": "18:00", "end": "10:00"},
        {"action": "reschedule", "shift_days": "۹۹۹۹"},
        {"action": "reschedule", "shift_days": "abc"},
        {"bazaar_ids": ["999999"]},
    ],
)
def test_series_bad_input_changes_nothing(client, login_as, changes):
    login_as(Role.ORGANISER)
    series, bazaars = make_series_from_the_form(client)
    choice = {
        "bazaar_ids": [str(b.id) for b in bazaars],
        "action": "publish",
        "shift_days": "0",
        "start": "10:00",
        "end": "18:00",
        "confirm": "1",
        **changes,
    }
    response = client.post(f"/bazaars/series/{series.id}", data=choice)
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    db.session.expire_all()
    for bazaar in bazaars:
        fresh = db.session.get(Bazaar, bazaar.id)
        assert fresh.published_at is None
        assert fresh.cancelled_at is None
        assert fresh.starts_at == bazaar.starts_at


def test_citizens_cannot_change_a_series(client, login_as):
    login_as(Role.ORGANISER)
    series, bazaars = make_series_from_the_form(client)
    client.post("/accounts/logout")
    login_as(Role.CITIZEN)
    choice = {"bazaar_ids": [str(bazaars[0].id)], "action": "publish", "confirm": "1"}
    assert client.post(f"/bazaars/series/{series.id}", data=choice).status_code == 403
    assert db.session.get(Bazaar, bazaars[0].id).published_at is None


def test_reschedule_part_of_a_series_shows_the_new_dates_then_moves_them(client, login_as):
    login_as(Role.ORGANISER)
    series, bazaars = make_series_from_the_form(client)
    ids = [str(b.id) for b in bazaars]
    client.post(
        f"/bazaars/series/{series.id}",
        data={"bazaar_ids": ids, "action": "publish", "confirm": "1"},
    )
    choice = {
        "bazaar_ids": ids[:2],
        "action": "reschedule",
        "shift_days": "۱",
        "start": "17:00",
        "end": "22:00",
        "reason": "گرما",
    }
    preview = client.post(f"/bazaars/series/{series.id}", data=choice).get_data(as_text=True)
    # Friday 9 April 2027 (20 Farvardin 1406) moves to Saturday 21 Farvardin, 17:00–22:00.
    assert "۲۱ فروردین ۱۴۰۶، ۱۷:۰۰–۲۲:۰۰" in preview
    original = bazaars[0].starts_at
    before = db.session.get(Bazaar, bazaars[2].id).starts_at
    assert (
        client.post(f"/bazaars/series/{series.id}", data={**choice, "confirm": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    moved = db.session.get(Bazaar, bazaars[0].id)
    assert to_local(moved.starts_at).hour == 17
    assert moved.previous_starts_at == original
    assert db.session.get(Bazaar, bazaars[2].id).starts_at == before
