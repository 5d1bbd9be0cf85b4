"""Real app servers for the tests that need separate processes: gunicorn on free ports."""

import contextlib
import ctypes
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
