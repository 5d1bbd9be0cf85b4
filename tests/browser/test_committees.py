"""A meeting's decision makes a follow-up for a colleague, who closes it; a published snapshot's
CSV matches its page — in Persian on a phone."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import committees
from bazaar.services.followups import service as followups
from tests.browser.conftest import screenshot
from tests.browser.test_accounts import choose_language
from tests.browser.test_catalogue import sign_in, sign_out


def test_meeting_follow_up_closed_by_a_colleague(page, live_server, make_user):
    chair = make_user(role=Role.ORGANISER, email="chair@example.com", name="زهرا احمدی")
    colleague = make_user(role=Role.ORGANISER, email="colleague@example.com", name="علی رضایی")
    committee = committees.create_committee(
        chair,
        name="کمیتهٔ بازارچه‌ها",
        mandate="برنامه‌ریزی بازارچه‌ها",
        chair_id=chair.id,
        member_ids=[colleague.id],
        now=utcnow(),
    )
    sign_in(page, live_server, "chair@example.com")
    page.goto(f"{live_server}/committees/{committee.id}")
    page.get_by_role("link", name="ثبت جلسه").click()
    page.get_by_label("تاریخ جلسه").fill("۱۴۰۵/۰۹/۰۶")
    page.get_by_label("زهرا احمدی").check()
    page.get_by_label("علی رضایی").check()
    page.get_by_label("مصوبه").first.fill("بوستان علوی برای بازارچه آماده شود.")
    page.locator("#decisions-0-followups-0-title").fill("هماهنگی با شهرداری")
    page.locator("#decisions-0-followups-0-responsible_id").select_option(label="علی رضایی")
    page.locator("#decisions-0-followups-0-due_on").fill("۱۴۰۵/۰۹/۲۰")
    # A second decision, with two follow-ups (the second row added by its button), and a guest.
    page.locator("#decisions-1-text").fill("فهرست غرفه‌ها پیش از بازارچه منتشر شود.")
    page.locator("#decisions-1-followups-0-title").fill("تهیهٔ فهرست غرفه‌ها")
    page.locator("#decisions-1-followups-0-responsible_id").select_option(label="زهرا احمدی")
    page.locator("#decisions-1-followups-0-due_on").fill("۱۴۰۵/۰۹/۲۵")
    page.get_by_role("button", name="افزودن پیگیری به این مصوبه").nth(1).click()
    page.locator("#decisions-1-followups-1-title").fill("انتشار فهرست در سایت")
    page.locator("#decisions-1-followups-1-responsible_id").select_option(label="زهرا احمدی")
    page.locator("#decisions-1-followups-1-due_on").fill("۱۴۰۵/۰۹/۲۸")
    page.locator("#guests-0-name").fill("دکتر مریم کاظمی")
    page.locator("#guests-0-role").fill("کارشناس بهداشت")
    screenshot(page, "meeting-fa")
    page.get_by_role("button", name="ذخیرهٔ جلسه").click()
    expect(page.get_by_text("جلسه ثبت شد")).to_be_visible()
    page.goto(f"{live_server}/committees/{committee.id}")
    expect(page.get_by_test_id("meeting-decision")).to_have_count(2)
    expect(page.get_by_test_id("meeting-decision").nth(1)).to_contain_text("انتشار فهرست در سایت")
    expect(page.get_by_test_id("meeting-guests")).to_contain_text("دکتر مریم کاظمی")
    sign_out(page)

    sign_in(page, live_server, "colleague@example.com")
    page.goto(live_server + "/followups/")
    page.get_by_role("link", name="هماهنگی با شهرداری").click()
    page.get_by_label("یادداشت").fill("با شهرداری تماس گرفتم؛ موافقت کرد.")
    page.get_by_role("button", name="افزودن یادداشت").click()
    expect(page.get_by_text("ذخیره شد.")).to_be_visible()
    page.get_by_label("وضعیت", exact=True).select_option(label="انجام‌شده")
    page.get_by_role("button", name="تغییر وضعیت").click()
    expect(page.get_by_text("وضعیت را «انجام‌شده» کرد")).to_be_visible()
    screenshot(page, "followup-done-fa")
    page.goto(live_server + "/followups/")
    expect(page.get_by_text("کاری منتظر شما نیست")).to_be_visible()


def test_published_snapshot_csv_matches_its_page(page, live_server, make_user, make_vendor):
    make_user(role=Role.ORGANISER, email="organiser@example.com")
    make_vendor()
    sign_in(page, live_server, "organiser@example.com")
    page.goto(live_server + "/statistics/")
    page.get_by_role("button", name="انتشار نسخه").click()
    expect(page.get_by_role("heading", name="نسخهٔ ۱")).to_be_visible()
    screenshot(page, "snapshot-fa")
    shown = {
        el.get_attribute("data-metric"): int(el.get_attribute("data-value"))
        for el in page.locator("[data-metric]").all()
    }
    response = page.request.get(live_server + "/statistics/snapshots/1.csv")
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    exported = {row[0]: int(row[3]) for row in rows[1:] if row[2] == ""}
    assert shown == exported
    assert re.search(r"[۰-۹]", page.locator("[data-metric]").first.inner_text())


@pytest.mark.parametrize("language", ["fa", "en"])
def test_committee_and_statistics_pages_have_no_serious_accessibility_violation(
    page, live_server, make_user, check_a11y, language
):
    chair = make_user(role=Role.ADMIN, email="chair@example.com")
    committee = committees.create_committee(
        chair, name="کمیته", mandate="m", chair_id=chair.id, member_ids=[], now=utcnow()
    )
    item = followups.create_followup(
        chair,
        committee.id,
        title="کار",
        responsible_id=chair.id,
        due_on=utcnow().date(),
        now=utcnow(),
    )
    choose_language(page, live_server, language)
    page.goto(live_server + "/statistics/")
    check_a11y(page, f"statistics-public-{language}")
    sign_in(page, live_server, "chair@example.com")
    for name, path in {
        "statistics": "/statistics/",
        "committees": "/committees/",
        "committee": f"/committees/{committee.id}",
        "meeting-new": f"/committees/{committee.id}/meetings/new",
        "followup-new": f"/committees/{committee.id}/followups/new",
        "followups": "/followups/",
        "followup": f"/followups/{item.id}",
        "agencies": "/committees/agencies",
        "audit": "/audit/",
        "snapshots": "/statistics/snapshots",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
