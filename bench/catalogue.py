"""Catalogue benchmark: listing and search against a trivial route, 100,000 products.

Builds (or reuses) a database with `flask seed-demo --vendors 10000 --products 100000` in a
folder of its own, serves it with gunicorn (sync workers, production settings), and drives it
with wrk at 16 concurrent connections over loopback. Each scenario runs twice: as served
(the visitors' page cache on) and cold (the cache off), both beside the trivial route
`/healthz` measured in the same run.

    .venv/bin/python bench/catalogue.py [--duration 10] [--rebuild]
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BAZAAR_BENCH_DIR", "/tmp/bazaar-bench"))  # noqa: S108 (a scratch copy)
PORT = 5091
# As `make run` serves: one sync worker per core unless WORKERS says otherwise.
WORKERS = os.environ.get("WORKERS", str(os.cpu_count()))
VENV = ROOT / ".venv" / "bin"
LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %.1f %.2f %.2f %d\\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
"""
# Two-word queries; the first with 100 to 1,000 matches in the demo data is the selective one.
SELECTIVE_CANDIDATES = ["سوهان فاطمه", "سوهان زهرا", "کلوچه محلی", "دلمه مریم", "ماست زهرا"]
TARGETS = {"listing": "≥ 0.7× trivial req/s", "selective": "p95 ≤ 25 ms", "broad": "p95 ≤ 250 ms"}


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, env={**os.environ, **(env or {})}, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is needed: apt-get install wrk")
    run("apt-get", "install", "-y", "-qq", "wrk", stdout=subprocess.DEVNULL)


def app_env(cache_type):
    return {
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": str(WORK / "instance"),
        "FLASK_CACHE_TYPE": cache_type,
    }


def build(rebuild):
    database = WORK / "instance" / "bazaar.sqlite"
    if database.exists() and not rebuild:
        return None
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "instance").mkdir(parents=True)
    run(
        str(VENV / "flask"),
        "db",
        "upgrade",
        env=app_env("SimpleCache"),
        cwd=ROOT,
        capture_output=True,
    )
    started = time.monotonic()
    run(
        str(VENV / "flask"),
        "seed-demo",
        "--vendors",
        "10000",
        "--products",
        "100000",
        env=app_env("SimpleCache"),
        cwd=ROOT,
        capture_output=True,
    )
    return round(time.monotonic() - started, 1)


def serve(cache_type):
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{PORT}",
            "bazaar:create_app()",
        ],
        cwd=ROOT,
        env={**os.environ, **app_env(cache_type)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def matches(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        page = response.read().decode()
    marker = page.split('role="status">', 1)[1].split("<", 1)[0]
    digits = marker.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    return int("".join(ch for ch in digits if ch.isdigit()))


def wrk(path, duration):
    script = WORK / "p95.lua"
    script.write_text(LUA)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{duration}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    requests, rps, p50, p95, errors = (
        int(fields[0]),
        float(fields[1]),
        float(fields[2]),
        float(fields[3]),
        int(fields[4]),
    )
    return {"requests": requests, "rps": rps, "p50_ms": p50, "p95_ms": p95, "errors": errors}


def quote(term):
    return "/catalogue/?q=" + urllib.parse.quote(term)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    ensure_wrk()
    seed_seconds = build(args.rebuild)
    scenarios = {
        "trivial": "/healthz",
        "listing": "/catalogue/",
        "selective": None,
        "broad": quote("خانگی"),
    }
    report = {
        "queries": {},
        "machine": (
            f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        ),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed_seconds": seed_seconds,
        "runs": {},
    }
    for cache_type in ("SimpleCache", "NullCache"):
        server = serve(cache_type)
        try:
            if scenarios["selective"] is None:
                scenarios["selective"] = next(
                    path
                    for path in map(quote, SELECTIVE_CANDIDATES)
                    if 100 <= matches(path) <= 1000
                )
            counts = {
                name: matches(path)
                for name, path in scenarios.items()
                if name in ("selective", "broad")
            }
            for path in scenarios.values():
                wrk(path, 2)  # warm every worker
            results = {name: wrk(path, args.duration) for name, path in scenarios.items()}
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
        for name, count in counts.items():
            results[name]["matches"] = count
            report["queries"][name] = urllib.parse.unquote(scenarios[name])
        trivial = results["trivial"]["rps"]
        for result in results.values():
            result["vs_trivial"] = round(result["rps"] / trivial, 2)
        report["runs"]["cached" if cache_type == "SimpleCache" else "cold"] = results
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "catalogue.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"{report['machine']}; {report['when']}; seed {seed_seconds} s")
    for run_name, results in report["runs"].items():
        print(f"\n{run_name}: scenario, req/s, × trivial, p50 ms, p95 ms, errors, matches")
        for name, r in results.items():
            figures = (
                f"{r['rps']:>8.1f} {r['vs_trivial']:>5} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f}"
            )
            extra = f"{r['errors']:>4} {r.get('matches', '')}  {TARGETS.get(name, '')}"
            print(f"  {name:<10} {figures} {extra}")


if __name__ == "__main__":
    main()
