"""From a vendor's registration to a citizen finding the product, on a phone, in Persian."""

import pytest
from playwright.sync_api import expect

from bazaar.models import Role
from tests.browser.conftest import screenshot
from tests.browser.test_accounts import choose_language, open_account_menu
from tests.conftest import PASSWORD
from tests.services.test_images import jpeg


def sign_in(page, base, identifier):
    """Sign in, and wait until a page for the signed-in user has loaded."""
    page.goto(base + "/accounts/login")
    page.locator("#identifier").fill(identifier)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    expect(page.get_by_test_id("logout")).to_be_attached()


def sign_out(page):
    """Sign out, and wait until a page without the sign-out button has loaded."""
    open_account_menu(page)
    page.get_by_role("button", name="خروج").click()
    expect(page.get_by_test_id("logout")).to_have_count(0)


def test_vendor_to_citizen_journey(page, live_server, make_user, tmp_path):
    make_user(role=Role.ORGANISER, email="organiser@example.com")
    photo = tmp_path / "jam.jpg"
    photo.write_bytes(jpeg(colour=(180, 30, 60)))

    # A vendor registers and fills the profile.
    page.goto(live_server + "/accounts/register")
    page.get_by_label("نام شما").fill("مریم کریمی")
    page.get_by_label("محصولاتم را بفروشم").check()
    page.get_by_label("ایمیل", exact=True).fill("maryam@example.com")
    page.get_by_label("گذرواژه", exact=True).fill(PASSWORD)
    page.get_by_label("تکرار گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ساخت حساب").click()
    expect(page.get_by_test_id("logout")).to_be_attached()
    page.goto(live_server + "/vendors/me")
    page.get_by_role("link", name="ساخت نمایهٔ من").click()
    page.get_by_label("نام کسب‌وکار").fill("کیک‌پزی مریم")
    page.get_by_label("نام صاحب کسب‌وکار").fill("مریم کریمی")
    page.get_by_label("شمارهٔ همراه").fill("۰۹۱۲۳۴۵۶۷۸۹")
    page.get_by_label("شهرستان").select_option(label="قم")
    page.get_by_label("رشتهٔ فعالیت").select_option(label="شیرینی و نان خانگی ★")
    page.get_by_label("شمارهٔ مجوز").fill("QM-1404-77")
    page.get_by_label("تاریخ انقضای مجوز").fill("۱۴۰۶/۰۶/۰۱")
    page.get_by_label("شناسهٔ بهداشتی", exact=True).fill("HB-1234")
    page.get_by_label("تاریخ انقضای شناسهٔ بهداشتی").fill("۱۴۰۶/۰۳/۰۱")
    screenshot(page, "vendor-profile-fa")
    page.get_by_role("button", name="ذخیرهٔ نمایه").click()
    expect(page.get_by_text("نمایهٔ شما ذخیره شد")).to_be_visible()
    page.get_by_role("button", name="فرستادن برای تأیید").click()
    expect(page.get_by_text("در انتظار تأیید")).to_be_visible()
    sign_out(page)

    # An organiser verifies it.
    sign_in(page, live_server, "organiser@example.com")
    page.goto(live_server + "/vendors/queue")
    page.get_by_role("link", name="کیک‌پزی مریم").click()
    expect(page.get_by_role("button", name="تأیید", exact=True)).to_be_visible()
    screenshot(page, "vendor-review-fa")
    page.get_by_role("button", name="تأیید", exact=True).click()
    expect(page.get_by_text("فروشنده تأیید شد")).to_be_visible()
    sign_out(page)

    # The vendor adds a product with a photo.
    sign_in(page, live_server, "maryam@example.com")
    page.goto(live_server + "/catalogue/products/new")
    page.get_by_label("نام محصول").fill("کیک یزدی")
    page.get_by_label("دسته").select_option(label="شیرینی و کیک")
    page.get_by_label("قیمت (تومان)").fill("۱۸۵٬۰۰۰")
    page.get_by_label("واحد").fill("کیلوگرم")
    page.get_by_role("button", name="ذخیرهٔ محصول").click()
    page.get_by_label("افزودن عکس").set_input_files(str(photo))
    page.get_by_role("button", name="بارگذاری عکس").click()
    expect(page.get_by_text("عکس افزوده شد")).to_be_visible()
    sign_out(page)

    # A citizen finds it by typing with Arabic-keyboard letters.
    page.goto(live_server + "/")
    page.get_by_role("search").get_by_role("searchbox").fill("كيك يزدي")
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url(lambda url: "/catalogue/?q=" in url)
    result = page.get_by_role("link", name="کیک یزدی")
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    screenshot(page, "search-arabic-letters-fa")
    result.click()
    expect(page.get_by_text("۱۸۵٬۰۰۰ تومان")).to_be_visible()
    expect(page.locator("main img").first).to_be_visible()
    expect(page.get_by_role("link", name="تماس با ۰۹۱۲۳۴۵۶۷۸۹")).to_have_attribute(
        "href", "tel:09123456789"
    )
    screenshot(page, "product-fa")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_catalogue_pages_have_no_serious_accessibility_violation(
    page, live_server, make_product, make_vendor, check_a11y, language, now
):
    from bazaar.services import catalogue

    product = make_product(name="مربای به", description="مربای خانگی", category="jam-honey")
    catalogue.add_photo(product.vendor.user, product.id, jpeg(), now=now)
    make_vendor(status="pending", business_name="در انتظار")
    choose_language(page, live_server, language)
    for name, path in {
        "catalogue": "/catalogue/",
        "catalogue-search": "/catalogue/?q=مربا&sort=price_asc",
        "catalogue-empty": "/catalogue/?q=هیچ",
        "product": f"/catalogue/products/{product.id}",
        "vendor": f"/catalogue/vendors/{product.vendor_id}",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
    sign_in(page, live_server, product.vendor.user.email)
    for name, path in {
        "vendor-dashboard": "/vendors/me",
        "vendor-profile": "/vendors/me/profile",
        "product-edit": f"/catalogue/products/{product.id}/edit",
        "product-new": "/catalogue/products/new",
        "saved": "/catalogue/saved",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_organiser_pages_have_no_serious_accessibility_violation(
    page, live_server, make_user, make_vendor, check_a11y, language
):
    vendor = make_vendor(status="pending")
    make_user(role=Role.ADMIN, email="boss@example.com")
    choose_language(page, live_server, language)
    sign_in(page, live_server, "boss@example.com")
    for name, path in {
        "queue": "/vendors/queue",
        "review": f"/vendors/{vendor.id}/review",
        "imports": "/imports/",
        "reference": "/reference/",
        "reference-edit": "/reference/regions/1",
    }.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
