"""Import benchmark: 50,000 vendor rows from a licence-system CSV, with bookings going on.

Builds a fresh instance in /tmp, writes a 50,000-row vendors CSV with Persian names, licence
numbers and a short description (7-8 MB), and imports it in-process as the import job does
(`run_import`: read, check every row, then write the new vendors staged, a chunk per short
write transaction, and make them count in one short last transaction). Meanwhile a second
process books stalls through the booking service (a different verified vendor every
50 ms, first come first served) and records how long each booking took.

Targets (issue 13): checked and written in under 10 s in all; the write lock held under 2 s; a
booking made during the import waits under 1 s.

    .venv/bin/python bench/imports.py [--rows 50000] [--reimport]
"""

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(os.environ.get("BAZAAR_BENCH_DIR", "/tmp/bazaar-bench-imports"))  # noqa: S108 (scratch)
BOOKERS = 400
FIRST = ["مریم", "زهرا", "فاطمه", "معصومه", "سکینه", "نرگس", "لیلا", "طاهره", "رقیه", "صدیقه"]
LAST = ["کریمی", "احمدی", "حسینی", "رضایی", "موسوی", "محمدی", "قمی", "جعفری", "صادقی", "نوری"]
TRADES = [("ترشی", "pickles-jam"), ("خیاطی", "sewing"), ("شیرینی‌پزی", "home-food")]
WORDS = [
    "خانگی",
    "سنتی",
    "دست\u200cساز",
    "با",
    "کیفیت",
    "تازه",
    "محلی",
    "سفارشی",
    "ارسال",
    "به",
    "سراسر",
    "استان",
    "قم",
]


def env():
    return {
        **os.environ,
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": str(WORK / "instance"),
        "FLASK_SECRET_KEY": "bench-secret-key-0123456789abcdef",
    }


def write_csv(path, rows, edition=""):
    """Write the licence system's vendors list: Persian names, licence numbers, descriptions."""
    rng = random.Random(1405)
    header = (
        "vendor_ref,business_name,owner_name,mobile,county,field,licence_number,"
        "licence_expires,health_id,health_id_expires,description,email\n"
    )
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        for n in range(1, rows + 1):
            trade, field = TRADES[n % len(TRADES)]
            owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            description = " ".join(rng.choices(WORDS, k=rng.randint(2, 4))) + edition
            health = f"{n:010d}" if field != "sewing" else ""
            health_expires = "1406/06/31" if health else ""
            out.write(
                f"{n:07d},{trade} {owner},{owner},0912{n:07d},قم,{field},"
                f"1402{n:08d},1407/01/15,{health},{health_expires},{description},\n"
            )
    return path.stat().st_size


def build():
    """Create the database, the reference data, verified vendors who book, and a bazaar."""
    import sqlalchemy as sa

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "instance").mkdir(parents=True)
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "db", "upgrade"], env=env(), cwd=ROOT, check=True, capture_output=True)
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
        users = [
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
            for n in range(1, BOOKERS + 1)
        ]
        db.session.execute(sa.insert(User), users)
        vendors = [
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
            for n in range(1, BOOKERS + 1)
        ]
        db.session.execute(sa.insert(Vendor), vendors)
        db.session.commit()
        data = planning.BazaarData(
            title="bench",
            venue_name="v",
            county_id=regions["qom"],
            day=(now + timedelta(days=30)).date(),
            start=clock(10, 0),
            end=clock(18, 0),
            allocation_mode="first_come",
        )
        created = planning.create_bazaar(None, data, [planning.StallTypeData("میز", 100)], now=now)
        planning.publish_bazaar(None, created.id, now=now)
        return created.id, created.stall_types[0].id, category


def book(bazaar, stop, results):
    """Book a stall every 50 ms, each time as another vendor; record each booking's time."""
    from bazaar import create_app
    from bazaar.extensions import db
    from bazaar.models import User
    from bazaar.models.types import utcnow
    from bazaar.services import stalls

    bazaar_id, stall_type_id, category = bazaar
    app = create_app()
    with app.app_context():
        for n in range(1, BOOKERS + 1):
            if stop.is_set():
                break
            user = db.session.get(User, n)
            started = time.monotonic()
            stalls.apply_for_stall(user, bazaar_id, stall_type_id, [category], "", now=utcnow())
            results.append((time.time(), time.monotonic() - started))
            db.session.remove()
            time.sleep(0.05)


@contextmanager
def timed_lock(held):
    """Wrap write_transaction so the time inside each of the import's write transactions (each
    chunk's, the last step's, the job's progress) is recorded, in order, with its module."""
    from bazaar.database import write_transaction
    from bazaar.services.imports import jobs, staging, vendors

    def timed(name):
        @contextmanager
        def transaction():
            with write_transaction() as session:
                started, cpu = time.monotonic(), time.process_time()
                yield session
            # From the lock taken to the commit done: wall-clock and this process's CPU.
            held.append((time.monotonic() - started, time.process_time() - cpu, name))

        return transaction

    modules = (jobs, staging, vendors)
    try:
        for module in modules:
            module.write_transaction = timed(module.__name__)
        yield
    finally:
        for module in modules:
            module.write_transaction = write_transaction


def run(rows, reimport=False):
    bazaar = build()
    path = WORK / "vendors.csv"
    size = write_csv(path, rows)
    from bazaar import create_app
    from bazaar.models.types import utcnow
    from bazaar.services import imports

    app = create_app()
    if reimport:
        # The list was imported before with other descriptions: every row is an update.
        earlier = WORK / "earlier.csv"
        write_csv(earlier, rows, edition=" قدیمی")
        with app.app_context(), open(earlier, "rb") as handle:
            imports.run_import("vendors", handle, actor=None, now=utcnow())
    stop = multiprocessing.Event()
    manager = multiprocessing.Manager()
    bookings = manager.list()
    booker = multiprocessing.Process(target=book, args=(bazaar, stop, bookings))
    booker.start()
    time.sleep(2)  # the booker is booking before the import starts
    marks, held = {}, []

    def progress(total=None, checked=None, written=None):
        if total is not None:
            marks["read"] = time.monotonic()
        if checked == total or (checked is not None and checked >= rows):
            marks.setdefault("checked", time.monotonic())

    with app.app_context(), timed_lock(held), open(path, "rb") as handle:
        window_start, started, cpu = time.time(), time.monotonic(), time.process_time()
        report = imports.run_import(
            "vendors", handle, actor=None, now=utcnow(), progress=progress, clock=utcnow
        )
        finished, window_end = time.monotonic(), time.time()
        cpu = time.process_time() - cpu
    time.sleep(1)
    stop.set()
    booker.join()
    assert report.ok, [e.message for e in report.errors[:5]]
    vendor_steps = [h for h in held if h[2].endswith(".vendors")]
    chunks, final = vendor_steps[:-1], vendor_steps[-1]
    during = [took for at, took in bookings if window_start <= at <= window_end + 1]
    return {
        "rows": rows,
        "csv_bytes": size,
        "created": report.created,
        "updated": report.updated,
        "total_s": round(finished - started, 2),
        "read_s": round(marks["read"] - started, 2),
        "checked_s": round(marks["checked"] - started, 2),
        "total_cpu_s": round(cpu, 2),
        "write_transactions": len(held),
        "chunk_transactions": len(chunks),
        "write_lock_s": round(max(held)[0], 3),
        "write_lock_cpu_s": round(max(held)[1], 3),
        "chunk_max_s": round(max(chunks)[0], 3) if chunks else None,
        "final_step_s": round(final[0], 3),
        "final_step_cpu_s": round(final[1], 3),
        "write_lock_sum_s": round(sum(h[0] for h in held), 2),
        "bookings_during_import": len(during),
        "booking_max_s": round(max(during), 3) if during else None,
        "booking_p50_s": round(sorted(during)[len(during) // 2], 3) if during else None,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--reimport", action="store_true", help="every row updates a vendor imported before"
    )
    args = parser.parse_args()
    load = os.getloadavg()
    figures = run(args.rows, reimport=args.reimport)
    figures["load_before"] = [round(x, 1) for x in load]
    figures["load_after"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    name = "imports-reimport.json" if args.reimport else "imports.json"
    (results / name).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
