"""Real app servers for the tests that need separate processes: gunicorn on free ports."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def wait_until_up(port, server, seconds=30):
    """Wait until the server answers /healthz; raise if it died or never answered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
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


@contextlib.contextmanager
def gunicorn(env, workers=2, app_spec="bazaar:create_app()"):
    """Run gunicorn with `env` on a free port; yield (port, process); stop it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers)),
            *("--bind", f"127.0.0.1:{port}", "--timeout", "60", app_spec),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_until_up(port, server)
        yield port, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)


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
