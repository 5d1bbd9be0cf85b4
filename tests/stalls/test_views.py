"""Stall pages: applying, "my stalls", the organisers' list and export; bad input is refused."""

from datetime import timedelta

import pytest

from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Category, Role
from bazaar.services import stalls
from bazaar.services.bazaars import service
from tests.conftest import NOW, reference_ids


def food_type(bazaar):
    return next(s for s in db.session.get(Bazaar, bazaar.id).stall_types if s.is_food)


def apply_data(stall_type, *codes):
    ids = reference_ids(Category)
    return {
        "stall_type_id": str(stall_type.id),
        "category_ids": [str(ids[c]) for c in codes or ("pickles",)],
        "note": "",
    }


@pytest.fixture
def clock(monkeypatch):
    """Freeze the views' clock at the tests' NOW."""
    import bazaar.stalls.views as views

    monkeypatch.setattr(views, "utcnow", lambda: NOW)
    monkeypatch.setattr("bazaar.bazaars.views.utcnow", lambda: NOW)
    return NOW


def test_vendor_applies_from_the_bazaar_page_and_sees_it(
    client, auth, make_vendor, make_bazaar, clock
):
    bazaar = make_bazaar()
    vendor = make_vendor()
    auth.login(vendor.user.email)
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert "درخواست غرفه" in page
    response = client.post(
        f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)), follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert "هنگام درخواست شما غرفهٔ خالی" in text
    assert "تأیید غرفهٔ من" in text


def test_applying_twice_is_refused_with_a_message(client, auth, make_vendor, make_bazaar, clock):
    bazaar = make_bazaar()
    vendor = make_vendor()
    auth.login(vendor.user.email)
    client.post(f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)))
    again = client.post(
        f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)), follow_redirects=True
    )
    assert "قبلاً برای این بازارچه درخواست داده‌اید" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 1


def test_applying_to_a_cancelled_bazaar_changes_nothing(
    client, auth, make_vendor, make_bazaar, organiser, clock
):
    bazaar = make_bazaar()
    service.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
    auth.login(make_vendor().user.email)
    response = client.post(
        f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)), follow_redirects=True
    )
    assert "دیگر درخواست نمی‌پذیرد" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_applying_to_a_past_bazaar_changes_nothing(
    client, auth, make_vendor, make_bazaar, monkeypatch
):
    bazaar = make_bazaar()
    monkeypatch.setattr("bazaar.stalls.views.utcnow", lambda: NOW + timedelta(days=40))
    auth.login(make_vendor().user.email)
    response = client.post(
        f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)), follow_redirects=True
    )
    assert "دیگر درخواست نمی‌پذیرد" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


@pytest.mark.parametrize(
    "data", [{}, {"stall_type_id": "x"}, {"stall_type_id": "1", "category_ids": []}]
)
def test_bad_apply_form_changes_nothing(client, auth, make_vendor, make_bazaar, clock, data):
    bazaar = make_bazaar()
    auth.login(make_vendor().user.email)
    response = client.post(f"/stalls/apply/{bazaar.id}", data=data, follow_redirects=True)
    assert "نوع غرفه و آنچه می‌فروشید" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0


def test_another_vendors_application_is_404(client, auth, make_vendor, make_bazaar):
    bazaar = make_bazaar()
    owner = make_vendor()
    application = stalls.apply_for_stall(
        owner.user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    auth.login(make_vendor().user.email)
    for action in ("confirm", "decline", "withdraw"):
        assert client.post(f"/stalls/{application.id}/{action}").status_code == 404
    assert db.session.get(Application, application.id).state == "allocated"


def test_confirming_after_the_deadline_is_refused(
    client, auth, make_vendor, make_bazaar, monkeypatch
):
    bazaar = make_bazaar()
    vendor = make_vendor()
    application = stalls.apply_for_stall(
        vendor.user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    monkeypatch.setattr("bazaar.stalls.views.utcnow", lambda: NOW + timedelta(hours=49))
    auth.login(vendor.user.email)
    response = client.post(f"/stalls/{application.id}/confirm", follow_redirects=True)
    assert "مهلت تأیید گذشته است" in response.get_data(as_text=True)
    assert db.session.get(Application, application.id).state == "allocated"


def test_organiser_sees_papers_and_history_and_exports_csv_with_bom(
    client, login_as, make_vendor, make_bazaar
):
    bazaar = make_bazaar()
    vendor = make_vendor(business_name="ترشی‌سرای مریم")
    stalls.apply_for_stall(
        vendor.user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    login_as(Role.ORGANISER)
    page = client.get(f"/stalls/bazaar/{bazaar.id}").get_data(as_text=True)
    assert "ترشی‌سرای مریم" in page
    assert "شناسهٔ بهداشتی تا" in page
    export = client.get(f"/stalls/bazaar/{bazaar.id}.csv")
    assert export.data.startswith("\ufeff".encode())
    assert "ترشی‌سرای مریم" in export.get_data(as_text=True)


def test_organiser_removes_with_a_reason_only(client, login_as, make_vendor, make_bazaar):
    bazaar = make_bazaar()
    application = stalls.apply_for_stall(
        make_vendor().user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    login_as(Role.ORGANISER)
    client.post(f"/stalls/{application.id}/remove", data={"reason": ""})
    assert db.session.get(Application, application.id).state == "allocated"
    client.post(f"/stalls/{application.id}/remove", data={"reason": "بدون مجوز"})
    assert db.session.get(Application, application.id).state == "removed"
    assert client.post("/stalls/999/remove", data={"reason": "x"}).status_code == 404


def test_round_from_the_page_needs_a_seed(client, login_as, make_bazaar, make_vendor, monkeypatch):
    bazaar = make_bazaar(mode="round")
    stalls.apply_for_stall(
        make_vendor().user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    monkeypatch.setattr("bazaar.stalls.views.utcnow", lambda: NOW + timedelta(days=16))
    login_as(Role.ORGANISER)
    client.post(f"/stalls/bazaar/{bazaar.id}/round", data={"seed": ""})
    assert db.session.get(Bazaar, bazaar.id).round_ran_at is None
    client.post(
        f"/stalls/bazaar/{bazaar.id}/round", data={"seed": "۱۴۰۵-آذر", "priorities": ["first_time"]}
    )
    assert db.session.get(Bazaar, bazaar.id).lottery_seed == "۱۴۰۵-آذر"
    assert "۱۴۰۵-آذر" in client.get(f"/stalls/bazaar/{bazaar.id}").get_data(as_text=True)


def test_stall_pages_are_for_their_roles(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.CITIZEN)
    assert client.get("/stalls/mine").status_code == 403
    assert client.get(f"/stalls/bazaar/{bazaar.id}").status_code == 403


def test_organiser_moves_a_vendor_and_bad_targets_change_nothing(
    client, login_as, make_vendor, make_bazaar
):
    bazaar = make_bazaar()
    other = make_bazaar()
    food = food_type(bazaar)
    craft = next(s for s in db.session.get(Bazaar, bazaar.id).stall_types if not s.is_food)
    vendor = make_vendor()
    application = stalls.apply_for_stall(
        vendor.user, bazaar.id, food.id, [reference_ids(Category)["pickles"]], "", now=NOW
    )
    login_as(Role.ORGANISER)
    foreign = other.stall_types[0].id
    for bad in ("x", "", str(foreign)):
        response = client.post(f"/stalls/{application.id}/move", data={"stall_type_id": bad})
        assert response.status_code == 302
        assert db.session.get(Application, application.id).stall_type_id == food.id
    response = client.post(f"/stalls/{application.id}/move", data={"stall_type_id": str(craft.id)})
    assert response.headers["Location"] == f"/stalls/bazaar/{bazaar.id}"
    assert db.session.get(Application, application.id).stall_type_id == craft.id
    assert client.post("/stalls/999/move", data={"stall_type_id": str(craft.id)}).status_code == 404
