"""scripts/run.sh (what `make run` runs): gunicorn and the consumer start, and stop together."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.sqlite_only("the script serves the test's SQLite file")


def environment(app):
    return {
        **os.environ,
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": app.instance_path,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
    }


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def serving(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def processes_in_group(pgid):
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "-g", str(pgid)], capture_output=True, text=True
    )
    return out.stdout


def start(app, command):
    log = open(Path(app.instance_path) / "run.log", "w")  # noqa: SIM115 (closed by the test)
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment(app), stdout=log, stderr=log, start_new_session=True
    )
    return process, log


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_script_stops_server_and_consumer(app, sig):
    port = free_port()
    process, log = start(app, ["scripts/run.sh", str(BIN), str(port), "1"])
    try:
        assert wait_until(lambda: serving(port), 60), Path(log.name).read_text()
        listing = processes_in_group(process.pid)
        assert "flask worker" in listing, listing
        assert "gunicorn" in listing, listing
        process.send_signal(sig)
        process.wait(timeout=30)
        assert wait_until(lambda: not group_alive(process.pid), 15), processes_in_group(process.pid)
    finally:
        if group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_killing_make_leaves_nothing_behind(app):
    """`make` killed outright cannot pass a signal on: the script notices and stops both."""
    port = free_port()
    parent, log = start(app, ["sh", "-c", f"scripts/run.sh {BIN} {port} 1; true"])
    try:
        assert wait_until(lambda: serving(port), 60), Path(log.name).read_text()
        parent.kill()
        parent.wait(timeout=10)
        assert wait_until(lambda: not group_alive(parent.pid), 20), processes_in_group(parent.pid)
    finally:
        if group_alive(parent.pid):
            os.killpg(parent.pid, signal.SIGKILL)
        log.close()
