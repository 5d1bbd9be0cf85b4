"""Soak: 16 clients for 60 s of mixed traffic against gunicorn with 100,000 products.

The mix, per client (16 threads, each its own cookie jar, production settings: CSRF, the rate
limiter, the real password hash):
- 10 browsing clients: listings (pages 1-20, a category), searches over words from the
  products' own names, product pages and vendor pages by random id;
- 3 booking clients: each signs in as a fresh vendor (a real sign-in: scrypt), applies for a
  stall at a published bazaar with 5,000 stalls, and goes on to the next vendor;
- 2 citizens: sign in, browse signed in (never page-cached), sign out, again;
- 1 organiser: uploads one vendor import (2,000 rows), then browses.

The app runs as `make run` runs it (scripts/run.sh): gunicorn with `-c python:bazaar.gunicorn_conf`
(here bench/soak_gunicorn.py, which adds bench-only measurements to it) and the task consumer
(`flask worker`) beside it, so the import is checked and written by the consumer; the soak waits
for the import job to end and reports it (state, rows written, queued → started → finished).

It counts 5xx answers (client side and in gunicorn's access log), "database is locked" (and
any traceback) in the server's and the consumer's logs, and samples the memory (RSS) of each web
worker and of the consumer every 5 s under traffic. Warm-up: the first --warm-up seconds of
traffic (every client running); then the clients pause until no request is in flight and each
process is measured idle, again at the end (and every --idle-every s if asked): growth is idle
at the end against idle after the warm-up (under traffic a sign-in's scrypt holds 32 MiB while
it runs, so samples taken then swing by that much). The database
is built into /tmp/bazaar-soak-<database> with `flask seed-demo --vendors 10000 --products
100000` when it has no products (a kept SQLite file is reused, after `flask db upgrade`; the
PostgreSQL cluster of scripts/postgres.sh is new each run, so it is seeded each run).

    .venv/bin/python bench/soak.py                         # SQLite
    scripts/postgres.sh run .venv/bin/python bench/soak.py --database postgres
"""

import argparse
import collections
import contextlib
import datetime
import http.cookiejar
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = os.environ.get("WORKERS", str(os.cpu_count()))
PORT = 5093
VENDOR_PASSWORD = "soak-vendor-1405"  # noqa: S105 (throw-away accounts in a throw-away database)
DEMO_PASSWORD = "bazaar-demo-1405"  # noqa: S105 (the public demo accounts)
BOOKERS = 600
IMPORT_ROWS = 2000
TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def run(*args, env):
    subprocess.run(args, check=True, env=env, cwd=ROOT, capture_output=True)


def app_env(work, database_url):
    env = {
        **os.environ,
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": str(work / "instance"),
        "FLASK_PUBLIC_BASE_URL": f"http://127.0.0.1:{PORT}",
        # One address (127.0.0.1) stands for 16 people here: lift the per-address sign-in cap.
        "FLASK_LOGIN_LIMIT_PER_IP": "10000 per minute",
        # …and the per-account one: the two citizen clients share one demo account.
        "FLASK_LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
    }
    if database_url:
        env["FLASK_SQLALCHEMY_DATABASE_URI"] = database_url
    return env


def database_url(work, env):
    return env.get("FLASK_SQLALCHEMY_DATABASE_URI") or f"sqlite:///{work}/instance/bazaar.sqlite"


def count_products(url):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM products"))
    except sa.exc.DatabaseError:
        return 0
    finally:
        engine.dispose()


def build(work, env, products):
    """Bring the database to the current schema, and seed it unless it has products already;
    return the seconds seed-demo took (None when the database was reused)."""
    (work / "instance").mkdir(parents=True, exist_ok=True)
    run(str(BIN / "flask"), "db", "upgrade", env=env)
    if count_products(database_url(work, env)):
        return None
    marker = work / "seeded"
    started = time.monotonic()
    run(
        *(str(BIN / "flask"), "seed-demo", "--vendors", str(products // 10)),
        *("--products", str(products)),
        env=env,
    )
    seconds = round(time.monotonic() - started, 1)
    marker.write_text(str(seconds))
    return seconds


def prepare(env):
    """Add a bazaar open for applications and fresh vendors to book it (bench/soak_plan.py,
    run with the app's environment); return what the clients need."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak_plan.py"), str(BOOKERS), VENDOR_PASSWORD],
        check=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Traffic:
    """When the clients may send: until the deadline, and not while paused (a pause waits for
    the requests in flight to end, so the workers can be measured idle)."""

    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds
        self.paused, self.in_flight = False, 0
        self.changed = threading.Condition()

    def running(self):
        return time.monotonic() < self.deadline

    def enter(self):
        with self.changed:
            self.changed.wait_for(lambda: not self.paused)
            self.in_flight += 1

    def leave(self):
        with self.changed:
            self.in_flight -= 1
            self.changed.notify_all()

    def pause(self):
        with self.changed:
            self.paused, self.paused_at = True, time.monotonic()
            self.changed.wait_for(lambda: self.in_flight == 0, timeout=150)

    def resume(self):
        with self.changed:
            self.deadline += time.monotonic() - self.paused_at  # a pause is not traffic time
            self.paused = False
            self.changed.notify_all()


TRAFFIC = Traffic(0)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One user agent: its own cookies; records every answer's status and time."""

    def __init__(self, results):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.results = results
        self.location = None

    def open(self, kind, path, data=None, headers=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", data=data, headers=headers or {}
        )
        TRAFFIC.enter()
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
            self.location = error.headers.get("Location")
        except OSError as error:
            status, body = f"error: {error}", ""
        finally:
            TRAFFIC.leave()
        self.results.append((kind, status, time.monotonic() - started))
        return status, body

    def token(self, path):
        _status, body = self.open("form", path)
        found = TOKEN.search(body)
        return (found.group(1) or found.group(2)) if found else ""

    def post(self, kind, path, fields, token_from):
        fields = {"csrf_token": self.token(token_from), **fields}
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.open(kind, path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, identifier, password):
        return self.post(
            "sign-in",
            "/accounts/login",
            {"identifier": identifier, "password": password},
            "/accounts/login",
        )

    def sign_out(self):
        return self.post("sign-out", "/accounts/logout", {}, "/catalogue/")


def browse(client, plan, rng):
    """One browsing step: a listing, a search, a product or a vendor page."""
    roll = rng.random()
    if roll < 0.3:
        args = {"page": 1 + int(rng.paretovariate(1.2)) % 20}
        if rng.random() < 0.3:
            args["category"] = rng.choice(plan["categories"])
        client.open("listing", "/catalogue/?" + urllib.parse.urlencode(args))
    elif roll < 0.65:
        terms = " ".join(rng.sample(plan["words"], rng.choice((1, 1, 2))))
        client.open("search", "/catalogue/?" + urllib.parse.urlencode({"q": terms}))
    elif roll < 0.9:
        client.open("product", f"/catalogue/products/{rng.randint(1, plan['products'])}")
    else:
        client.open("vendor", f"/catalogue/vendors/{rng.randint(1, plan['vendors'])}")


def import_file(run_id):
    """A licence-system export: IMPORT_ROWS vendors with Persian names and licence numbers."""
    header = "vendor_ref,business_name,owner_name,mobile,county,field,licence_number,"
    header += "licence_expires,health_id,health_id_expires,description\n"
    rows = "".join(
        f"soak{run_id}-{n},کسب‌وکار آزمایشی {n},مالک {n},0916{n:07d},قم,sewing,"
        f"ق-{run_id}-{n},1406/06/31,,,دوخت لباس محلی و رومیزی\n"
        for n in range(IMPORT_ROWS)
    )
    return (header + rows).encode()


def upload_import(client, plan):
    client.sign_in("organiser@bazaar.example", DEMO_PASSWORD)
    token = client.token("/imports/")
    boundary = "soak-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in {"csrf_token": token, "kind": "vendors"}.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + import_file(plan["run_id"])
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return client.open("import", "/imports/", b"".join(parts), headers)


def clients(plan, results, uploaded):
    """Start the 16 client threads; return them. `uploaded` gets the import job's id."""
    bookers = iter(plan["bookers"])
    lock = threading.Lock()

    def browser(n):
        rng, client = random.Random(n), Client(results)
        while TRAFFIC.running():
            browse(client, plan, rng)

    def booker(n):
        rng = random.Random(100 + n)
        while TRAFFIC.running():
            with lock:
                email = next(bookers, None)
            if email is None:
                return
            client = Client(results)
            client.sign_in(email, VENDOR_PASSWORD)
            client.post(
                "booking",
                f"/stalls/apply/{plan['bazaar']}",
                {"stall_type_id": plan["stall_type"], "category_ids": plan["category"]},
                "/stalls/mine",
            )
            browse(client, plan, rng)

    def citizen(n):
        rng = random.Random(200 + n)
        while TRAFFIC.running():
            client = Client(results)
            client.sign_in("citizen@bazaar.example", DEMO_PASSWORD)
            for _ in range(8):
                browse(client, plan, rng)
            client.sign_out()

    def organiser():
        client = Client(results)
        upload_import(client, plan)
        found = re.search(r"/imports/(\d+)", client.location or "")
        uploaded["job"] = int(found.group(1)) if found else None
        uploaded["at"] = time.monotonic()
        browser(300)

    threads = [threading.Thread(target=browser, args=(n,)) for n in range(10)]
    threads += [threading.Thread(target=booker, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=citizen, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=organiser))
    for thread in threads:
        thread.start()
    return threads


def children(master):
    """The pids of gunicorn's workers (the processes whose parent is `master`)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(entry.name))
    return sorted(found)


def rss_mb(pids):
    sizes = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+)", status)
        if found:  # a process that has exited has none
            sizes[pid] = int(found.group(1)) // 1024
    return sizes


def serve(work, env, trace, warm_up):
    """Start the app as `make run` does (scripts/run.sh): the task consumer and gunicorn with the
    app's gunicorn settings (plus the bench's measurements), logs in files; return both."""
    access, errors, consumer_log = work / "access.log", work / "server.log", work / "consumer.log"
    for path in (access, errors, consumer_log):
        path.write_text("")
    for path in (*work.glob("rss-*.json"), *work.glob("tracemalloc-*")):
        path.unlink()
    consumer = subprocess.Popen(
        [str(BIN / "flask"), "worker"],
        cwd=ROOT,
        env=env,
        stdout=consumer_log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server_env = {
        **env,
        "SOAK_WORK": str(work),
        "SOAK_WARM_UP": str(warm_up),
        "SOAK_TRACEMALLOC": "1" if trace else "",
    }
    server = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "-c", str(ROOT / "bench" / "soak_gunicorn.py")),
            *("--workers", WORKERS, "--bind", f"127.0.0.1:{PORT}"),
            *("--timeout", "120", "--access-logfile", str(access)),
            *("--access-logformat", "%(m)s %(U)s %(s)s %(D)s %(p)s"),
            *("--error-logfile", str(errors), "--capture-output", "bazaar:create_app()"),
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/catalogue/", timeout=5)
            return server, consumer
        except OSError:
            time.sleep(0.2)
    stop(server, consumer)
    sys.exit(f"gunicorn did not start: {errors.read_text()[-2000:]}")


def stop(*processes):
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait()


def import_outcome(url, job_id, timeout):
    """Wait (at most `timeout` s) for the import job to end; return its row's figures."""
    if job_id is None:
        return {"state": "not queued"}
    engine = sa.create_engine(url)
    query = sa.text(
        "SELECT state, rows_total, rows_written, created_count, updated_count, error_count,"
        " created_at, started_at, finished_at FROM import_jobs WHERE id = :id"
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as connection:
                row = connection.execute(query, {"id": job_id}).mappings().one()
            if row["state"] in ("done", "refused", "failed") or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        engine.dispose()
    moments = [when_of(row[name]) for name in ("created_at", "started_at", "finished_at")]
    waited = ran = None
    if all(moments):
        waited = round((moments[1] - moments[0]).total_seconds(), 1)
        ran = round((moments[2] - moments[1]).total_seconds(), 1)
    return {
        "job": job_id,
        **{k: row[k] for k in ("state", "rows_total", "rows_written", "created_count")},
        **{k: row[k] for k in ("updated_count", "error_count")},
        "queued_to_started_s": waited,
        "started_to_finished_s": ran,
    }


def when_of(value):
    if value is None or not isinstance(value, str):
        return value
    return datetime.datetime.fromisoformat(value)


def summarise(results, work):
    access, errors = work / "access.log", work / "server.log"
    by_kind = collections.defaultdict(list)
    statuses = collections.Counter()
    for kind, status, seconds in results:
        by_kind[kind].append(seconds * 1000)
        statuses[status if isinstance(status, str) else f"{status // 100}xx"] += 1
    pages = {}
    for kind, times in sorted(by_kind.items()):
        times.sort()
        pick = lambda share, t=times: round(t[min(len(t) - 1, int(share * len(t)))], 1)  # noqa: E731
        pages[kind] = {
            "n": len(times),
            "p50_ms": pick(0.5),
            "p95_ms": pick(0.95),
            "max_ms": pick(1),
        }
    logged = [line.split() for line in access.read_text().splitlines() if line.strip()]
    # Which worker served the import (its memory is the one to watch).
    importer = [f[4] for f in logged if len(f) > 4 and f[:2] == ["POST", "/imports/"]]
    served = collections.Counter(f[4] for f in logged if len(f) > 4)
    server_log = errors.read_text() + (work / "consumer.log").read_text()
    return {
        "requests": len(results),
        "statuses": dict(statuses),
        "pages": pages,
        "access_log_5xx": sum(1 for f in logged if len(f) > 2 and f[2].startswith("5")),
        "database_is_locked": server_log.count("database is locked"),
        "tracebacks": server_log.count("Traceback"),
        "worker_timeouts": server_log.count("WORKER TIMEOUT"),
        "upload_served_by": importer,
        "requests_per_worker": dict(served),
    }


def sample(pids, consumer, started):
    return {
        "t": round(time.monotonic() - started, 1),
        "workers": rss_mb(pids),
        "consumer": rss_mb([consumer]).get(consumer),
    }


def growth_of(first, last):
    return {pid: round(100 * (last[pid] - mb) / mb, 1) for pid, mb in first.items() if pid in last}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--work", help="the folder of the database (/tmp/bazaar-soak-DATABASE)")
    parser.add_argument("--out", help="the report's name in bench/results (soak-DATABASE)")
    parser.add_argument(
        "--idle-every",
        type=int,
        default=0,
        help="also pause the traffic every N s (a multiple of 5) to sample the workers idle",
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="debug: diff allocations in each worker"
    )
    args = parser.parse_args()
    url = None
    if args.database == "postgres":
        url = os.environ.get("BAZAAR_POSTGRES_URL") or sys.exit(
            "Run it inside scripts/postgres.sh run … (BAZAAR_POSTGRES_URL is not set)"
        )
    work = Path(args.work or f"/tmp/bazaar-soak-{args.database}")  # noqa: S108
    env = app_env(work, url)
    seed_seconds = build(work, env, args.products)
    plan = prepare(env)
    load_at_start = os.getloadavg()
    server, consumer = serve(work, env, args.tracemalloc, args.warm_up)
    results, uploaded, samples = [], {}, []
    try:
        pids = children(server.pid)
        started = time.monotonic()
        idle = {"before traffic": sample(pids, consumer.pid, started)}
        TRAFFIC.deadline = started + args.warm_up + args.duration
        threads = clients(plan, results, uploaded)
        time.sleep(args.warm_up)
        TRAFFIC.pause()
        time.sleep(1)
        idle["after warm-up"] = sample(pids, consumer.pid, started)
        TRAFFIC.resume()
        idle_samples = [idle["after warm-up"]]
        while any(thread.is_alive() for thread in threads):
            time.sleep(5 - (time.monotonic() - started) % 5)
            samples.append(sample(pids, consumer.pid, started))
            if args.idle_every and len(samples) % (args.idle_every // 5) == 0 and TRAFFIC.running():
                TRAFFIC.pause()
                time.sleep(1)
                idle_samples.append(sample(pids, consumer.pid, started))
                TRAFFIC.resume()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        outcome = import_outcome(database_url(work, env), uploaded.get("job"), 300)
        time.sleep(1)
        idle["at end"] = sample(pids, consumer.pid, started)  # the import has ended too
        replaced = sorted(set(children(server.pid)) - set(pids))
    finally:
        stop(server, consumer)
    warm, at_end = idle["after warm-up"], idle["at end"]
    report = {
        "database": args.database,
        "products": args.products,
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed_seconds": seed_seconds,
        "products_in_database": count_products(database_url(work, env)),
        "workers": WORKERS,
        "clients": 16,
        "duration_s": round(elapsed, 1),
        "warm_up_s": args.warm_up,
        "tracemalloc": args.tracemalloc,
        **summarise(results, work),
        "import": outcome,
        # Idle figures: no request in flight (traffic paused after the warm-up; ended at the end).
        "worker_mb_before_traffic": idle["before traffic"]["workers"],
        "worker_mb_after_warm_up": warm["workers"],
        "worker_mb_at_end": at_end["workers"],
        "worker_growth_percent": growth_of(warm["workers"], at_end["workers"]),
        # Sampled under traffic every 5 s after the warm-up (requests in flight included).
        "worker_mb_highest": {pid: max(s["workers"].get(pid, 0) for s in samples) for pid in pids},
        "worker_growth_in_traffic_percent": growth_of(
            samples[0]["workers"], samples[-1]["workers"]
        ),
        "workers_replaced": replaced,
        "consumer_mb": {
            "before_traffic": idle["before traffic"]["consumer"],
            "after_warm_up": warm["consumer"],
            "at_end": at_end["consumer"],
            "highest": max(s["consumer"] or 0 for s in samples),
        },
        "rss_growth_by_request_kind": {
            path.stem.removeprefix("rss-"): json.loads(path.read_text())
            for path in sorted(work.glob("rss-*.json"))
        },
        "idle": idle,
        "idle_samples": [*idle_samples, idle["at end"]],
        "samples": samples,
        # --tracemalloc: each worker's last diff (bench/soak_gunicorn.py), line by line.
        "tracemalloc_last": {
            path.stem.removeprefix("tracemalloc-"): path.read_text().split("--- ")[-2:]
            for path in sorted(work.glob("tracemalloc-*.txt"))
        },
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = args.out or f"soak-{args.database}"
    (out / f"{name}.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "samples"}, indent=2, default=str))


if __name__ == "__main__":
    main()
