"""Stall pages: applying, "my stalls", the organisers' list and export; bad input is refused."""

import csv
import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Category, Role
from bazaar.services import stalls
from bazaar.services.bazaars import planning
from tests.conftest import NOW, reference_ids


def food_type(bazaar):
    return next(s for s in db.session.get(Bazaar, bazaar.id).stall_types if s.is_food)


def applied(vendor, bazaar, stall_type=None, now=NOW):
    """Apply through the service (the page under test is another one)."""
    stall_type = stall_type or food_type(bazaar)
    pickles = [reference_ids(Category)["pickles"]]
    return stalls.apply_for_stall(vendor.user, bazaar.id, stall_type.id, pickles, "", now=now)


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
    assert f'action="/stalls/apply/{bazaar.id}"' in page  # the apply form
    response = client.post(
        f"/stalls/apply/{bazaar.id}", data=apply_data(food_type(bazaar)), follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert response.request.path == "/stalls/mine"
    assert "هنگام درخواست شما غرفهٔ خالی" in text
    assert "واگذار شد: تا مهلت تأیید کنید" in text  # the state's label
    assert "تأیید غرفهٔ من" in text
    assert db.session.scalar(db.select(Application.state)) == "allocated"


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
    planning.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
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
    refused = client.post(
        f"/stalls/{application.id}/remove", data={"reason": ""}, follow_redirects=True
    )
    assert "دلیل را بنویسید؛ فروشنده آن را می‌بیند." in refused.get_data(as_text=True)
    assert db.session.get(Application, application.id).state == "allocated"
    done = client.post(
        f"/stalls/{application.id}/remove", data={"reason": "بدون مجوز"}, follow_redirects=True
    )
    assert "واگذاری حذف شد؛ غرفه به نفر بعدی فهرست رسید." in done.get_data(as_text=True)
    assert db.session.get(Application, application.id).state == "removed"
    again = client.post(
        f"/stalls/{application.id}/remove", data={"reason": "بدون مجوز"}, follow_redirects=True
    )
    assert "این درخواست غرفه‌ای ندارد." in again.get_data(as_text=True)
    assert client.post("/stalls/999/remove", data={"reason": "x"}).status_code == 404


def test_round_from_the_page_needs_a_seed(
    client, auth, login_as, make_bazaar, make_vendor, monkeypatch
):
    bazaar = make_bazaar(mode="round")
    vendor = make_vendor()
    stalls.apply_for_stall(
        vendor.user,
        bazaar.id,
        food_type(bazaar).id,
        [reference_ids(Category)["pickles"]],
        "",
        now=NOW,
    )
    monkeypatch.setattr("bazaar.stalls.views.utcnow", lambda: NOW + timedelta(days=16))
    login_as(Role.ORGANISER)
    refused = client.post(
        f"/stalls/bazaar/{bazaar.id}/round", data={"seed": ""}, follow_redirects=True
    )
    assert "کلید قرعه‌کشی را وارد کنید (حداکثر ۶۴ نویسه)" in refused.get_data(as_text=True)
    assert db.session.get(Bazaar, bazaar.id).round_ran_at is None
    done = client.post(
        f"/stalls/bazaar/{bazaar.id}/round",
        data={"seed": "۱۴۰۵-آذر", "priorities": ["first_time"]},
        follow_redirects=True,
    )
    assert "دور واگذاری تکلیف ۱ درخواست را روشن کرد؛ کلید قرعه‌کشی آن در پایین آمده است." in (
        done.get_data(as_text=True)
    )
    assert db.session.get(Bazaar, bazaar.id).lottery_seed == "۱۴۰۵-آذر"
    assert db.session.scalar(db.select(Application.state)) == "allocated"
    assert "۱۴۰۵-آذر" in client.get(f"/stalls/bazaar/{bazaar.id}").get_data(as_text=True)
    # The vendor sees the round's rules and its key on the bazaar and with the result.
    auth.login(vendor.user.email)
    for page in (f"/bazaars/{bazaar.id}", "/stalls/mine"):
        html = client.get(page).get_data(as_text=True)
        assert "قرعه‌ای است که از یک کلید منتشرشده کشیده می‌شود" in html
        # The key is data, set apart left to right (its digits stay as the organiser typed them).
        key = '<bdi dir="ltr" translate="no">۱۴۰۵-آذر</bdi>'
        assert f"با کلید قرعه‌کشی منتشرشدهٔ «{key}» اجرا شد" in html
    assert "جایگاه ۱ از ۱ در قرعه‌کشی" in html  # the lottery position, in Persian digits


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
    for bad in ("x", "", str(foreign), str(food.id)):
        response = client.post(
            f"/stalls/{application.id}/move", data={"stall_type_id": bad}, follow_redirects=True
        )
        assert "یکی از انواع غرفهٔ این بازارچه را انتخاب کنید." in response.get_data(as_text=True)
        assert db.session.get(Application, application.id).stall_type_id == food.id
    response = client.post(f"/stalls/{application.id}/move", data={"stall_type_id": str(craft.id)})
    assert response.headers["Location"] == f"/stalls/bazaar/{bazaar.id}"
    assert "فروشنده منتقل شد." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Application, application.id).stall_type_id == craft.id
    assert client.post("/stalls/999/move", data={"stall_type_id": str(craft.id)}).status_code == 404


@contextmanager
def counted_queries():
    """Count the SQL statements run inside the block (all connections of the app's engine)."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_organiser_pages_load_in_queries_that_do_not_grow_with_applications(
    client, login_as, make_vendor, make_bazaar
):
    bazaar = make_bazaar()
    earlier = make_bazaar()
    food = food_type(bazaar)
    pickles = [reference_ids(Category)["pickles"]]
    login_as(Role.ORGANISER)

    def add_vendors(count):
        for _ in range(count):
            vendor = make_vendor()
            stalls.apply_for_stall(
                vendor.user, earlier.id, food_type(earlier).id, pickles, "", now=NOW
            )
            stalls.apply_for_stall(vendor.user, bazaar.id, food.id, pickles, "", now=NOW)

    def queries(url):
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return len(statements)

    add_vendors(2)
    few = [queries(f"/stalls/bazaar/{bazaar.id}"), queries(f"/stalls/bazaar/{bazaar.id}.csv")]
    add_vendors(5)  # more than the food stalls: some wait
    many = [queries(f"/stalls/bazaar/{bazaar.id}"), queries(f"/stalls/bazaar/{bazaar.id}.csv")]
    assert many == few
    page = client.get(f"/stalls/bazaar/{bazaar.id}").get_data(as_text=True)
    assert page.count("شناسهٔ بهداشتی تا") == 7  # every application shown, with its papers


def test_vendor_confirms_declines_and_withdraws_from_my_stalls(
    client, auth, make_vendor, make_bazaar, clock
):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفه", 1, None, False)])
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    holder, waiting = make_vendor(), make_vendor()
    held, queued = applied(holder, bazaar, stall), applied(waiting, bazaar, stall)
    auth.login(waiting.user.email)
    mine = client.get("/stalls/mine").get_data(as_text=True)
    assert "در فهرست انتظار" in mine
    assert f"/stalls/{queued.id}/withdraw" in mine
    assert f"/stalls/{queued.id}/confirm" not in mine
    auth.logout()
    auth.login(holder.user.email)
    mine = client.get("/stalls/mine").get_data(as_text=True)
    assert f"/stalls/{held.id}/confirm" in mine
    assert f"/stalls/{held.id}/decline" in mine
    assert f"/stalls/{held.id}/withdraw" not in mine
    confirmed = client.post(f"/stalls/{held.id}/confirm", follow_redirects=True)
    assert "غرفهٔ شما تأیید شد." in confirmed.get_data(as_text=True)
    assert "تأییدشده" in confirmed.get_data(as_text=True)  # the confirmed state's label
    assert db.session.get(Application, held.id).state == "confirmed"
    declined = client.post(f"/stalls/{held.id}/decline", follow_redirects=True)
    assert "از غرفه انصراف دادید؛ به فروشندهٔ بعدی رسید." in declined.get_data(as_text=True)
    assert db.session.get(Application, held.id).state == "declined"
    assert db.session.get(Application, queued.id).state == "allocated"  # passed on
    auth.logout()
    latecomer = make_vendor()
    late = applied(latecomer, bazaar, stall)  # the stall went to the waiting vendor: waits
    auth.login(latecomer.user.email)
    withdrawn = client.post(f"/stalls/{late.id}/withdraw", follow_redirects=True)
    assert "درخواست شما پس گرفته شد." in withdrawn.get_data(as_text=True)
    assert db.session.get(Application, late.id).state == "withdrawn"


def test_my_stalls_refuses_what_a_state_does_not_allow(
    client, auth, make_vendor, make_bazaar, monkeypatch
):
    bazaar = make_bazaar()
    vendor = make_vendor()
    application = applied(vendor, bazaar)
    auth.login(vendor.user.email)
    refused = client.post(f"/stalls/{application.id}/withdraw", follow_redirects=True)
    assert "این درخواست دیگر قابل پس گرفتن نیست." in refused.get_data(as_text=True)
    assert client.post(f"/stalls/{application.id}/cancel").status_code == 404
    assert db.session.get(Application, application.id).state == "allocated"
    # Past the deadline the page no longer offers to confirm (the service would refuse).
    monkeypatch.setattr("bazaar.stalls.views.utcnow", lambda: NOW + timedelta(hours=49))
    mine = client.get("/stalls/mine").get_data(as_text=True)
    assert f"/stalls/{application.id}/confirm" not in mine
    assert f"/stalls/{application.id}/decline" in mine


def test_organiser_page_shows_each_vendors_earlier_outcomes(
    client, login_as, make_vendor, make_bazaar
):
    earlier, bazaar = make_bazaar(), make_bazaar()
    vendor = make_vendor(business_name="ترشی‌سرای مریم")
    stalls.confirm_stall(vendor.user, applied(vendor, earlier).id, now=NOW)
    applied(vendor, bazaar)
    applied(make_vendor(business_name="مربای نرگس"), bazaar)
    login_as(Role.ORGANISER)
    page = client.get(f"/stalls/bazaar/{bazaar.id}").get_data(as_text=True)
    mine, other = page.split("ترشی‌سرای مریم")[1], page.split("مربای نرگس")[1]
    assert "بازارچه‌های پیشین: ۱ تأییدشده، ۰ بی‌تأیید در مهلت، ۰ حذف‌شده" in mine.split("</li>")[0]
    assert "بازارچه‌های پیشین: ۰ تأییدشده، ۰ بی‌تأیید در مهلت، ۰ حذف‌شده" in other.split("</li>")[0]
    assert client.get("/stalls/bazaar/999").status_code == 404


def test_export_lists_every_application_with_its_state_and_reason(
    client, login_as, make_vendor, make_bazaar
):
    bazaar = make_bazaar(stalls=[planning.StallTypeData("غرفه", 1, None, False)])
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    applied(make_vendor(business_name="الف"), bazaar, stall)
    applied(make_vendor(business_name="ب"), bazaar, stall)
    login_as(Role.ORGANISER)
    export = client.get(f"/stalls/bazaar/{bazaar.id}.csv")
    assert export.headers["Content-Disposition"] == f"attachment; filename=stalls-{bazaar.id}.csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["شمارهٔ غرفه", "نوع غرفه", "وضعیت", "کسب‌وکار"]
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [
        ("1", "غرفه", "واگذار شد: تا مهلت تأیید کنید", "الف"),
        ("", "غرفه", "در فهرست انتظار", "ب"),  # no stall, no number
    ]
    assert "فهرست انتظار هستید" in rows[2][-1]  # the reason, explained
    assert client.get("/stalls/bazaar/999.csv").status_code == 404


def test_a_suspended_vendor_sees_why_and_cannot_confirm(
    client, auth, make_vendor, make_bazaar, organiser, clock
):
    from bazaar.services import vendors

    bazaar = make_bazaar()
    vendor = make_vendor()
    application = applied(vendor, bazaar)
    vendors.decide_vendor(organiser, vendor.id, "suspend", reason="شکایت مشتری", now=NOW)
    auth.login(vendor.user.email)
    mine = client.get("/stalls/mine").get_data(as_text=True)
    assert "پس‌گرفته" in mine  # the withdrawn state's label
    assert "برگزارکنندگان نمایهٔ فروشندگی شما را تعلیق کردند" in mine
    assert "شکایت مشتری" in mine
    assert f"/stalls/{application.id}/confirm" not in mine
    refused = client.post(f"/stalls/{application.id}/confirm", follow_redirects=True)
    assert "نمایهٔ فروشندگی شما اکنون تأییدشده نیست" in refused.get_data(as_text=True)
    assert db.session.get(Application, application.id).state == "withdrawn"
    assert db.session.get(Application, application.id).reason["key"] == "vendor_suspended"
