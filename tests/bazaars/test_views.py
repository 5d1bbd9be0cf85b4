"""Bazaar and restriction pages: public pages, feeds, forms with bad input."""

import json
import re

import pytest

from bazaar.extensions import db
from bazaar.models import Bazaar, Interest, Region, Restriction, Role, StatusChange
from bazaar.services.bazaars import service
from tests.conftest import NOW, reference_ids


def bazaar_form(**changes):
    data = {
        "title": "بازارچهٔ یلدا",
        "venue_name": "بوستان علوی",
        "county_id": str(reference_ids(Region)["qom"]),
        "day": "۱۴۰۶/۰۱/۱۵",
        "start": "16:00",
        "end": "21:00",
        "applications_open_on": "",
        "applications_close_on": "",
        "allocation_mode": "first_come",
        "confirm_hours": "۴۸",
        "stall_types-0-name": "غرفهٔ غذا",
        "stall_types-0-count": "۱۲",
        "stall_types-0-fee_toman": "۳۰۰٬۰۰۰",
        "stall_types-0-is_food": "y",
    }
    return {**data, **changes}


def test_organiser_creates_and_publishes_a_bazaar_with_jalali_dates(client, login_as):
    login_as(Role.ORGANISER)
    response = client.post("/bazaars/new", data=bazaar_form())
    assert response.status_code == 302
    bazaar = db.session.scalar(db.select(Bazaar))
    assert (
        bazaar.starts_at.isoformat() == "2027-04-04T12:30:00+00:00"
    )  # 16:00 in Tehran, 15 Farvardin 1406
    (stall,) = bazaar.stall_types
    assert (stall.count, stall.fee_toman, stall.is_food) == (12, 300_000, True)
    assert client.get(f"/bazaars/{bazaar.id}").status_code == 404  # a draft is not public yet
    assert client.post(f"/bazaars/{bazaar.id}/publish").status_code == 302
    assert "برنامه‌ریزی‌شده" in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "۱۴۰۴/۱۲/۳۰"}, "یک تاریخ شمسی موجود"),  # Esfand 1404 has 29 days
        ({"end": "15:00"}, "ساعت پایان باید پس از ساعت شروع"),
        ({"stall_types-0-count": "-3"}, "invalid-feedback"),
        ({"stall_types-0-name": ""}, "دست‌کم یک نوع غرفه"),
        ({"title": ""}, "invalid-feedback"),
        ({"applications_open_on": "۱۴۰۶/۰۱/۰۱"}, "هم روز شروع و هم روز پایان"),
        ({"county_id": "999"}, "invalid-feedback"),
        ({"repeat": "y", "weekdays": [], "last_day": "۱۴۰۶/۰۲/۱۵"}, "دست‌کم یک روز هفته"),
    ],
)
def test_bazaar_form_bad_input_is_explained_and_saves_nothing(client, login_as, changes, message):
    login_as(Role.ORGANISER)
    response = client.post("/bazaars/new", data=bazaar_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0


def test_weekly_series_from_the_form(client, login_as):
    login_as(Role.ORGANISER)
    data = bazaar_form(repeat="y", weekdays=["4"], last_day="۱۴۰۶/۰۲/۱۵")  # Fridays, a month
    assert client.post("/bazaars/new", data=data).status_code == 302
    # Fridays from 15 Farvardin (4 April 2027) to 15 Ordibehesht 1406 (5 May): 9, 16, 23, 30 April.
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 4


def test_citizens_cannot_plan_bazaars(client, login_as):
    login_as(Role.CITIZEN)
    assert client.get("/bazaars/new").status_code == 403
    assert client.post("/restrictions/new").status_code == 403


def restriction_form(**changes):
    data = {
        "body": "ستاد استانی",
        "reference": "۱۴۰۵/۳۱۲",
        "decided_on": "۱۴۰۵/۰۸/۰۱",
        "region_id": str(reference_ids(Region)["qom"]),
        "starts_on": "۱۴۰۵/۰۸/۰۲",
        "ends_on": "",
        "note": "",
    }
    return {**data, **changes}


def test_recording_a_restriction_holds_bazaars_and_the_page_says_why(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert client.post("/restrictions/new", data=restriction_form()).status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert (
        "در تعلیق: تجمع در قم به موجب مصوبهٔ ۱۴۰۵/۳۱۲ ستاد استانی از ۲ آبان ۱۴۰۵ ممنوع است." in page
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["previousStartDate"].startswith("2026-12-10")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "۱۴۰۵/۰۷/۰۱"}, "تاریخ پایان نباید پیش از تاریخ شروع"),
        ({"starts_on": "۱۴۰۵/۰۲/۳۲"}, "یک تاریخ شمسی موجود"),
        ({"reference": ""}, "invalid-feedback"),
        ({"region_id": "999"}, "invalid-feedback"),
    ],
)
def test_restriction_bad_input_saves_nothing(client, login_as, changes, message):
    login_as(Role.ORGANISER)
    response = client.post("/restrictions/new", data=restriction_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0


def test_restriction_document_must_be_a_pdf_or_image(client, login_as):
    import io

    login_as(Role.ORGANISER)
    bad = restriction_form(document=(io.BytesIO(b"<html>not a pdf</html>"), "decision.pdf"))
    response = client.post("/restrictions/new", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    good = restriction_form(document=(io.BytesIO(pdf), "decision.pdf"))
    assert (
        client.post("/restrictions/new", data=good, content_type="multipart/form-data").status_code
        == 302
    )
    restriction = db.session.scalar(db.select(Restriction))
    download = client.get(f"/restrictions/{restriction.id}/document")
    assert download.data == pdf
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()


def test_lifting_from_the_page_releases_the_bazaar(client, login_as, make_bazaar, make_restriction):
    restriction = make_restriction()
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert bazaar.title in client.get(f"/restrictions/{restriction.id}/lift").get_data(as_text=True)
    response = client.post(f"/restrictions/{restriction.id}/lift", follow_redirects=True)
    assert "۱ بازارچه برگزار می‌شود" in response.get_data(as_text=True)
    assert [
        c.status
        for c in db.session.scalars(
            db.select(StatusChange).where(StatusChange.bazaar_id == bazaar.id)
        )
    ][-1] == "scheduled"
    again = client.post(f"/restrictions/{restriction.id}/lift", follow_redirects=True)
    assert "قبلاً رفع شده" in again.get_data(as_text=True)


def test_setting_an_impossible_end_date_is_refused(client, login_as, make_restriction):
    restriction = make_restriction()
    login_as(Role.ORGANISER)
    response = client.post(
        f"/restrictions/{restriction.id}/end", data={"ends_on": "۱۴۰۴/۱۲/۳۰"}, follow_redirects=True
    )
    assert "یک تاریخ شمسی موجود" in response.get_data(as_text=True)
    assert db.session.get(Restriction, restriction.id).ends_on is None


def test_citizen_subscribes_once_and_unsubscribes_with_one_click(
    client, make_bazaar, make_restriction
):
    make_restriction()
    bazaar = make_bazaar()
    client.post(f"/bazaars/{bazaar.id}/interest", data={"contact": "ali@example.com"})
    again = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "ALI@example.com"}, follow_redirects=True
    )
    assert "از قبل در فهرست" in again.get_data(as_text=True)
    bad = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "0912"}, follow_redirects=True
    )
    assert "شمارهٔ همراه ایرانی" in bad.get_data(as_text=True)
    token = db.session.scalar(db.select(Interest.token))
    assert client.get(f"/bazaars/unsubscribe/{token}").status_code == 200
    assert client.get(f"/bazaars/unsubscribe/{token}").status_code == 404
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 0


def test_signed_in_user_subscribes_with_one_click(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    user = login_as()
    client.post(f"/bazaars/{bazaar.id}/interest", data={})
    assert db.session.scalar(db.select(Interest)).user_id == user.id


def test_cancel_needs_a_reason_and_reschedule_keeps_the_previous_date(
    client, login_as, make_bazaar
):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": ""}).status_code == 400
    bad = client.post(
        f"/bazaars/{bazaar.id}/reschedule",
        data={"day": "۱۴۰۴/۱۲/۳۰", "start": "10:00", "end": "18:00"},
    )
    assert bad.status_code == 400
    good = client.post(
        f"/bazaars/{bazaar.id}/reschedule",
        data={"day": "۱۴۰۵/۱۰/۰۳", "start": "10:00", "end": "18:00"},
    )
    assert good.status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert "زمان از ۱۹ آذر ۱۴۰۵" in page
    assert client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": "سیل"}).status_code == 302
    assert "لغو شد: سیل" in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)


def test_ical_feed_says_tentative_then_cancelled(
    client, login_as, make_bazaar, make_restriction, organiser
):
    bazaar = make_bazaar()
    make_restriction()
    feed = client.get(f"/bazaars/{bazaar.id}.ics")
    assert feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "STATUS:TENTATIVE" in body
    assert f"UID:bazaar-{bazaar.id}@" in body
    service.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
    body = client.get("/bazaars/all.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in body
    assert "SEQUENCE:3" in body  # scheduled, held, cancelled


def test_list_and_calendar_filter_by_county(client, make_bazaar):
    make_bazaar(title="قم")
    make_bazaar(county="kahak", title="کهک")
    kahak = reference_ids(Region)["kahak"]
    page = client.get(f"/bazaars/?county={kahak}").get_data(as_text=True)
    assert ">کهک</a>" in page
    assert ">قم</a>" not in page
    calendar = client.get("/bazaars/calendar?year=1405&month=9").get_data(as_text=True)
    assert "آذر ۱۴۰۵" in calendar
    assert ">قم</a>" in calendar
    assert client.get("/bazaars/calendar?year=1405&month=13").status_code == 404


def test_held_dashboard_counts_what_waits(client, login_as, make_bazaar, make_restriction):
    make_restriction()
    bazaar = make_bazaar()
    service.subscribe(bazaar.id, now=NOW, email="x@example.com")
    login_as(Role.ORGANISER)
    page = client.get("/bazaars/held").get_data(as_text=True)
    assert bazaar.title in page
    assert "۱ شهروند در انتظار" in page


def test_drafts_and_unknown_bazaars_are_404(client, make_bazaar):
    draft = make_bazaar(publish=False)
    assert client.get(f"/bazaars/{draft.id}").status_code == 404
    assert client.get(f"/bazaars/{draft.id}.ics").status_code == 404
    assert client.get("/bazaars/999").status_code == 404
