"""The guarantee under load: 20 processes, 1,000 booking attempts, 10 stalls, real HTTP.

gunicorn (several sync workers) serves the test's own database (SQLite file, or PostgreSQL
when the suite runs with --postgres). Every attempt is a different verified vendor applying
first come, first served. Exactly 10 get a stall; every other answer is a clean page saying
they are on the waiting list; no 5xx, no "database is locked". The control serves an app whose
claim is a naive check-then-write (tests/stalls/unguarded_app.py) and must see overbooking,
proving the test can catch it.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.models import ApiToken, Application, Category, StallType
from bazaar.models.types import utcnow
from bazaar.services.tokens import hash_token
from tests.conftest import reference_ids
from tests.servers import free_port, make_vendors, published_bazaar, session_cookie

PROCESSES, ATTEMPTS, STALLS = 20, 1000, 10
ROOT = Path(__file__).resolve().parents[2]


def attempt(args):
    """One client process: apply, then read the page the redirect leads to."""
    port, bazaar_id, stall_type_id, category_id, cookies = args
    results = []
    for cookie in cookies:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = f"stall_type_id={stall_type_id}&category_ids={category_id}&note="
        headers = {
            "Cookie": f"session={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        conn.request("POST", f"/stalls/apply/{bazaar_id}", body=body, headers=headers)
        response = conn.getresponse()
        status, location, text = (
            response.status,
            response.getheader("Location", ""),
            response.read().decode(),
        )
        set_cookie = response.getheader("Set-Cookie", "")
        page = ""
        if status == 302:
            flashed = (
                set_cookie.split("session=", 1)[1].split(";", 1)[0]
                if "session=" in set_cookie
                else cookie
            )
            conn.request("GET", location, headers={"Cookie": f"session={flashed}"})
            follow = conn.getresponse()
            status, page = follow.status, follow.read().decode()
        conn.close()
        results.append((status, location, text + page))
    return results


def attempt_api(args):
    """One client process: apply through POST /api/v1/bazaars/{id}/applications."""
    port, bazaar_id, stall_type_id, category_id, secrets = args
    results = []
    for secret in secrets:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"stall_type_id": stall_type_id, "category_ids": [category_id]})
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        conn.request(
            "POST", f"/api/v1/bazaars/{bazaar_id}/applications", body=body, headers=headers
        )
        response = conn.getresponse()
        results.append((response.status, "", response.read().decode()))
        conn.close()
    return results


def api_tokens(user_ids):
    """Insert a live API token for each user at once; return their secrets."""
    secrets = [f"race-{uid}" for uid in user_ids]
    expires = utcnow() + timedelta(hours=1)
    db.session.execute(
        sa.insert(ApiToken),
        [
            {
                "user_id": uid,
                "token_hash": hash_token(secret),
                "created_at": utcnow(),
                "expires_at": expires,
            }
            for uid, secret in zip(user_ids, secrets, strict=True)
        ],
    )
    db.session.commit()
    return secrets


def serve(app, port, unguarded):
    env = {
        **os.environ,
        "BAZAAR_INSTANCE_PATH": app.instance_path,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
        "FLASK_WTF_CSRF_ENABLED": "false",
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "tests.stalls.unguarded_app:create_app()" if unguarded else "bazaar:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    for _ in range(150):
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
        finally:
            probe.close()
    server.kill()
    pytest.fail("gunicorn did not start")
    return None


def race(app, unguarded, via_api=False):
    bazaar = published_bazaar(STALLS)
    stall_type = db.session.scalar(sa.select(StallType).where(StallType.bazaar_id == bazaar.id))
    category = reference_ids(Category)["garments"]
    user_ids = make_vendors(app, ATTEMPTS)
    if via_api:
        credentials = api_tokens(user_ids)
    else:
        credentials = [session_cookie(app, uid) for uid in user_ids]
    chunks = [credentials[n::PROCESSES] for n in range(PROCESSES)]
    port = free_port()
    server = serve(app, port, unguarded)
    try:
        with ProcessPoolExecutor(PROCESSES) as pool:
            results = [
                r
                for chunk in pool.map(
                    attempt_api if via_api else attempt,
                    [(port, bazaar.id, stall_type.id, category, c) for c in chunks],
                )
                for r in chunk
            ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _out, errors = server.communicate(timeout=30)
    db.session.rollback()
    held = db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.bazaar_id == bazaar.id, Application.state == "allocated"
        )
    )
    return bazaar, stall_type, results, held, errors.decode()


def test_a_thousand_concurrent_bookings_never_overbook(app):
    bazaar, stall_type, results, held, server_log = race(app, unguarded=False)
    statuses = [status for status, _location, _text in results]
    assert len(results) == ATTEMPTS
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(200) == ATTEMPTS  # every redirect led to a normal page
    texts = [text for _s, _l, text in results]
    assert not any("database is locked" in t for t in texts)
    assert "database is locked" not in server_log
    got = sum("غرفهٔ خالی" in t for t in texts)
    waiting = sum("در فهرست انتظار" in t or "فهرست انتظار هستید" in t for t in texts)
    assert (got, got + waiting) == (STALLS, ATTEMPTS)
    assert held == STALLS
    assert db.session.get(StallType, stall_type.id).allocated == STALLS
    positions = db.session.scalars(
        sa.select(Application.position).where(
            Application.bazaar_id == bazaar.id, Application.state == "waiting"
        )
    ).all()
    assert sorted(positions) == list(range(1, ATTEMPTS - STALLS + 1))  # one place each, in order
    if db.engine.dialect.name == "sqlite":
        assert db.session.scalar(sa.text("PRAGMA integrity_check")) == "ok"


def test_a_thousand_concurrent_bookings_through_the_api_never_overbook(app):
    """The same race through POST /api/v1/bazaars/{id}/applications with bearer tokens."""
    bazaar, stall_type, results, held, server_log = race(app, unguarded=False, via_api=True)
    statuses = [status for status, _location, _text in results]
    assert len(results) == ATTEMPTS
    assert statuses.count(201) == ATTEMPTS, sorted(set(statuses))
    assert "database is locked" not in server_log
    states = [json.loads(text)["state"] for _s, _l, text in results]
    assert (states.count("allocated"), states.count("waiting")) == (STALLS, ATTEMPTS - STALLS)
    assert held == STALLS
    assert db.session.get(StallType, stall_type.id).allocated == STALLS
    positions = db.session.scalars(
        sa.select(Application.position).where(
            Application.bazaar_id == bazaar.id, Application.state == "waiting"
        )
    ).all()
    assert sorted(positions) == list(range(1, ATTEMPTS - STALLS + 1))


def test_control_without_the_guard_the_same_load_overbooks(app):
    """Control: with the guard off the same race must overbook, or the test proves nothing."""
    *_, results, held, _log = race(app, unguarded=True)
    assert len(results) == ATTEMPTS
    assert held > STALLS, held
