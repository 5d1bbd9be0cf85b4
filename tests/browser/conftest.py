"""Browser tests: the app served from a thread, driven by Debian's Chromium at phone size."""

import gc
import logging
import os
import re
import threading
import warnings
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from bazaar.assets import build_static, serve_build
from tests.browser.page_checks import watch

PHONE = {"width": 360, "height": 780}
SCREENSHOTS = os.environ.get("BAZAAR_SCREENSHOTS")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
            # Werkzeug's threaded test server leaves a static file open when the browser drops
            # a download half-way (navigating on); that is the test server, not the app.
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


@pytest.fixture(scope="session")
def base_url():
    """Replace pytest-base-url's fixture, which pytest 9 warns about; pages use live_server."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use Debian's Chromium; Playwright's own browser download does not work here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Open every page on a phone-sized screen."""
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture(scope="session")
def static_build(tmp_path_factory):
    """Build static/ as `make` does (hashed names, gzip, brotli) once for the browser tests."""
    folder = tmp_path_factory.mktemp("static-build") / "static"
    return folder, build_static(Path(__file__).resolve().parents[2] / "static", folder)


@pytest.fixture
def app(app, static_build):
    """The test app, serving the built static files through WhiteNoise as production does."""
    serve_build(app, *static_build)
    return app


@pytest.fixture
def live_server(app):
    """Serve the test app over HTTP from a thread; yield its base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in messages come from PUBLIC_BASE_URL: it must name the port actually served, or
    # every emailed link (a release notice's) points at the default port, where nothing runs.
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join()
    server.server_close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()  # let files the test server left open go now, not in a later test


@pytest.fixture(scope="session")
def axe():
    return Axe()


PERSIAN_NAMES = ("زهرا احمدی", "علی رضایی", "فاطمه موسوی", "حسین کاظمی", "مریم نوری", "رضا صادقی")


@pytest.fixture
def make_user(make_user):
    """Accounts named in Persian: a Persian page's only Latin text is then the app's own."""
    names = iter(PERSIAN_NAMES * 20)

    def make(*args, name=None, **kwargs):
        return make_user(*args, name=name or next(names), **kwargs)

    return make


BUSINESS_NAMES = ("ترشی‌سرای نرگس", "کیک‌پزی مهتاب", "دوخت سپیده", "مربای گلاب", "نان محلی کهک")


@pytest.fixture
def make_vendor(make_vendor):
    """Businesses named in Persian (the shared factory numbers them in Latin digits)."""
    names = iter(BUSINESS_NAMES * 20)

    def make(*args, **profile):
        profile.setdefault("business_name", next(names))
        return make_vendor(*args, **profile)

    return make


@pytest.fixture
def page(page, axe, live_server):
    """The test's page, checked at every page it loads (see page_checks.py): no Latin digit or
    English word in Persian text, no sideways scroll at 360, 1024 and 1280 px, nothing axe rates
    moderate or worse, in both languages, as the account the test is signed in with."""
    watcher = watch(page, axe)
    yield page
    watcher.flush()
    assert watcher.problems == [], "\n".join(watcher.problems)


@pytest.fixture
def check_a11y(axe):
    """Assert axe finds no serious or critical violation on the page; save a screenshot."""

    def check(page, name):
        results = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{name}: {serious}"
        screenshot(page, name)

    return check


def screenshot(page, name):
    """Save a full-page screenshot when BAZAAR_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=folder / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png", full_page=True
        )
