"""Real app servers for the tests that need separate processes: gunicorn on free ports.

Also what those tests share: many vendors inserted at once, a published bazaar, session
cookies signed as the servers sign them, and plain HTTP requests.
"""

import contextlib
import ctypes
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Bazaar, Region, Role, User, Vendor
from bazaar.models.types import utcnow
from bazaar.services.bazaars import planning
from tests.conftest import reference_ids

ROOT = Path(__file__).resolve().parents[1]
PR_SET_PDEATHSIG = 1


def free_port():
    """Return a TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(app, **config):
    """The environment that makes a gunicorn server serve `app`'s database and settings."""
    env = {
        **os.environ,
        "BAZAAR_INSTANCE_PATH": app.instance_path,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
        "FLASK_WTF_CSRF_ENABLED": "false",
        "FLASK_RATELIMIT_ENABLED": "false",
        "FLASK_PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
    }
    env.update({f"FLASK_{key}": value for key, value in config.items()})
    return env


def wait_until_up(port, server, log, seconds=30):
    """Wait until the server answers /healthz; raise if it died or never answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            probe.close()
    raise RuntimeError("gunicorn did not start")


def _die_with_parent():
    # The server is the test's: if the test process dies, so does the server (Linux).
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def gunicorn(env, workers=2, app_spec="bazaar:create_app()", log_level="info", preload=False):
    """Run gunicorn with `env` on a free port; yield (port, process); stop it afterwards.

    Its log goes to a file, never to a pipe nobody reads (a full pipe stops the server). A test
    that kills workers by the hundred passes log_level="critical": gunicorn's master logs each
    death from its signal handler, which can deadlock on the log's lock; and preload=True, so
    a new worker is a fork of a ready app rather than a second of imports on a busy machine.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "gunicorn.log"
        with log.open("w") as handle:
            server = subprocess.Popen(
                [
                    *(str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers)),
                    *("--bind", f"127.0.0.1:{port}", "--timeout", "60"),
                    *("--log-level", log_level, *(["--preload"] if preload else []), app_spec),
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=handle,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        try:
            wait_until_up(port, server, log)
            yield port, server
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def post_form(port, path, fields, headers=None):
    """POST a form; return (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = "&".join(f"{k}={v}" for k, v in fields.items())
    conn.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
    )
    response = conn.getresponse()
    result = response.status, response.read().decode()
    conn.close()
    return result


def send(port, method, path, cookie=None, fields=None):
    """Send one request with a session cookie (and form fields, urlencoded).

    Return (status, Location, the session cookie to use next, body text).
    """
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    body = None
    if fields is not None:
        body = urlencode(fields, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        set_cookie = response.getheader("Set-Cookie") or ""
        if "session=" in set_cookie:
            cookie = set_cookie.split("session=", 1)[1].split(";", 1)[0]
        return response.status, response.getheader("Location", ""), cookie, text
    finally:
        conn.close()


def csrf_token(page):
    """The CSRF token of the first form on a page (Flask-WTF's hidden field)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if found is None:
        raise AssertionError("the page has no CSRF token")
    return found.group(1)


def session_cookie(app, user_id):
    """A session cookie signed with the app's key that signs `user_id` in."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": f"{user_id}:1", "_fresh": True})


def make_vendors(app, count):
    """Insert `count` verified vendors with accounts, quickly; return their user ids."""
    user_hash = (
        db.session.scalar(sa.select(User.password_hash).limit(1)) or "pbkdf2:sha256:1000$x$y"
    )
    regions, fields = (
        reference_ids(Region),
        db.session.scalar(sa.text("SELECT id FROM fields WHERE code = 'sewing'")),
    )
    now = utcnow()
    start = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    users = [
        {
            "id": start + n,
            "email": f"race{n}@example.com",
            "name": f"v{n}",
            "password_hash": user_hash,
            "role": "vendor",
            "locale": "fa",
            "session_version": 1,
            "created_at": now,
        }
        for n in range(count)
    ]
    vendors = [
        {
            "user_id": start + n,
            "business_name": f"b{n}",
            "owner_name": f"o{n}",
            "mobile": f"0913{n:07d}",
            "county_id": regions["qom"],
            "field_id": fields,
            "licence_kind": "independent",
            "status": "verified",
            "description": "",
            "search_text": "",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(User), users)
    db.session.execute(sa.insert(Vendor), vendors)
    db.session.commit()
    return [u["id"] for u in users]


def published_bazaar(stalls, title="race"):
    """A bazaar a month from today, open for applications, with one type of `stalls` stalls."""
    organiser = db.session.scalar(sa.select(User).where(User.role == Role.ORGANISER))
    data = planning.BazaarData(
        title=title,
        venue_name="v",
        county_id=reference_ids(Region)["qom"],
        day=local_date(utcnow()) + timedelta(days=30),
        start=clock(10, 0),
        end=clock(18, 0),
    )
    bazaar = planning.create_bazaar(
        organiser, data, [planning.StallTypeData("میز", stalls, None, False)], now=utcnow()
    )
    planning.publish_bazaar(organiser, bazaar.id, now=utcnow())
    return db.session.get(Bazaar, bazaar.id)
