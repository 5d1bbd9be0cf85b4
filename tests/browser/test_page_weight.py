"""Page weight on a phone: what the catalogue costs to open, and what the next page costs."""

from bazaar.extensions import db
from bazaar.services import catalogue
from bazaar.text import to_persian_digits
from tests.conftest import NOW
from tests.services.test_images import jpeg

FIRST_VIEW_BUDGET = 200 * 1024
NEXT_PAGE_BUDGET = 30 * 1024


class RequestLog:
    """WSGI middleware that records every path the server was asked for."""

    def __init__(self, app):
        self.app, self.paths = app, []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


def transferred(page):
    """Start counting the bytes Chromium receives (headers and encoded bodies); return a reader."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    total = {"bytes": 0}
    cdp.on(
        "Network.loadingFinished",
        lambda e: total.update(bytes=total["bytes"] + e["encodedDataLength"]),
    )
    return total


def test_catalogue_first_view_and_next_page_stay_within_budget(
    app, context, live_server, make_vendor, make_product
):
    # A page of its own: the `page` fixture's checks open each page again in other tabs and
    # languages, which would count here.
    page = context.new_page()
    vendor = make_vendor()
    for n in range(24):
        product = make_product(vendor, name=f"محصول خانگی شمارهٔ {to_persian_digits(str(n))}")
        if n % 3 == 0:
            catalogue.add_photo(
                vendor.user, product.id, jpeg(colour=(20 * (n % 12), 90, 60)), now=NOW
            )
    db.session.commit()
    log = RequestLog(app.wsgi_app)
    app.wsgi_app = log
    total = transferred(page)

    page.goto(live_server + "/catalogue/", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    first = total["bytes"]
    assets = [p for p in log.paths if p.startswith("/static/")]
    # The page's stylesheets, scripts and font came, each under its hashed name, compressed.
    assert any(p.endswith(".woff2") for p in assets)
    assert any("bootstrap.rtl.min." in p for p in assets)
    assert first <= FIRST_VIEW_BUDGET, f"first view of the catalogue: {first} bytes"

    log.paths.clear()
    total["bytes"] = 0
    page.goto(live_server + "/bazaars/", wait_until="networkidle")
    second = total["bytes"]
    assert [p for p in log.paths if p.startswith("/static/")] == [], "assets fetched again"
    assert second <= NEXT_PAGE_BUDGET, f"second page: {second} bytes"
