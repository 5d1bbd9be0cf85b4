"""Stall benchmark: booking requests under load, and an allocation round of 2,000 applications.

1. Builds a database of 12,000 verified vendors and a first-come bazaar, serves it with gunicorn
   (5 sync workers, production settings, CSRF on), and has wrk send booking requests from 16
   concurrent connections, each request a different vendor; `/healthz` is measured in the same
   run. Target: a booking's p95 ≤ 50 ms on SQLite.
2. Times `run_round` in-process for 2,000 applications to a round-mode bazaar. Target: < 2 s.

    .venv/bin/python bench/stalls.py [--duration 10]
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

from common import DONE, WORKERS, gunicorn, wrk

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(os.environ.get("BAZAAR_BENCH_DIR", "/tmp/bazaar-bench-stalls"))  # noqa: S108 (scratch)
PORT = 5092
VENDORS = 12000
LUA = """
local cookies, bodies, n = {}, {}, 0
for line in io.lines("%(lines)s") do
  local cookie, body = line:match("([^\\t]+)\\t(.+)")
  cookies[#cookies + 1] = cookie
  bodies[#bodies + 1] = body
end
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("offset", counter) end
init = function(args) n = (offset - 1) * 6000 end
request = function()
  n = n %% #cookies + 1
  wrk.headers["Cookie"] = "session=" .. cookies[n]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "%(path)s", nil, bodies[n])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %%d %%.1f %%.2f %%.2f %%d\\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
"""
TRIVIAL = DONE


def env():
    return {
        **os.environ,
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": str(WORK / "instance"),
        "FLASK_SECRET_KEY": "bench-secret-key-0123456789abcdef",
    }


def build():
    """Create the database, vendors and bazaars; return (form lines, booking path, round id)."""
    import sqlalchemy as sa
    from itsdangerous import URLSafeTimedSerializer

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "instance").mkdir(parents=True)
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "db", "upgrade"],
        env=env(),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    os.environ.update(env())
    from bazaar import create_app
    from bazaar.extensions import db
    from bazaar.models import Category, Region, User, Vendor
    from bazaar.models.types import utcnow
    from bazaar.services import reference
    from bazaar.services.bazaars import planning

    app = create_app()
    with app.app_context():
        now = utcnow()
        reference.seed_reference(now=now)
        regions = {r.code: r.id for r in db.session.scalars(sa.select(Region))}
        field = db.session.scalar(sa.text("SELECT id FROM fields WHERE code = 'sewing'"))
        category = db.session.scalar(sa.select(Category.id).where(Category.code == "garments"))
        db.session.execute(
            sa.insert(User),
            [
                {
                    "id": n,
                    "email": f"v{n}@bench.example",
                    "name": f"v{n}",
                    "password_hash": "x",
                    "role": "vendor",
                    "locale": "fa",
                    "session_version": 1,
                    "created_at": now,
                }
                for n in range(1, VENDORS + 1)
            ],
        )
        db.session.execute(
            sa.insert(Vendor),
            [
                {
                    "id": n,
                    "user_id": n,
                    "business_name": f"b{n}",
                    "owner_name": "o",
                    "mobile": f"0913{n:07d}",
                    "county_id": regions["qom"],
                    "field_id": field,
                    "licence_kind": "independent",
                    "status": "verified",
                    "description": "",
                    "search_text": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(1, VENDORS + 1)
            ],
        )
        db.session.commit()

        def bazaar(mode, count):
            data = planning.BazaarData(
                title=f"bench {mode}",
                venue_name="v",
                county_id=regions["qom"],
                day=(now + timedelta(days=30)).date(),
                start=clock(10, 0),
                end=clock(18, 0),
                allocation_mode=mode,
            )
            created = planning.create_bazaar(
                None, data, [planning.StallTypeData("میز", count)], now=now
            )
            planning.publish_bazaar(None, created.id, now=now)
            return created.id, created.stall_types[0].id

        booking_id, booking_type = bazaar("first_come", 500)
        round_id, round_type = bazaar("round", 300)
        serializer = app.session_interface.get_signing_serializer(app)
        csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
        lines = []
        for n in range(1, VENDORS + 1):
            raw = f"{n:040x}"
            cookie = serializer.dumps({"_user_id": f"{n}:1", "_fresh": True, "csrf_token": raw})
            fields = f"stall_type_id={booking_type}&category_ids={category}&note="
            body = f"csrf_token={csrf.dumps(raw)}&{fields}"
            lines.append(f"{cookie}\t{body}")
        return lines, f"/stalls/apply/{booking_id}", (round_id, round_type, category)


def time_round(round_info):
    import sqlalchemy as sa

    from bazaar import create_app
    from bazaar.extensions import db
    from bazaar.models import Application, Bazaar
    from bazaar.models.types import utcnow
    from bazaar.services import stalls

    round_id, round_type, category = round_info
    app = create_app()
    with app.app_context():
        now = utcnow()
        db.session.execute(
            sa.insert(Application),
            [
                {
                    "bazaar_id": round_id,
                    "vendor_id": n,
                    "stall_type_id": round_type,
                    "category_ids": [category],
                    "note": "",
                    "state": "applied",
                    "reason": {"key": "applied"},
                    "applied_at": now,
                }
                for n in range(1, 2001)
            ],
        )
        db.session.get(Bazaar, round_id).applications_close_at = now - timedelta(minutes=1)
        db.session.commit()
        started = time.perf_counter()
        ranked = stalls.run_round(
            None, round_id, seed="bench-1405", priorities=["first_time", "left_out"], now=now
        )
        seconds = time.perf_counter() - started
        allocated = db.session.scalar(
            sa.select(sa.func.count(Application.id)).where(
                Application.bazaar_id == round_id, Application.state == "allocated"
            )
        )
    return {"applications": len(ranked), "allocated": allocated, "seconds": round(seconds, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    lines, path, round_info = build()
    (WORK / "forms.tsv").write_text("\n".join(lines) + "\n")
    (WORK / "book.lua").write_text(LUA % {"lines": WORK / "forms.tsv", "path": path})
    (WORK / "trivial.lua").write_text(TRIVIAL)
    base = f"http://127.0.0.1:{PORT}"
    with gunicorn(PORT, env()):
        wrk(WORK / "trivial.lua", f"{base}/healthz", 2)
        trivial = wrk(WORK / "trivial.lua", f"{base}/healthz", args.duration)
        booking = wrk(WORK / "book.lua", f"{base}{path}", args.duration)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",  # noqa: E501
        "workers": WORKERS,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "trivial": trivial,
        "booking": booking,
        "round": time_round(round_info),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "stalls.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
