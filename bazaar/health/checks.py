"""What /readyz asks before the app may take traffic: one entry per dependency.

Each check takes the app and returns None when the dependency answers, raises when it does
not, or returns SKIPPED when it is not configured.
"""

import redis
import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.queue import get_huey

SKIPPED = "not configured"


def database(app):
    """The database answers a query."""
    db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()


def redis_server(app):
    """Redis answers a PING, when REDIS_URL names one."""
    url = app.config["REDIS_URL"]
    if not url:
        return SKIPPED
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return None


def task_queue(app):
    """The task queue's storage answers (SQLite file or Redis): it can say how much waits."""
    get_huey(app).pending_count()


# Checks in the order /readyz runs them.
CHECKS = [
    ("database", database),
    ("redis", redis_server),
    ("task queue", task_queue),
]


def run_checks(app, checks=None):
    """Run every check; return ({name: "ok" | "not configured" | "failing"}, failing names)."""
    results, failing = {}, []
    for name, check in checks if checks is not None else CHECKS:
        try:
            results[name] = check(app) or "ok"
        except Exception:
            # Why it failed goes to the log (with the request id), never to the public answer.
            app.logger.exception("Readiness check %r failed", name)
            results[name] = "failing"
            failing.append(name)
    return results, failing
