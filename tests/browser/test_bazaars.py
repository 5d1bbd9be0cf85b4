"""The gathering gate in the browser: held, subscribed, lifted, told; and the stall round."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Bazaar, Interest, Message, Role
from bazaar.models.types import utcnow
from bazaar.services import restrictions
from bazaar.services.bazaars import interest, planning
from tests.browser.conftest import screenshot
from tests.browser.test_accounts import choose_language
from tests.browser.test_catalogue import sign_in, sign_out
from tests.conftest import reference_ids


def local_today():
    return local_date(utcnow())


def upcoming_bazaar(organiser, mode="first_come", food=3, craft=5, county="qom"):
    from bazaar.models import Region

    today = local_today()
    data = planning.BazaarData(
        title="بازارچهٔ غذای خانگی",
        venue_name="بوستان علوی",
        county_id=reference_ids(Region)[county],
        day=today + timedelta(days=20),
        start=time(16, 0),
        end=time(21, 0),
        applications_open_on=today - timedelta(days=1),
        applications_close_on=today + timedelta(days=10),
        allocation_mode=mode,
    )
    stalls = [planning.StallTypeData("غرفهٔ غذا", food, 300_000, True)]
    if craft:
        stalls.append(planning.StallTypeData("میز صنایع دستی", craft, None, False))
    bazaar = planning.create_bazaar(organiser, data, stalls, now=utcnow())
    planning.publish_bazaar(organiser, bazaar.id, now=utcnow())
    return bazaar


def weekly_series(organiser):
    """Three weekly draft dates in Qom, each with a window relative to it."""
    from bazaar.models import Region

    first = local_today() + timedelta(days=30)
    data = planning.BazaarData(
        title="بازارچهٔ هفتگی",
        venue_name="بوستان غدیر",
        county_id=reference_ids(Region)["qom"],
        day=None,
        start=time(16, 0),
        end=time(21, 0),
    )
    return planning.create_series(
        organiser,
        data,
        [planning.StallTypeData("میز صنایع دستی", 5, None, False)],
        weekdays=[first.weekday()],
        first_day=first,
        last_day=first + timedelta(weeks=2),
        now=utcnow(),
        opens_days_before=21,
        closes_days_before=7,
    )


def test_restriction_holds_a_bazaar_until_lifted_and_the_citizen_is_told(
    page, live_server, make_user
):
    organiser = make_user(role=Role.ORGANISER, email="organiser@example.com")
    bazaar = upcoming_bazaar(organiser)

    # The organiser publishes a weekly series in one step, after its preview.
    series_dates = weekly_series(organiser)
    sign_in(page, live_server, "organiser@example.com")
    page.goto(f"{live_server}/bazaars/series/{series_dates[0].series_id}")
    page.get_by_label("انتشار").check()
    page.get_by_role("button", name="پیش‌نمایش تغییر").click()
    expect(page.get_by_test_id("series-step")).to_have_count(3)
    expect(page.get_by_test_id("series-preview")).to_contain_text("منتشر می‌شود")
    screenshot(page, "series-preview-fa")
    page.get_by_test_id("series-confirm").click()
    expect(page.get_by_text("۳ تاریخ از مجموعه تغییر کرد")).to_be_visible()

    # The organiser records a restriction for Qom county, after seeing what it will hold.
    page.goto(live_server + "/restrictions/new")
    page.get_by_label("مرجع تصمیم").fill("ستاد استانی مدیریت بیماری")
    page.get_by_label("شمارهٔ مصوبه").fill("۱۴۰۵/۳۱۲")
    page.get_by_label("تاریخ تصمیم").fill("۱۴۰۵/۰۸/۰۱")
    page.get_by_label("منطقهٔ مشمول").select_option(label="قم")
    page.get_by_label("از", exact=True).fill("۱۴۰۵/۰۸/۰۲")
    page.get_by_role("button", name="پیش‌نمایش بازارچه‌هایی که در تعلیق می‌روند").click()
    expect(page.get_by_test_id("restriction-preview")).to_contain_text("۴ بازارچه")
    screenshot(page, "restriction-new-fa")
    page.get_by_role("button", name="ثبت", exact=True).click()
    expect(page.get_by_text("محدودیت ثبت شد")).to_be_visible()
    sign_out(page)

    # The bazaar shows as held; a citizen asks to be told.
    page.goto(f"{live_server}/bazaars/{bazaar.id}")
    expect(page.get_by_test_id("status-words")).to_contain_text(
        "در تعلیق: تجمع در قم به موجب مصوبهٔ ۱۴۰۵/۳۱۲"
    )
    screenshot(page, "bazaar-held-fa")
    page.get_by_label("ایمیل یا شمارهٔ همراه شما").fill("citizen@example.com")
    page.get_by_role("button", name="خبرم کنید").click()
    expect(page.get_by_text("ایمیل خود را ببینید")).to_be_visible()

    # The citizen follows the confirmation link: it asks first, and the button confirms.
    db.session.rollback()  # see what the server wrote
    (confirmation,) = db.session.scalars(
        db.select(Message).where(Message.recipient == "citizen@example.com")
    ).all()
    link = confirmation.body.split("/bazaars/interest/confirm/", 1)[1].split()[0]
    page.goto(f"{live_server}/bazaars/interest/confirm/{link}")
    expect(page.get_by_test_id("confirm-interest")).to_be_visible()
    screenshot(page, "interest-confirm-fa")
    page.get_by_test_id("confirm-interest").click()
    expect(page.get_by_text("تأیید شد: هنگام برگزاری")).to_be_visible()

    # The organiser lifts the restriction.
    sign_in(page, live_server, "organiser@example.com")
    page.goto(live_server + "/restrictions/")
    page.get_by_role("link", name="رفع محدودیت").click()
    page.get_by_label("مرجع تصمیم").fill("ستاد استانی مدیریت بیماری")
    page.get_by_label("شمارهٔ مصوبه").fill("۱۴۰۵/۴۰۰")
    page.get_by_label("تاریخ تصمیم").fill("۱۴۰۵/۰۹/۰۱")
    page.get_by_role("button", name="محدودیت رفع شود").click()
    expect(page.get_by_text("محدودیت رفع شد")).to_be_visible()
    page.goto(f"{live_server}/bazaars/{bazaar.id}")
    expect(page.get_by_test_id("status-badge")).to_have_attribute("data-status", "scheduled")
    expect(page.get_by_test_id("status-badge")).to_have_text("برنامه‌ریزی‌شده")
    screenshot(page, "bazaar-released-fa")

    db.session.rollback()  # end the test's read snapshot: see what the server wrote
    messages = db.session.scalars(
        db.select(Message).where(Message.recipient == "citizen@example.com").order_by(Message.id)
    ).all()
    assert [m.id for m in messages[:1]] == [confirmation.id]
    (message,) = messages[1:]  # the release notice, once
    assert "برگزار می‌شود" in message.subject
    assert "/bazaars/unsubscribe/" in message.body
    # Its links point at the server actually running, not at a default port.
    assert f"{live_server}/bazaars/{bazaar.id}" in message.body
    assert message.list_unsubscribe.startswith(live_server + "/bazaars/unsubscribe/")

    # The citizen follows the link: it asks first, and only the button takes them off the list.
    sign_out(page)
    path = message.list_unsubscribe.split("/bazaars/", 1)[1]
    page.goto(f"{live_server}/bazaars/{path}")
    expect(page.get_by_test_id("unsubscribe")).to_be_visible()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 1
    page.get_by_test_id("unsubscribe").click()
    expect(page.get_by_text("دیگر پیامی دربارهٔ")).to_be_visible()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 0


def test_two_vendors_one_food_stall_round_decline_and_promotion(
    page, live_server, make_user, make_vendor
):
    organiser = make_user(role=Role.ORGANISER, email="organiser@example.com")
    bazaar = upcoming_bazaar(organiser, mode="round", food=1, craft=0)
    first, second = (
        make_vendor(user=make_user(role=Role.VENDOR, email="first@example.com")),
        make_vendor(user=make_user(role=Role.VENDOR, email="second@example.com")),
    )
    for vendor in (first, second):
        sign_in(page, live_server, vendor.user.email)
        page.goto(f"{live_server}/bazaars/{bazaar.id}")
        page.get_by_label("ترشی و شور").check()
        page.get_by_role("button", name="درخواست غرفه").click()
        expect(page.get_by_text("منتظر دور واگذاری").first).to_be_visible()
        screenshot(page, "my-stalls-applied-fa")
        sign_out(page)

    # The window closes; the organiser runs the round with a published seed, "first" wins.
    db.session.rollback()
    item = db.session.get(Bazaar, bazaar.id)
    item.applications_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    seed = next(
        s for s in (f"qom-{n}" for n in range(100)) if _winner(first, second, s) == first.id
    )
    sign_in(page, live_server, "organiser@example.com")
    page.goto(f"{live_server}/stalls/bazaar/{bazaar.id}")
    page.get_by_label("کلید قرعه‌کشی").fill(seed)
    page.get_by_role("button", name="اجرای دور واگذاری").click()
    expect(page.get_by_text(f"کلید قرعه‌کشی منتشرشدهٔ «{seed}»").first).to_be_visible()
    screenshot(page, "stalls-round-done-fa")
    sign_out(page)

    # The first declines; the second is promoted at once and confirms.
    sign_in(page, live_server, "first@example.com")
    page.goto(live_server + "/stalls/mine")
    expect(page.get_by_text("جایگاه").first).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="انصراف از غرفه").click()
    expect(page.get_by_text("به فروشندهٔ بعدی رسید").first).to_be_visible()
    sign_out(page)
    sign_in(page, live_server, "second@example.com")
    page.goto(live_server + "/stalls/mine")
    expect(page.get_by_text("غرفه‌ای آزاد شد و از فهرست انتظار به شما رسید").first).to_be_visible()
    page.get_by_role("button", name="تأیید غرفهٔ من").click()
    expect(page.get_by_text("غرفهٔ شما تأیید شد")).to_be_visible()
    screenshot(page, "my-stalls-confirmed-fa")


def _winner(first, second, seed):
    from bazaar.models import Application
    from bazaar.services.stalls import lottery_order

    db.session.rollback()  # see what the server wrote
    ids = {a.vendor_id: a.id for a in db.session.scalars(db.select(Application))}
    order = lottery_order([ids[first.id], ids[second.id]], seed)
    return first.id if order[0] == ids[first.id] else second.id


@pytest.mark.parametrize("language", ["fa", "en"])
def test_bazaar_pages_have_no_serious_accessibility_violation(
    page, live_server, make_user, make_vendor, check_a11y, language
):
    organiser = make_user(role=Role.ORGANISER, email="organiser@example.com")
    held = upcoming_bazaar(organiser)
    restrictions.record_restriction(
        organiser,
        restrictions.RestrictionData(
            "ستاد", "۱۲", local_today(), None, local_today() - timedelta(days=1)
        ),
        now=utcnow(),
    )
    vendor = make_vendor(user=make_user(role=Role.VENDOR, email="vendor@example.com"))
    entry, _created = interest.subscribe(held.id, now=utcnow(), email="citizen@example.com")
    pending, _created = interest.subscribe(held.id, now=utcnow(), email="neighbour@example.com")
    choose_language(page, live_server, language)
    for name, path in {
        "bazaars": "/bazaars/",
        "calendar": "/bazaars/calendar",
        "bazaar-held": f"/bazaars/{held.id}",
        "unsubscribe": f"/bazaars/unsubscribe/{entry.token}",
        "confirm-interest": f"/bazaars/interest/confirm/{pending.confirm_token}",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
    sign_in(page, live_server, vendor.user.email)
    for name, path in {"bazaar-vendor": f"/bazaars/{held.id}", "my-stalls": "/stalls/mine"}.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
    series_dates = weekly_series(organiser)
    sign_in(page, live_server, "organiser@example.com")
    for name, path in {
        "series": f"/bazaars/series/{series_dates[0].series_id}",
        "lift": f"/restrictions/{restrictions.list_restrictions()[0].id}/lift",
        "outbox": "/notifications/outbox",
        "manage": "/bazaars/manage",
        "held": "/bazaars/held",
        "new-bazaar": "/bazaars/new",
        "edit-bazaar": f"/bazaars/{held.id}/edit",
        "restrictions": "/restrictions/",
        "restriction-new": "/restrictions/new",
        "stalls": f"/stalls/bazaar/{held.id}",
        "cancel": f"/bazaars/{held.id}/cancel",
        "reschedule": f"/bazaars/{held.id}/reschedule",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
