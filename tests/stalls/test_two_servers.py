"""Two app servers, one database: 1,000 vendors race for 10 stalls with CSRF on.

Each server is a gunicorn process of its own (2 workers) serving the test's database (the
SQLite file, or PostgreSQL under --postgres). Every vendor reads the bazaar page, with its
apply form and CSRF token, from one server and sends the application to the other, so the
session, the token and the booking all cross servers. Exactly 10 get a stall, the rest wait in
order, and no request fails or is refused as a forgery.
"""

import contextlib
from concurrent.futures import ProcessPoolExecutor

import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.models import Application, Category, StallType
from tests.conftest import reference_ids
from tests.servers import (
    csrf_token,
    gunicorn,
    make_vendors,
    published_bazaar,
    send,
    server_env,
    session_cookie,
)

CLIENTS, ATTEMPTS, STALLS = 10, 1000, 10


def apply_across(args):
    """One client process: for each vendor, read the form on one server, apply on the other."""
    ports, bazaar_id, stall_type_id, category_id, vendors = args
    answers = []
    for n, cookie in vendors:
        form_port, apply_port = ports[n % 2], ports[(n + 1) % 2]
        status, _location, cookie, page = send(form_port, "GET", f"/bazaars/{bazaar_id}", cookie)
        if status != 200:
            answers.append(("form", status, "", page))
            continue
        fields = {
            "csrf_token": csrf_token(page),
            "stall_type_id": stall_type_id,
            "category_ids": category_id,
            "note": "",
        }
        status, location, _cookie, text = send(
            apply_port, "POST", f"/stalls/apply/{bazaar_id}", cookie, fields
        )
        answers.append(("apply", status, location, text))
    return answers


def test_a_thousand_bookings_through_two_servers_with_csrf_never_overbook(app):
    bazaar = published_bazaar(STALLS, title="two servers")
    stall_type = db.session.scalar(sa.select(StallType).where(StallType.bazaar_id == bazaar.id))
    category = reference_ids(Category)["garments"]
    cookies = [session_cookie(app, uid) for uid in make_vendors(app, ATTEMPTS)]
    env = server_env(app, WTF_CSRF_ENABLED="true")
    with contextlib.ExitStack() as stack:
        ports = [stack.enter_context(gunicorn(env, workers=2))[0] for _ in range(2)]
        # Control: CSRF is on in these servers, so a post without the token is refused.
        forged = send(
            ports[0],
            "POST",
            f"/stalls/apply/{bazaar.id}",
            cookies[0],
            {"stall_type_id": stall_type.id, "category_ids": category},
        )
        assert forged[0] == 400
        numbered = list(enumerate(cookies))
        jobs = [
            (ports, bazaar.id, stall_type.id, category, numbered[n::CLIENTS])
            for n in range(CLIENTS)
        ]
        with ProcessPoolExecutor(CLIENTS) as pool:
            answers = [answer for chunk in pool.map(apply_across, jobs) for answer in chunk]

    db.session.rollback()
    assert len(answers) == ATTEMPTS
    assert [a[:2] for a in answers if a[1] >= 500] == []
    assert [a[:2] for a in answers if a[1] == 400] == []  # no CSRF failure
    # Every application was accepted as a valid form and led to "My stalls".
    assert [a[:3] for a in answers if a[:3] != ("apply", 302, "/stalls/mine")] == []
    applications = db.session.scalars(
        sa.select(Application).where(Application.bazaar_id == bazaar.id)
    ).all()
    assert len(applications) == ATTEMPTS
    assert sum(a.state == "allocated" for a in applications) == STALLS
    waiting = sorted(a.position for a in applications if a.state == "waiting")
    assert waiting == list(range(1, ATTEMPTS - STALLS + 1))
    assert db.session.get(StallType, stall_type.id).allocated == STALLS
    if db.engine.dialect.name == "sqlite":
        assert db.session.scalar(sa.text("PRAGMA integrity_check")) == "ok"
