"""Two runs of the periodic jobs at once (real processes, one database) never send a message
twice nor release a bazaar twice: the outbox claims each message, the gate takes its lock.

The control runs the same two processes with the outbox's claim switched off, and must see
messages sent twice: proof that the test can catch the race it guards against.
"""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bazaar.extensions import db
from bazaar.models import AuditEntry, StatusChange
from bazaar.services.notifications import notify_address

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 60
# Runs the periodic jobs once; with "unguarded", every message is "claimed" by both processes.
RUNNER = """
import sys, time
from pathlib import Path
from bazaar import create_app
from bazaar.services import notifications
from bazaar.tasks import run_periodic_jobs
mode, ready, number = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
if mode == "unguarded":
    notifications.claim_message = lambda message_id, now: True
app = create_app()
# Start together: each says it is ready, then waits for the other.
(ready / number).touch()
while len(list(ready.iterdir())) < 2:
    time.sleep(0.01)
with app.app_context():
    print(run_periodic_jobs())
"""

pytestmark = pytest.mark.sqlite_only("the processes share the test's SQLite file")


class Gateway(BaseHTTPRequestHandler):
    """An SMS gateway that counts the texts it is given, per recipient."""

    received = Counter()
    lock = threading.Lock()

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        with self.lock:
            self.received[form["receptor"][0]] += 1
        time.sleep(0.02)  # a real gateway takes a while: the two runs overlap for longer
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.received = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def run_two_at_once(app, gateway, mode):
    env = {
        **os.environ,
        "BAZAAR_INSTANCE_PATH": app.instance_path,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
        "FLASK_SMS_BACKEND": "http",
        "FLASK_SMS_GATEWAY_URL": f"http://127.0.0.1:{gateway.server_port}/send",
    }
    db.session.remove()
    ready = Path(app.instance_path) / "ready"
    ready.mkdir()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER, mode, str(ready), str(n)], cwd=ROOT, env=env
        )
        for n in range(2)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]


def setup_due_work(now, make_restriction, make_bazaar):
    from bazaar.database import write_transaction

    make_restriction(ends_on=date(2026, 11, 25))  # over by the real clock the processes read
    bazaar = make_bazaar(day=date(2026, 11, 24))
    with write_transaction():
        for n in range(MESSAGES):
            notify_address("sms", f"0912{n:07d}", "vendor_claim", now=now, business="x", url="y")
    return bazaar.id


def test_two_runs_at_once_send_each_message_once_and_release_once(
    app, now, gateway, make_restriction, make_bazaar
):
    bazaar_id = setup_due_work(now, make_restriction, make_bazaar)
    run_two_at_once(app, gateway, "guarded")
    assert len(Gateway.received) == MESSAGES
    assert set(Gateway.received.values()) == {1}
    released = db.select(db.func.count(StatusChange.id)).where(
        StatusChange.bazaar_id == bazaar_id, StatusChange.reason == "released"
    )
    assert db.session.scalar(released) == 1
    notices = db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "bazaar.release")
    assert db.session.scalar(notices) == 1


def test_control_without_the_claim_messages_go_twice(
    app, now, gateway, make_restriction, make_bazaar
):
    setup_due_work(now, make_restriction, make_bazaar)
    run_two_at_once(app, gateway, "unguarded")
    assert max(Gateway.received.values()) == 2
