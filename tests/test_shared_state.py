"""Several app servers agree on sessions, CSRF tokens, rate limits and cached pages.

Each server is a gunicorn process of its own, so nothing is shared through memory: sessions
through the secret key, the catalogue version through the database, counters and (with
REDIS_URL) cached pages through Redis.
"""

import contextlib
import time
import uuid

import pytest

from bazaar import create_app
from bazaar.extensions import cache
from tests.conftest import PASSWORD, base_config
from tests.servers import csrf_token, gunicorn, post_form, send, server_env

WRONG = {"identifier": "nobody%40example.com", "password": "wrong+password+here"}


def sign_in_answers(app, attempts, **config):
    """Send wrong passwords from one address, alternating two servers; return the statuses."""
    env = server_env(app, RATELIMIT_ENABLED="true", LOGIN_LIMIT_PER_IP="3 per minute", **config)
    with contextlib.ExitStack() as stack:
        ports = [stack.enter_context(gunicorn(env, workers=1))[0] for _ in range(2)]
        return [post_form(ports[n % 2], "/accounts/login", WRONG)[0] for n in range(attempts)]


def test_the_sign_in_limit_holds_across_two_servers_sharing_redis(app, redis_url):
    answers = sign_in_answers(app, 5, REDIS_URL=redis_url)
    assert 429 not in answers[:3]
    assert answers[3:] == [429, 429]


def test_control_without_redis_each_server_counts_alone(app):
    """Control: with per-process counters the same attempts get through twice as often."""
    assert 429 not in sign_in_answers(app, 6)


def test_a_page_cached_by_one_server_is_read_by_the_other(app, tmp_path, redis_url):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    first, second = (
        create_app({**base_config(tmp_path / name, uri), "REDIS_URL": redis_url})
        for name in ("one", "two")
    )
    with first.app_context():
        cache.set("shared-page", "<html>cached by one</html>")
    with second.app_context():
        assert cache.get("shared-page") == "<html>cached by one</html>"


@pytest.fixture(params=["redis", "per-process"])
def page_cache(request):
    """Settings for visitors' pages cached in a shared Redis, or in each worker process."""
    if request.param == "per-process":
        return {}
    # A prefix of its own: the Redis server outlives this test, and versions repeat per test.
    prefix = f"bazaar-{uuid.uuid4().hex}:"
    return {"REDIS_URL": request.getfixturevalue("redis_url"), "CACHE_KEY_PREFIX": prefix}


def wait_for_page(port, path, text, seconds=2.0):
    """Poll a page until it shows `text`; return that page, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        page = send(port, "GET", path)[3]
        if text in page:
            return page
        assert time.monotonic() < deadline, f"{path} still lacks {text!r} after {seconds} s"
        time.sleep(0.1)


def test_a_session_and_a_change_made_through_one_server_hold_on_the_other(
    app, make_product, page_cache
):
    product = make_product(name="first-name")
    email, edit = product.vendor.user.email, f"/catalogue/products/{product.id}/edit"
    env = server_env(app, WTF_CSRF_ENABLED="true", **page_cache)
    with contextlib.ExitStack() as stack:
        a, b = (stack.enter_context(gunicorn(env, workers=2))[0] for _ in range(2))
        # Visitors of server B see (and cache) the product under its first name.
        assert "first-name" in wait_for_page(b, "/catalogue/", "first-name")

        # Sign in through A; B accepts that session and the token A put in it.
        _status, _location, cookie, page = send(a, "GET", "/accounts/login")
        fields = {"csrf_token": csrf_token(page), "identifier": email, "password": PASSWORD}
        status, location, cookie, _text = send(a, "POST", "/accounts/login", cookie, fields)
        assert (status, "login" in location) == (302, False)
        anonymous = send(b, "GET", edit)  # control: without the cookie B asks to sign in
        assert (anonymous[0], anonymous[1].startswith("/accounts/login")) == (302, True)
        status, _location, cookie, page = send(b, "GET", edit, cookie)
        assert status == 200
        assert "first-name" in page

        # Rename it through A with the token from B's form; B's visitors see it within ~1 s.
        fields = {
            "csrf_token": csrf_token(page),
            "name": "second-name",
            "description": "",
            "category_id": product.category_id,
            "price_toman": product.price_toman,
            "unit": product.unit,
            "availability": "in_stock",
        }
        assert send(a, "POST", edit, cookie, fields)[:2] == (302, edit)
        assert "first-name" not in wait_for_page(b, "/catalogue/", "second-name")
