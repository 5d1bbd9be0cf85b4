"""Several app servers behind one Redis agree on rate limits and on cached pages.

Each server is a gunicorn process of its own, so nothing is shared through memory.
"""

import contextlib

from bazaar import create_app
from bazaar.extensions import cache
from tests.conftest import base_config
from tests.servers import gunicorn, post_form, server_env

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
