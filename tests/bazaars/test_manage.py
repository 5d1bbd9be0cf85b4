"""Organisers' bazaar pages: create, edit, publish, cancel, reschedule; lists; bad input."""

import re

import pytest

from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Category, Region, Role, StallType
from bazaar.services import stalls
from bazaar.services.bazaars import interest
from tests.bazaars.pages import badges, history, status_words
from tests.conftest import NOW, confirmed_interest, reference_ids


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
    assert client.get("/bazaars/new").status_code == 200
    response = client.post("/bazaars/new", data=bazaar_form())
    assert response.status_code == 302
    bazaar = db.session.scalar(db.select(Bazaar))
    assert (
        bazaar.starts_at.isoformat() == "2027-04-04T12:30:00+00:00"
    )  # 16:00 in Tehran, 15 Farvardin 1406
    (stall,) = bazaar.stall_types
    assert (stall.count, stall.fee_toman, stall.is_food) == (12, 300_000, True)
    draft = client.get(f"/bazaars/{bazaar.id}/draft").get_data(as_text=True)
    assert badges(draft) == [("draft", "پیش‌نویس")]
    assert client.get(f"/bazaars/{bazaar.id}").status_code == 404  # a draft is not public yet
    assert client.post(f"/bazaars/{bazaar.id}/publish").status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("scheduled", "برنامه‌ریزی‌شده")]
    # Published: the draft page sends to the public one.
    assert client.get(f"/bazaars/{bazaar.id}/draft").status_code == 302


def test_publishing_twice_is_refused_with_a_message(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    response = client.post(f"/bazaars/{bazaar.id}/publish", follow_redirects=True)
    assert "alert-danger" in response.get_data(as_text=True)
    assert len(db.session.get(Bazaar, bazaar.id).history) == 1
    assert client.post("/bazaars/999/publish").status_code == 404


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


def test_editing_a_draft_saves_and_bad_input_saves_nothing(client, login_as, make_bazaar):
    bazaar = make_bazaar(publish=False, title="پیش از ویرایش")
    login_as(Role.ORGANISER)
    form = client.get(f"/bazaars/{bazaar.id}/edit").get_data(as_text=True)
    assert 'value="پیش از ویرایش"' in form
    assert client.post(f"/bazaars/{bazaar.id}/edit", data=bazaar_form(title="")).status_code == 400
    assert db.session.get(Bazaar, bazaar.id).title == "پیش از ویرایش"
    response = client.post(f"/bazaars/{bazaar.id}/edit", data=bazaar_form(title="پس از ویرایش"))
    assert response.status_code == 302
    assert db.session.get(Bazaar, bazaar.id).title == "پس از ویرایش"
    assert client.get("/bazaars/999/edit").status_code == 404


def test_a_published_date_moves_only_by_rescheduling(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    response = client.post(f"/bazaars/{bazaar.id}/edit", data=bazaar_form())
    assert response.status_code == 400
    assert db.session.get(Bazaar, bazaar.id).starts_at.isoformat().startswith("2026-12-10")


def test_cancel_needs_a_reason_and_then_shows_it(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert client.get(f"/bazaars/{bazaar.id}/cancel").status_code == 200
    assert client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": ""}).status_code == 400
    assert db.session.get(Bazaar, bazaar.id).cancelled_at is None
    assert client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": "سیل"}).status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("cancelled", "لغوشده")]
    assert status_words(page) == "لغو شد: سیل"
    assert client.get("/bazaars/999/cancel").status_code == 404


def test_reschedule_refuses_a_bad_date_and_keeps_the_previous_one(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert client.get(f"/bazaars/{bazaar.id}/reschedule").status_code == 200
    bad = client.post(
        f"/bazaars/{bazaar.id}/reschedule",
        data={"day": "۱۴۰۴/۱۲/۳۰", "start": "10:00", "end": "18:00"},
    )
    assert bad.status_code == 400
    assert db.session.get(Bazaar, bazaar.id).previous_starts_at is None
    good = client.post(
        f"/bazaars/{bazaar.id}/reschedule",
        data={"day": "۱۴۰۵/۱۰/۰۳", "start": "10:00", "end": "18:00"},
    )
    assert good.status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("rescheduled", "تغییر زمان داده‌شده")]
    assert "۱۹ آذر ۱۴۰۵" in status_words(page)
    assert history(page)[-1].split(": ", 1)[1].startswith("تغییر زمان داده‌شده")


def test_citizens_cannot_plan_bazaars(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.CITIZEN)
    for url in ("/bazaars/new", "/bazaars/manage", "/bazaars/held", f"/bazaars/{bazaar.id}/edit"):
        assert client.get(url).status_code == 403
    assert client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": "x"}).status_code == 403
    assert db.session.get(Bazaar, bazaar.id).cancelled_at is None


def test_manage_lists_every_bazaar_with_its_status(client, login_as, make_bazaar):
    make_bazaar(title="منتشرشده")
    make_bazaar(title="پیش‌نویس‌شده", publish=False)
    login_as(Role.ORGANISER)
    page = client.get("/bazaars/manage").get_data(as_text=True)
    assert "منتشرشده" in page
    assert sorted(badges(page)) == [("draft", "پیش‌نویس"), ("scheduled", "برنامه‌ریزی‌شده")]


def test_held_dashboard_counts_what_waits(client, login_as, make_bazaar, make_restriction):
    login_as(Role.ORGANISER)
    nothing_held = "اکنون هیچ بازارچه‌ای در تعلیق نیست."
    assert nothing_held in client.get("/bazaars/held").get_data(as_text=True)
    make_restriction()
    bazaar = make_bazaar()
    confirmed_interest(bazaar.id, now=NOW, email="x@example.com")
    interest.subscribe(bazaar.id, now=NOW, email="unconfirmed@example.com")  # not counted
    page = client.get("/bazaars/held").get_data(as_text=True)
    assert bazaar.title in page
    assert "۱ شهروند در انتظار" in page
    assert nothing_held not in page


# --- stall types on the edit form: matched by the hidden id ------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Freeze the pages' clock at the tests' NOW (applications are open then)."""
    for module in ("bazaars.views", "bazaars.manage", "stalls.views"):
        monkeypatch.setattr(f"bazaar.{module}.utcnow", lambda: NOW)
    return NOW


def stall_types_of(bazaar):
    db.session.expire_all()
    return sorted(db.session.get(Bazaar, bazaar.id).stall_types, key=lambda s: s.id)


def edit_form(*rows, **changes):
    """The edit form of the fixture's published bazaar (its date kept) with these stall rows."""
    data = bazaar_form(
        title="بازارچهٔ غذای خانگی",
        day="۱۴۰۵/۰۹/۱۹",
        start="10:00",
        end="18:00",
        applications_open_on="۱۴۰۵/۰۷/۱۹",
        applications_close_on="۱۴۰۵/۰۹/۱۴",
    )
    data = {k: v for k, v in data.items() if not k.startswith("stall_types-")}
    for n, fields in enumerate(rows):
        data |= {f"stall_types-{n}-{key}": value for key, value in fields.items()}
    return {**data, **changes}


def as_row(stall, **changes):
    fields = {"stall_id": str(stall.id), "name": stall.name, "count": str(stall.count)}
    if stall.is_food:
        fields["is_food"] = "y"
    return {**fields, **changes}


def apply_choices(page):
    select = re.search(r'<select[^>]*name="stall_type_id"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'value="(\d+)"', select.group(1)) if select else []


def applied(make_vendor, bazaar, stall):
    pickles = [reference_ids(Category)["pickles"]]
    return stalls.apply_for_stall(make_vendor().user, bazaar.id, stall.id, pickles, "", now=NOW)


def test_the_edit_form_carries_each_types_id(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    login_as(Role.ORGANISER)
    page = client.get(f"/bazaars/{bazaar.id}/edit").get_data(as_text=True)
    for n, stall in enumerate((food, craft)):
        field = re.search(rf'<input[^>]*name="stall_types-{n}-stall_id"[^>]*>', page).group(0)
        assert 'type="hidden"' in field
        assert f'value="{stall.id}"' in field
    assert 'name="stall_types-2-stall_id" type="hidden" value=""' in page  # a new row


def test_renaming_a_type_with_applications_from_the_form(
    client, login_as, make_bazaar, make_vendor, clock
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    application = applied(make_vendor, bazaar, food)
    login_as(Role.ORGANISER)
    response = client.post(
        f"/bazaars/{bazaar.id}/edit",
        data=edit_form(as_row(food, name="غرفهٔ خوراکی"), as_row(craft)),
    )
    assert response.status_code == 302
    assert [(s.id, s.name) for s in stall_types_of(bazaar)] == [
        (food.id, "غرفهٔ خوراکی"),
        (craft.id, "میز صنایع دستی"),
    ]
    assert db.session.get(Application, application.id).stall_type_id == food.id


def test_removing_a_type_with_applications_from_the_form_is_refused(
    client, login_as, make_bazaar, make_vendor, clock
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    applied(make_vendor, bazaar, food)
    login_as(Role.ORGANISER)
    # Clearing a row's name leaves the type out.
    data = edit_form(as_row(food, name=""), as_row(craft, count="۹"), title="عنوان تازه")
    response = client.post(f"/bazaars/{bazaar.id}/edit", data=data)
    assert response.status_code == 400
    assert "«غرفهٔ غذا» درخواست دارد و حذف نمی‌شود" in response.get_data(as_text=True)
    assert [(s.name, s.count) for s in stall_types_of(bazaar)] == [
        ("غرفهٔ غذا", 3),
        ("میز صنایع دستی", 5),
    ]
    assert db.session.get(Bazaar, bazaar.id).title == "بازارچهٔ غذای خانگی"


def test_removing_a_type_without_applications_from_the_form_deletes_it(
    client, login_as, make_bazaar, clock
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    food_id, craft_id = food.id, craft.id
    login_as(Role.ORGANISER)
    response = client.post(f"/bazaars/{bazaar.id}/edit", data=edit_form(as_row(food)))
    assert response.status_code == 302
    assert [s.id for s in stall_types_of(bazaar)] == [food_id]
    assert db.session.get(StallType, craft_id) is None


def test_a_closed_type_is_shown_closed_and_not_offered(
    client, auth, login_as, make_bazaar, make_vendor, clock
):
    bazaar = make_bazaar()
    food, craft = stall_types_of(bazaar)
    application = applied(make_vendor, bazaar, craft)
    login_as(Role.ORGANISER)
    data = edit_form(as_row(food), as_row(craft, closed="y"))
    assert client.post(f"/bazaars/{bazaar.id}/edit", data=data).status_code == 302
    form = client.get(f"/bazaars/{bazaar.id}/edit").get_data(as_text=True)
    checkbox = re.search(r'<input[^>]*name="stall_types-1-closed"[^>]*>', form).group(0)
    assert "checked" in checkbox
    # The organisers' list and its export still show the closed type's application.
    page = client.get(f"/stalls/bazaar/{bazaar.id}")
    assert page.status_code == 200
    assert "میز صنایع دستی" in page.get_data(as_text=True)
    export = client.get(f"/stalls/bazaar/{bazaar.id}.csv")
    assert export.status_code == 200
    assert "میز صنایع دستی" in export.get_data(as_text=True)
    client.post("/logout")
    vendor = make_vendor()
    auth.login(vendor.user.email)
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert page.count('data-testid="stall-closed"') == 1
    assert "میز صنایع دستی <span" in page
    assert "دیگر درخواست نمی‌پذیرد" in page
    assert apply_choices(page) == [str(food.id)]
    data = {
        "stall_type_id": str(craft.id),
        "category_ids": [str(reference_ids(Category)["pickles"])],
        "note": "",
    }
    response = client.post(f"/stalls/apply/{bazaar.id}", data=data, follow_redirects=True)
    assert "این نوع غرفه دیگر درخواست نمی‌پذیرد." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 1
    assert db.session.get(Application, application.id).state == "allocated"


@pytest.mark.parametrize("forged", ["foreign", "duplicate", "not a number"])
def test_a_forged_stall_type_id_is_a_form_error(client, login_as, make_bazaar, clock, forged):
    bazaar, other = make_bazaar(), make_bazaar(title="دیگری")
    food, craft = stall_types_of(bazaar)
    foreign = stall_types_of(other)[0]
    stall_id = {"foreign": str(foreign.id), "duplicate": str(food.id), "not a number": "x1"}
    login_as(Role.ORGANISER)
    data = edit_form(as_row(food), as_row(craft, stall_id=stall_id[forged], name="ربوده"))
    response = client.post(f"/bazaars/{bazaar.id}/edit", data=data)
    assert response.status_code == 400
    if forged != "not a number":
        assert "از آنِ این بازارچه نیست" in response.get_data(as_text=True)
    assert [(s.id, s.name) for s in stall_types_of(bazaar)] == [
        (food.id, "غرفهٔ غذا"),
        (craft.id, "میز صنایع دستی"),
    ]
    assert stall_types_of(other)[0].name == "غرفهٔ غذا"


def test_two_stall_types_with_one_name_are_a_form_error(client, login_as):
    login_as(Role.ORGANISER)
    data = bazaar_form(**{"stall_types-1-name": "غرفهٔ غذا", "stall_types-1-count": "۲"})
    response = client.post("/bazaars/new", data=data)
    assert response.status_code == 400
    assert "دو نوع غرفه نام «غرفهٔ غذا» دارند" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Bazaar.id))) == 0
