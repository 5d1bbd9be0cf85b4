"""Layout and focus: the error summary takes focus, focus rings are visible, menus fit."""

import pytest
from playwright.sync_api import expect

from bazaar.models import Role
from tests.browser.test_accounts import choose_language
from tests.browser.test_catalogue import sign_in


def contrast(a, b):
    """WCAG contrast ratio of two "rgb(r, g, b)" colours."""

    def luminance(text):
        channels = [int(x) / 255 for x in text[text.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_form_with_errors_puts_focus_on_a_summary_that_links_to_each_field(page, live_server):
    page.goto(live_server + "/accounts/login")
    page.get_by_role("main").get_by_role("button").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#identifier")).to_be_focused()


def test_focus_rings_stand_out_three_to_one(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + "/accounts/login")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand, on the green bar
    brand = page.locator(".navbar-brand")
    expect(brand).to_be_focused()
    ring = brand.evaluate("e => getComputedStyle(e).outlineColor")
    bar = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert contrast(ring, bar) >= 3
    field = page.locator("#identifier")
    field.focus()
    ring = field.evaluate("e => getComputedStyle(e).outlineColor")
    assert field.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert contrast(ring, "rgb(255, 255, 255)") >= 3


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_admins_menu_fits_every_width(page, live_server, make_user, language):
    make_user(role=Role.ADMIN, email="admin@example.com")
    choose_language(page, live_server, language)
    sign_in(page, live_server, "admin@example.com")
    page.goto(live_server + "/accounts/password")
    names = ("My account", "فارسی") if language == "en" else ("حساب من", "English")
    for width in (360, 768, 1024, 1200, 1280, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0, width
        if width >= 1200:  # expanded: the account menu and the language switch are on screen
            for name in names:
                box = page.get_by_role("button", name=name).bounding_box()
                assert box is not None
                assert box["x"] >= 0
                assert box["x"] + box["width"] <= width, (width, name)
