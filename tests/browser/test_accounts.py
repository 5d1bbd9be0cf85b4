"""A person registers, signs out and in, changes the password; the old session is dead."""

import re

import pytest
from playwright.sync_api import expect

from bazaar.models import Role
from bazaar.services.accounts import make_reset_token
from tests.browser.conftest import screenshot
from tests.conftest import NOW, PASSWORD

TEXT = {
    "fa": {
        "register": "ثبت‌نام",
        "name": "نام شما",
        "email": "ایمیل",
        "password": "گذرواژه",
        "again": "تکرار گذرواژه",
        "create": "ساخت حساب",
        "signed_in_as": "با حساب",
        "sign_out": "خروج",
        "sign_in": "ورود",
        "identifier": "ایمیل یا شمارهٔ همراه",
        "change": "تغییر گذرواژه",
        "current": "گذرواژهٔ فعلی",
        "new": "گذرواژهٔ تازه",
        "new_again": "تکرار گذرواژهٔ تازه",
        "changed": "گذرواژهٔ شما تغییر کرد",
        "please_sign_in": "برای دیدن این صفحه وارد حساب خود شوید",
    },
    "en": {
        "register": "Register",
        "name": "Your name",
        "email": "Email",
        "password": "Password",
        "again": "Password again",
        "create": "Create account",
        "signed_in_as": "Signed in as",
        "sign_out": "Sign out",
        "sign_in": "Sign in",
        "identifier": "Email or mobile number",
        "change": "Change password",
        "current": "Current password",
        "new": "New password",
        "new_again": "New password again",
        "changed": "Your password was changed",
        "please_sign_in": "Please sign in to open this page",
    },
}


def open_menu(page):
    """On a phone the menu is collapsed behind the toggler."""
    page.wait_for_load_state()  # Bootstrap's script has run, so the toggler works
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false":
        toggler.click()
        # Wait for the end of the opening animation: a click on an item while it still moves
        # can land beside it.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def open_account_menu(page):
    """Sign-out and the password change sit in the account menu, behind the main menu's toggler."""
    open_menu(page)
    page.get_by_role("button", name=re.compile("^(حساب من|My account)$")).click()


def choose_language(page, base, language):
    page.goto(f"{base}/language/{language}?next=/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_the_language_switch_in_the_menu(page, live_server):
    page.goto(live_server + "/accounts/login")
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.split("?")[0].endswith("/accounts/login")  # back on the same page
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="فارسی").click()
    expect(page.locator("html")).to_have_attribute("lang", "fa")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_register_logout_login_change_password_kills_old_session(
    page, live_server, browser, language
):
    t = TEXT[language]
    choose_language(page, live_server, language)
    page.goto(live_server + "/accounts/register")
    page.get_by_label(t["name"]).fill("سمیه کریمی")
    page.get_by_label(t["email"], exact=True).fill(f"somayeh-{language}@example.com")
    page.get_by_label(t["password"], exact=True).fill(PASSWORD)
    page.get_by_label(t["again"], exact=True).fill(PASSWORD)
    screenshot(page, f"register-filled-{language}")
    page.get_by_role("button", name=t["create"]).click()
    expect(page.get_by_text(t["signed_in_as"])).to_be_visible()

    open_account_menu(page)
    page.get_by_role("button", name=t["sign_out"]).click()
    expect(page.get_by_test_id("logout")).to_have_count(0)
    page.goto(live_server + "/accounts/login")
    page.get_by_label(t["identifier"]).fill(f"somayeh-{language}@example.com")
    page.get_by_label(t["password"], exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t["sign_in"]).click()
    expect(page.get_by_text(t["signed_in_as"])).to_be_visible()

    old_cookies = page.context.cookies()
    page.goto(live_server + "/accounts/password")
    page.get_by_label(t["current"]).fill(PASSWORD)
    page.get_by_label(t["new"], exact=True).fill("a brand new passphrase")
    page.get_by_label(t["new_again"]).fill("a brand new passphrase")
    page.get_by_role("main").get_by_role("button", name=t["change"]).click()
    expect(page.get_by_text(t["changed"])).to_be_visible()
    screenshot(page, f"password-changed-{language}")

    # The cookie copied before the change is signed out; this browser stays signed in.
    stolen = browser.new_context()
    stolen.add_cookies(old_cookies)
    replay = stolen.new_page()
    replay.goto(live_server + "/notifications/")
    expect(replay.get_by_text(t["please_sign_in"])).to_be_visible()
    assert "/accounts/login" in replay.url
    stolen.close()
    page.goto(live_server + "/notifications/")
    assert "/notifications/" in page.url


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_page_direction_follows_the_language(page, live_server, language, direction):
    choose_language(page, live_server, language)
    computed = page.evaluate("getComputedStyle(document.documentElement).direction")
    assert computed == direction
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith("Vazirmatn")
    # The vendored font file is served and used (no CDN).
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Vazirmatn'))")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_page_has_no_serious_accessibility_violation(
    page, live_server, make_user, check_a11y, language
):
    admin = make_user(role=Role.ADMIN, email="admin@example.com")
    other = make_user(email="other@example.com")
    token = make_reset_token(other, NOW.now(NOW.tzinfo))
    choose_language(page, live_server, language)
    public = {
        "home": "/",
        "login": "/accounts/login",
        "register": "/accounts/register",
        "reset-request": "/accounts/reset",
        "reset": f"/accounts/reset/{token}",
        "not-found": "/no/such/page",
    }
    for name, path in public.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
    # Invalid form, with its error messages shown.
    page.goto(live_server + "/accounts/login")
    page.get_by_role("main").get_by_role("button").click()
    check_a11y(page, f"login-errors-{language}")

    page.goto(live_server + "/accounts/login")
    page.locator("#identifier").fill(admin.email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    private = {
        "password": "/accounts/password",
        "notifications": "/notifications/",
        "admin-users": "/admin/users",
        "admin-disable": f"/admin/users/{other.id}/disable",
    }
    for name, path in private.items():
        page.goto(live_server + path)
        check_a11y(page, f"{name}-{language}")
    open_menu(page)
    check_a11y(page, f"menu-open-{language}")
