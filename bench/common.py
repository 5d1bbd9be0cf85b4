"""What both benchmarks share: starting gunicorn as `make run` does, and one wrk run."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv running the benchmark (the project's .venv as documented) serves the app too.
BIN = Path(sys.executable).parent
# As `make run` serves: one sync worker per core unless WORKERS says otherwise.
WORKERS = os.environ.get("WORKERS", str(os.cpu_count()))
# A wrk script's `done` prints one RESULT line: requests, req/s, p50 ms, p95 ms, errors,
# p99 ms.
DONE = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d %.2f\\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors, latency:percentile(99) / 1000))
end
"""


@contextmanager
def gunicorn(port, env, extra=()):
    """Serve the app on 127.0.0.1:port with env (and gunicorn options) added; stop it after.

    As `make run` serves it (scripts/run.sh): gunicorn's config from bazaar.gunicorn_conf and
    Prometheus's multiprocess figures in a folder of their own, so every request pays for its
    metrics as in production."""
    metrics = tempfile.mkdtemp(prefix="bazaar-bench-metrics-")
    env = {"PROMETHEUS_MULTIPROC_DIR": metrics, **env}
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "python:bazaar.gunicorn_conf",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{port}",
            *extra,
            "bazaar:create_app()",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(metrics, ignore_errors=True)


def wrk(script, url, duration, connections=16):
    """Run wrk (2 threads, 16 connections) with a script whose `done` prints RESULT."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    return {
        "requests": int(fields[0]),
        "rps": float(fields[1]),
        "p50_ms": float(fields[2]),
        "p95_ms": float(fields[3]),
        "errors": int(fields[4]),
        "p99_ms": float(fields[5]),
    }
