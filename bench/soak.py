"""Soak: 16 clients for 60 s of mixed traffic against gunicorn with 100,000 products.

The mix, per client (16 threads, each its own cookie jar, production settings: CSRF, the rate
limiter, the real password hash):
- 10 browsing clients: listings (pages 1-20, a category), searches over words from the
  products' own names, product pages and vendor pages by random id;
- 3 booking clients: each signs in as a fresh vendor (a real sign-in: scrypt), applies for a
  stall at a published bazaar with 5,000 stalls, and goes on to the next vendor;
- 2 citizens: sign in, browse signed in (never page-cached), sign out, again;
- 1 organiser: uploads one vendor import (2,000 rows), then browses.

It counts 5xx answers (client side and in gunicorn's access log), "database is locked" (and
any traceback) in the server's log, and each worker's memory (RSS) after a warm-up and at the
end. The database is built once into /tmp/bazaar-soak-<database> with
`flask seed-demo --vendors 10000 --products 100000`.

    .venv/bin/python bench/soak.py                         # SQLite
    scripts/postgres.sh run .venv/bin/python bench/soak.py --database postgres
"""

import argparse
import collections
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
    }
    if database_url:
        env["FLASK_SQLALCHEMY_DATABASE_URI"] = database_url
    return env


def build(work, env, products):
    """Seed the database once; return (seconds seed-demo took, or None when reused)."""
    marker = work / "seeded"
    if marker.exists():
        return None
    (work / "instance").mkdir(parents=True, exist_ok=True)
    run(str(BIN / "flask"), "db", "upgrade", env=env)
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

    def open(self, kind, path, data=None, headers=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", data=data, headers=headers or {}
        )
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        except OSError as error:
            status, body = f"error: {error}", ""
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


def clients(plan, deadline, results):
    """Start the 16 client threads; return them."""
    bookers = iter(plan["bookers"])
    lock = threading.Lock()

    def browser(n):
        rng, client = random.Random(n), Client(results)
        while time.monotonic() < deadline:
            browse(client, plan, rng)

    def booker(n):
        rng = random.Random(100 + n)
        while time.monotonic() < deadline:
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
        while time.monotonic() < deadline:
            client = Client(results)
            client.sign_in("citizen@bazaar.example", DEMO_PASSWORD)
            for _ in range(8):
                browse(client, plan, rng)
            client.sign_out()

    def organiser():
        client = Client(results)
        upload_import(client, plan)
        browser(300)

    threads = [threading.Thread(target=browser, args=(n,)) for n in range(10)]
    threads += [threading.Thread(target=booker, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=citizen, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=organiser))
    for thread in threads:
        thread.start()
    return threads


def workers(master):
    """The pids of gunicorn's workers."""
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
        sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
    return sizes


def serve(work, env):
    """Start gunicorn as `make run` does, with an access log and the server's log in files."""
    access, errors = work / "access.log", work / "server.log"
    access.write_text("")
    errors.write_text("")
    server = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "--workers", WORKERS, "--bind", f"127.0.0.1:{PORT}"),
            *("--timeout", "120", "--access-logfile", str(access)),
            *("--access-logformat", "%(m)s %(U)s %(s)s %(D)s %(p)s"),
            *("--error-logfile", str(errors), "--capture-output", "bazaar:create_app()"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/catalogue/", timeout=5)
            return server, access, errors
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit(f"gunicorn did not start: {errors.read_text()[-2000:]}")


def summarise(results, access, errors):
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
    server_log = errors.read_text()
    return {
        "requests": len(results),
        "statuses": dict(statuses),
        "pages": pages,
        "access_log_5xx": sum(1 for f in logged if len(f) > 2 and f[2].startswith("5")),
        "database_is_locked": server_log.count("database is locked"),
        "tracebacks": server_log.count("Traceback"),
        "worker_timeouts": server_log.count("WORKER TIMEOUT"),
        "import_served_by": importer,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=10)
    parser.add_argument("--work", help="the folder of the database (/tmp/bazaar-soak-DATABASE)")
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
    server, access, errors = serve(work, env)
    results = []
    try:
        started = time.monotonic()
        threads = clients(plan, started + args.duration, results)
        time.sleep(args.warm_up)
        pids = workers(server.pid)
        after_warm_up = rss_mb(pids)
        samples = []
        while any(thread.is_alive() for thread in threads):
            samples.append(rss_mb(pids))
            threads[0].join(5)
        for thread in threads:
            thread.join()
        at_end = rss_mb(pids)
        elapsed = time.monotonic() - started
        replaced = sorted(set(workers(server.pid)) - set(pids))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    growth = {
        pid: round(100 * (at_end[pid] - mb) / mb, 1)
        for pid, mb in after_warm_up.items()
        if pid in at_end
    }
    report = {
        "database": args.database,
        "products": args.products,
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_at_start": os.getloadavg(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed_seconds": seed_seconds,
        "workers": WORKERS,
        "clients": 16,
        "duration_s": round(elapsed, 1),
        **summarise(results, access, errors),
        "worker_mb_after_warm_up": after_warm_up,
        "worker_mb_at_end": at_end,
        "worker_mb_highest": {pid: max(s.get(pid, 0) for s in samples) for pid in pids},
        "worker_growth_percent": growth,
        "workers_replaced": replaced,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"soak-{args.database}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
