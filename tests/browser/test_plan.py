"""An organiser sets a target; two monthly snapshots later the committee page and the public
page draw its trend and target, and the council report's PDF holds the page's figures."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from bazaar.extensions import db
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.plan import pdf
from bazaar.services import committees
from bazaar.services.plan import reports, snapshots
from tests.browser.conftest import screenshot
from tests.browser.test_accounts import choose_language
from tests.browser.test_catalogue import sign_in
from tests.plan.test_reports import page_texts


def test_target_trend_public_page_and_report_pdf(page, live_server, make_user, make_vendor):
    chair = make_user(role=Role.ORGANISER, email="chair@example.com", name="زهرا احمدی")
    committee = committees.create_committee(
        chair,
        name="کمیتهٔ مجوزها",
        mandate="صدور مجوز",
        chair_id=chair.id,
        member_ids=[],
        now=utcnow(),
    )
    committees.record_meeting(
        chair,
        committee.id,
        held_on=date(2026, 11, 19),
        attendee_ids=[],
        minutes="",
        decisions=[("گزارش ماهانه به شورا", [])],
        now=utcnow(),
    )
    make_vendor()
    sign_in(page, live_server, "chair@example.com")
    page.goto(live_server + "/plan/")
    page.get_by_role("link", name="تعیین هدف").click()
    page.get_by_label("کمیته‌ای که این سهم اوست").select_option(label="کمیتهٔ مجوزها")
    page.get_by_label("شاخص", exact=True).select_option(value="valid_licences")
    page.get_by_label("مقدار هدف").fill("۳۰")
    page.get_by_label("موعد رسیدن").fill("۱۴۰۵/۱۲/۲۹")
    page.get_by_label("نمایش در صفحهٔ عمومی پیشرفت").check()
    page.get_by_role("button", name="ثبت هدف").click()
    expect(page.get_by_text("هدف ثبت شد.")).to_be_visible()

    # Two monthly snapshots, as tick takes them at the start of two Jalali months.
    first = snapshots.take_monthly(now=utcnow())
    make_vendor()
    second = snapshots.take_monthly(now=utcnow() + timedelta(days=31))
    assert first
    assert second

    page.goto(f"{live_server}/committees/{committee.id}")
    share = page.locator("#share")
    expect(share.locator(".trend-line")).to_have_count(1)
    expect(share.locator(".target-line")).to_have_count(1)
    expect(share.locator("[data-target]")).to_have_attribute("data-target", "30")
    screenshot(page, "committee-share-fa")

    page.goto(live_server + "/plan/progress")
    card = page.locator(".progress-card").first
    expect(card.locator(".trend-line")).to_have_count(1)
    expect(card.locator(".target-line")).to_have_count(1)
    expect(card.locator("p span.text-muted")).to_contain_text(f"نسخهٔ {'۰۱۲۳۴۵۶۷۸۹'[second.id]}")
    screenshot(page, "progress-fa")

    page.goto(live_server + "/plan/reports")
    page.get_by_label("جلسهٔ شورا").select_option(index=1)
    page.get_by_label("نسخه‌ای که به آن استناد می‌کند").select_option(value=str(second.id))
    page.get_by_role("button", name="تهیهٔ گزارش").click()
    expect(page.get_by_text("گزارش تهیه و فایل PDF آن نگه داشته شد.")).to_be_visible()
    shown = [cell.inner_text() for cell in page.locator(".report td.num[data-value]").all()]
    db.session.rollback()  # see what the server's thread wrote
    report = reports.list_reports()[0]
    response = page.request.get(f"{live_server}/plan/reports/{report.id}.pdf")
    assert response.body() == reports.pdf_path(report).read_bytes()
    numbers = [t for t in page_texts(pdf.document(report)) if re.fullmatch("[۰-۹\u066c+−]+", t)]
    # A first report shows no change (dashes): the PDF's numbers are the page's, in order.
    assert shown
    assert numbers[: len(shown)] == shown


@pytest.mark.parametrize("language", ["fa", "en"])
def test_plan_pages_have_no_serious_accessibility_violation(
    page, live_server, make_user, check_a11y, language
):
    make_user(role=Role.ADMIN, email="admin@example.com")
    snapshots.take_monthly(now=utcnow())
    choose_language(page, live_server, language)
    page.goto(live_server + "/plan/progress")
    check_a11y(page, f"progress-{language}")
    sign_in(page, live_server, "admin@example.com")
    for path in ("/plan/", "/plan/targets/new", "/plan/trends", "/plan/past", "/plan/reports"):
        page.goto(live_server + path)
        check_a11y(page, f"plan{path.replace('/', '-')}{language}")
