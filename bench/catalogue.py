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
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import DONE, WORKERS, gunicorn, wrk

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BAZAAR_BENCH_DIR", "/tmp/bazaar-bench"))  # noqa: S108 (a scratch copy)
PORT = 5091
VENV = ROOT / ".venv" / "bin"
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


def matches(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=30) as response:
        page = response.read().decode()
    marker = page.split('role="status">', 1)[1].split("<", 1)[0]
    digits = marker.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    return int("".join(ch for ch in digits if ch.isdigit()))


def measure(path, duration):
    script = WORK / "p95.lua"
    script.write_text(DONE)
    return wrk(script, f"http://127.0.0.1:{PORT}{path}", duration)


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
        "workers": WORKERS,
        "runs": {},
    }
    for cache_type in ("SimpleCache", "NullCache"):
        with gunicorn(PORT, app_env(cache_type)):
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
                measure(path, 2)  # warm every worker
            results = {name: measure(path, args.duration) for name, path in scenarios.items()}
        for name, count in counts.items():
            results[name]["matches"] = count
            report["queries"][name] = urllib.parse.unquote(scenarios[name])
        trivial = results["trivial"]["rps"]
        for result in results.values():
            result["vs_trivial"] = round(result["rps"] / trivial, 2) if trivial else None
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
