"""Catalogue benchmark: a realistic day's mix of catalogue pages beside the trivial route.

Builds (or reuses) a database of N products (`flask seed-demo --vendors N/10 --products N`) in
a folder of its own, serves it with gunicorn as `make run` does (sync workers, one per core,
production settings, an access log) and drives it with wrk at 16 concurrent connections.

The mix, drawn once from the database itself (seeded, so every run asks the same):
- 35% searches: 2,000 distinct terms of one or two words taken from the products' own names
  and descriptions, with Zipf popularity (the k-th most common term asked ~1/k as often); a
  quarter of them with a filter (category, county, price range, availability or a price sort);
- 30% listings: no filter, a category, a county, a price range or a sort, pages 1–50 (early
  pages far more often);
- 25% product pages and 10% vendor pages by random id;
- one request in ten from a signed-in citizen (never served from the page cache).

For each run (page cache on, then off) it reports wrk's req/s and p50/p95/p99 for the mix and
for `/healthz` in the same server, per page type p50/p95/p99 of the time spent in the worker
(from the access log), server CPU per request and the workers' memory before and after.

    .venv/bin/python bench/catalogue.py [--products 100000] [--duration 30] [--rebuild]
"""

import argparse
import collections
import http.client
import http.cookiejar
import itertools
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import BIN, DONE, ROOT, WORKERS, gunicorn, wrk

PORT = 5091
MIX = {"search": 35, "listing": 30, "product": 25, "vendor": 10}
TERMS = 2000
URLS = 20000
FILTERS = ("category", "county", "price", "availability", "sort")
CITIZEN = ("citizen@bazaar.example", "bazaar-demo-1405")  # a public demo account
WORD = re.compile(r"[\w\u200c]{3,}")
# Requests each thread cycles through; one in ten carries the signed-in citizen's cookie.
SCRIPT = """
local paths, counter, cookie, id = {}, 0, %s, 0
function setup(thread) id = id + 1; thread:set("id", id) end
function init(args)
  for line in io.lines(%s) do paths[#paths + 1] = line end
  counter = id * 7919
end
function request()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  if cookie ~= "" and counter %% 10 == 0 then
    return wrk.format("GET", path, {["Cookie"] = cookie})
  end
  return wrk.format("GET", path)
end
"""


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, env={**os.environ, **(env or {})}, **kwargs)


DATABASE = None  # --database: a PostgreSQL URL instead of the folder's SQLite file


def app_env(work, cache_type):
    """The app's environment; cache "off" keeps the card fragments but no page is cached."""
    env = {
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": str(work / "instance"),
        "FLASK_PAGE_CACHE_SECONDS": "300" if cache_type == "on" else "0",
    }
    if cache_type == "none":
        env["FLASK_CACHE_TYPE"] = "NullCache"  # no page, no card fragment
    if DATABASE:
        env["FLASK_SQLALCHEMY_DATABASE_URI"] = DATABASE
    return env


def connect(work):
    """A DB-API connection to the benchmark's database (sqlite3 or psycopg)."""
    if DATABASE:
        import psycopg

        return psycopg.connect(DATABASE.replace("postgresql+psycopg", "postgresql"))
    return sqlite3.connect(work / "instance" / "bazaar.sqlite")


def build(work, products, rebuild):
    """Create the database (unless it exists); return the seconds seed-demo took, or None."""
    database = work / "instance" / "bazaar.sqlite"
    if (DATABASE or database.exists()) and not rebuild:
        # A database kept from an earlier run is brought up to today's schema first.
        (work / "instance").mkdir(parents=True, exist_ok=True)
        run(
            str(BIN / "flask"),
            "db",
            "upgrade",
            env=app_env(work, "on"),
            cwd=ROOT,
            capture_output=True,
        )
    if DATABASE:
        (work / "instance").mkdir(parents=True, exist_ok=True)
        with connect(work) as db:
            exists = db.execute("SELECT to_regclass('products')").fetchone()[0]
            if exists and db.execute("SELECT count(*) FROM products").fetchone()[0] and not rebuild:
                return None
    elif database.exists() and not rebuild:
        # ... and analysed as seeding and imports now leave it (a full ANALYZE).
        with connect(work) as db:
            db.execute("ANALYZE")
        return None
    else:
        database.unlink(missing_ok=True)
    (work / "instance").mkdir(parents=True, exist_ok=True)
    env = app_env(work, "on")
    run(str(BIN / "flask"), "db", "upgrade", env=env, cwd=ROOT, capture_output=True)
    started = time.monotonic()
    run(
        *(str(BIN / "flask"), "seed-demo", "--vendors", str(max(products // 10, 1))),
        *("--products", str(products)),
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    return round(time.monotonic() - started, 1)


def zipf(rng, n):
    """An index in range(n), the k-th drawn about 1/(k+1) as often as the first."""
    weights = [1 / (k + 1) for k in range(n)]
    return rng.choices(range(n), weights=weights)[0]


def draw_terms(db, rng):
    """The TERMS most common one- and two-word terms of a sample of products' own text."""
    rows = db.execute(
        "SELECT name, description FROM products WHERE listed ORDER BY random() LIMIT 30000"
    ).fetchall()
    counts = collections.Counter()
    for name, description in rows:
        words = WORD.findall(name)
        counts.update(words)
        counts.update(" ".join(pair) for pair in itertools.pairwise(words))
        counts.update(WORD.findall(description))
    terms = [term for term, _ in counts.most_common(TERMS)]
    rng.shuffle(terms)  # popularity by draw order, not by how common the word is
    return terms


def filter_args(rng, ids, kind):
    if kind == "category":
        return {"category": rng.choice(ids["categories"])}
    if kind == "county":
        return {"county": rng.choice(ids["counties"])}
    if kind == "price":
        low = rng.randrange(0, 500_000, 50_000)
        return {"price_min": low, "price_max": low + rng.choice([50_000, 200_000, 1_000_000])}
    if kind == "availability":
        return {"availability": rng.choice(["in_stock", "to_order"])}
    return {"sort": rng.choice(["newest", "price_asc", "price_desc"])}


def draw_urls(db, rng):
    """URLS (kind, path) pairs in the mix's proportions."""
    ids = {
        "categories": [row[0] for row in db.execute("SELECT id FROM categories")],
        "counties": [row[0] for row in db.execute("SELECT id FROM regions WHERE kind='county'")],
        "vendors": [row[0] for row in db.execute("SELECT id FROM vendors WHERE status='verified'")],
    }
    low, high = db.execute("SELECT min(id), max(id) FROM products WHERE listed").fetchone()
    terms = draw_terms(db, rng)
    urls = []
    for kind in rng.choices(list(MIX), weights=list(MIX.values()), k=URLS):
        if kind == "product":
            urls.append((kind, f"/catalogue/products/{rng.randint(low, high)}"))
            continue
        if kind == "vendor":
            urls.append((kind, f"/catalogue/vendors/{rng.choice(ids['vendors'])}"))
            continue
        args = {}
        if kind == "search":
            args["q"] = terms[zipf(rng, len(terms))]
            if rng.random() < 0.25:
                args.update(filter_args(rng, ids, rng.choice(FILTERS)))
            page = 1 if rng.random() < 0.8 else rng.randint(2, 5)
        else:
            if rng.random() < 0.7:
                args.update(filter_args(rng, ids, rng.choice(FILTERS)))
            page = 1 + zipf(rng, 50)
        if page > 1:
            args["page"] = page
        urls.append((kind, "/catalogue/?" + urllib.parse.urlencode(args)))
    return urls


def kind_of(path):
    if path.startswith("/catalogue/products/"):
        return "product"
    if path.startswith("/catalogue/vendors/"):
        return "vendor"
    if path.startswith("/catalogue/"):
        return "search" if "q=" in path else "listing"
    return "other"


def sign_in():
    """Sign the demo citizen in; return the Cookie header's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{PORT}/accounts/login"
    page = opener.open(base, timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "identifier": CITIZEN[0], "password": CITIZEN[1]}
    opener.open(base, urllib.parse.urlencode(form).encode(), timeout=30)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


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
    return found


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pids):
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024)
    return sizes


def percentiles(values):
    values = sorted(values)
    if not values:
        return {}
    pick = lambda share: values[min(len(values) - 1, int(share * len(values)))]  # noqa: E731
    return {"p50_ms": pick(0.5), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "n": len(values)}


def per_kind(log):
    """Per page type: p50/p95/p99 of the worker's time (ms) and the count of non-2xx."""
    times, bad = collections.defaultdict(list), collections.Counter()
    for line in log.read_text().splitlines():
        path, micros, status = line.rsplit(" ", 2)
        kind = kind_of(path)
        times[kind].append(int(micros) / 1000)
        bad[kind] += not status.startswith(("2", "3"))
    times.pop("other", None)  # /healthz requests still in flight when the mix began
    return {kind: {**percentiles(v), "not_2xx": bad[kind]} for kind, v in times.items()}


def probe(paths, cookie, seconds, seen):
    """One client of the sixteen, in Python: ask the mix's pages one after another over one
    keep-alive connection (one in ten signed in, like wrk's) and record how long each took
    as a visitor waits for it, queueing included, by page type."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    stop = time.monotonic() + seconds
    for count, path in enumerate(itertools.cycle(paths[len(paths) // 2 :] + paths)):
        if time.monotonic() >= stop:
            break
        headers = {"Cookie": cookie} if count % 10 == 9 else {}
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        seen[kind_of(path)].append((time.perf_counter() - started) * 1000)
    connection.close()


def measure(work, cache_type, duration):
    log = work / f"access-{cache_type}.log"
    log.unlink(missing_ok=True)
    extra = ("--access-logfile", str(log), "--access-logformat", "%(U)s?%(q)s %(D)s %(s)s")
    with gunicorn(PORT, app_env(work, cache_type), extra) as server:
        base = f"http://127.0.0.1:{PORT}"
        script = work / "mix.lua"
        cookie = sign_in()
        script.write_text(SCRIPT % (json.dumps(cookie), json.dumps(str(work / "paths.txt"))) + DONE)
        trivial_script = work / "trivial.lua"
        trivial_script.write_text(DONE)
        wrk(script, base, 5)  # warm every worker
        pids = workers(server.pid)
        memory_before = rss_mb(pids)
        cpu = cpu_seconds(pids)
        trivial = wrk(trivial_script, f"{base}/healthz", duration)
        trivial["cpu_ms"] = round((cpu_seconds(pids) - cpu) * 1000 / trivial["requests"], 2)
        log.write_text("")  # keep the mix's lines only
        cpu = cpu_seconds(pids)
        # 15 wrk connections and one Python client timing each page as a visitor meets it.
        seen = collections.defaultdict(list)
        paths = (work / "paths.txt").read_text().split()
        timer = threading.Thread(target=probe, args=(paths, cookie, duration, seen))
        timer.start()
        mix = wrk(script, base, duration, connections=15)
        timer.join()
        probed = sum(len(values) for values in seen.values())
        mix["requests"] += probed
        mix["rps"] = round(mix["rps"] + probed / duration, 1)
        mix["cpu_ms"] = round((cpu_seconds(pids) - cpu) * 1000 / mix["requests"], 2)
        mix["vs_trivial"] = round(mix["rps"] / trivial["rps"], 3)
        mix["client_pages"] = {kind: percentiles(values) for kind, values in seen.items()}
        memory_after = rss_mb(pids)
    return {
        "trivial": trivial,
        "mix": mix,
        "pages": per_kind(log),
        "worker_mb": {"after_warm_up": memory_before, "after_run": memory_after},
    }


def cold_pages(work, count, profile=None, page_cache_only=False):
    """In process: CPU per page with the page and card caches cleared before each request.

    What the figures rest on when the machine is shared (CPU time, not wall time): per page
    type p50/p95/max ms of CPU, the slowest URLs, and /healthz measured the same way."""
    os.environ.update(app_env(work, "on"))
    sys.path.insert(0, str(ROOT))
    from bazaar import create_app
    from bazaar.extensions import cache
    from bazaar.services.counts import forget_counts

    app = create_app()
    client = app.test_client()
    paths = (work / "paths.txt").read_text().split()[:count]
    for path in paths[:20]:
        client.get(path)  # warm what each process keeps (templates, reference lists)

    if page_cache_only:
        app.config["PAGE_CACHE_SECONDS"] = 0  # no page cached; card fragments kept
    walls = collections.defaultdict(list)

    def cpu_ms(path):
        if not page_cache_only:
            with app.app_context():
                cache.clear()
                forget_counts()
        started, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        spent = (time.process_time() - started) * 1000
        walls[kind_of(path)].append((time.perf_counter() - wall) * 1000)
        assert response.status_code in (200, 404), (path, response.status_code)
        return spent

    trivial = sorted(cpu_ms("/healthz") for _ in range(200))
    times, slow = collections.defaultdict(list), []
    if page_cache_only:
        for path in paths:
            client.get(path)  # the card fragments these pages show, as a warm worker has them
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    walls.clear()
    memory = [rss_mb([os.getpid()])[0]]
    for path in paths:
        spent = cpu_ms(path)
        times[kind_of(path)].append(spent)
        slow.append((spent, path))
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    memory.append(rss_mb([os.getpid()])[0])
    result = {"healthz_ms": round(trivial[len(trivial) // 2], 3), "rss_mb": memory}
    everything = [t for values in times.values() for t in values]
    result["mix_mean_ms"] = round(sum(everything) / len(everything), 2)
    result["mix_vs_healthz"] = round(result["healthz_ms"] / result["mix_mean_ms"], 3)
    for kind, values in sorted(times.items()):
        values.sort()
        result[kind] = {
            "p50_ms": round(values[len(values) // 2], 2),
            "p95_ms": round(values[int(len(values) * 0.95)], 2),
            "max_ms": round(values[-1], 2),
            "n": len(values),
            "wall_p50_ms": round(sorted(walls[kind])[len(values) // 2], 2),
        }
    result["slowest"] = [(round(t, 1), path) for t, path in sorted(slow)[-5:]]
    result["load_average"] = os.getloadavg()
    return result


def worst_urls(db, rng, count):
    """`count` catalogue URLs built to be expensive: every filter at once (a parent category,
    a field, a county, an availability, a price range), price sorts, the deepest pages, and
    one-letter or common terms, alone or with all of that."""
    ids = {
        "categories": [row[0] for row in db.execute("SELECT id FROM categories")],
        "counties": [row[0] for row in db.execute("SELECT id FROM regions WHERE kind='county'")],
        "fields": [row[0] for row in db.execute("SELECT id FROM fields")],
        "vendors": [row[0] for row in db.execute("SELECT id FROM vendors WHERE status='verified'")],
    }
    terms = [*draw_terms(db, rng)[:50], "ا", "م", "خانگی", "ترشی خانگی"]
    urls = []
    for _ in range(count):
        args = {}
        if rng.random() < 0.6:
            args["q"] = rng.choice(terms)
        for name, values in (("category", ids["categories"]), ("field", ids["fields"])):
            if rng.random() < 0.6:
                args[name] = rng.choice(values)
        if rng.random() < 0.6:
            args["county"] = rng.choice(ids["counties"])
        if rng.random() < 0.2:
            args["vendor"] = rng.choice(ids["vendors"])
        if rng.random() < 0.5:
            args["availability"] = rng.choice(["in_stock", "to_order", "unavailable"])
        if rng.random() < 0.5:
            low = rng.choice([0, 1, 100_000, 900_000])
            args.update(price_min=low, price_max=low + rng.choice([1, 50_000, 10**9]))
        args["sort"] = rng.choice(SORTS_DRAWN)
        args["page"] = rng.choice([1, 2, 25, 49, 50])
        urls.append("/catalogue/?" + urllib.parse.urlencode(args))
    return urls


SORTS_DRAWN = ["relevance", "newest", "price_asc", "price_desc"]


def worst_pages(work, urls):
    """In process: the CPU time of each URL with every cache cleared, the slowest first."""
    os.environ.update(app_env(work, "none"))
    sys.path.insert(0, str(ROOT))
    from bazaar import create_app
    from bazaar.services.counts import forget_counts

    app = create_app()
    client = app.test_client()
    for path in urls[:20]:
        client.get(path)  # what each process loads once (templates, reference lists)
    times = []
    for path in urls:
        with app.app_context():
            forget_counts()  # nothing counted before: each URL as its first visitor meets it
        started = time.process_time()
        status = client.get(path).status_code
        times.append((round((time.process_time() - started) * 1000, 1), status, path))
    times.sort(reverse=True)
    spent = sorted(t for t, _s, _p in times)
    return {
        "n": len(times),
        "cpu_ms_p50": spent[len(spent) // 2],
        "cpu_ms_p99": spent[int(len(spent) * 0.99)],
        "cpu_ms_max": spent[-1],
        "not_200": sum(status != 200 for _t, status, _p in times),
        "slowest": [(t, urllib.parse.unquote(path)) for t, _s, path in times[:8]],
        "load_average": os.getloadavg(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--cold", type=int, metavar="N", help="only time N pages in process, caches cleared"
    )
    parser.add_argument("--profile", metavar="FILE", help="with --cold: cProfile stats here")
    parser.add_argument(
        "--warm-cards", action="store_true", help="with --cold: keep the card fragments warm"
    )
    parser.add_argument(
        "--worst", type=int, metavar="N", help="only time N expensive filter combinations"
    )
    parser.add_argument("--database", help="a PostgreSQL URL (scripts/postgres.sh run sets one)")
    parser.add_argument("--runs", default="on,off", help="cache settings to measure: on,off,none")
    args = parser.parse_args()
    global DATABASE  # set once, from the command line
    DATABASE = args.database
    if not any(Path(p, "wrk").exists() for p in os.environ["PATH"].split(os.pathsep)):
        sys.exit("wrk is needed: apt-get install wrk")
    work = Path(os.environ.get("BAZAAR_BENCH_DIR", f"/tmp/bazaar-bench-{args.products}"))  # noqa: S108
    seed_seconds = build(work, args.products, args.rebuild)
    with connect(work) as db:
        urls = draw_urls(db, random.Random(12))
    (work / "paths.txt").write_text("".join(path + "\n" for _, path in urls))
    if args.worst:
        with connect(work) as db:
            drawn = worst_urls(db, random.Random(7), args.worst)
        result = worst_pages(work, drawn)
        target = ROOT / "bench" / "results" / f"catalogue-{args.products}-worst.json"
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    if args.cold:
        result = cold_pages(work, args.cold, args.profile, args.warm_cards)
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    report = {
        "products": args.products,
        "machine": (
            f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        ),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed_seconds": seed_seconds,
        "workers": WORKERS,
        "duration": args.duration,
        "database": "PostgreSQL" if DATABASE else "SQLite",
        "load_average_before": os.getloadavg(),
        "runs": {
            f"cache {name}": measure(work, name, args.duration) for name in args.runs.split(",")
        },
        "load_average_after": os.getloadavg(),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    target = out / f"catalogue-{args.products}{'-pg' if DATABASE else ''}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(
        f"{report['machine']}; {report['database']}; {report['when']}; seed {seed_seconds} s; "
        f"{args.products} products; load {report['load_average_before']} -> "
        f"{report['load_average_after']}"
    )
    for name, result in report["runs"].items():
        t, m = result["trivial"], result["mix"]
        print(f"\n{name}: /healthz {t['rps']} req/s (p95 {t['p95_ms']} ms, {t['cpu_ms']} ms CPU)")
        print(
            f"  mix {m['rps']} req/s = {m['vs_trivial']}x /healthz; p50/p95/p99 "
            f"{m['p50_ms']}/{m['p95_ms']}/{m['p99_ms']} ms; {m['cpu_ms']} ms CPU per request; "
            f"errors {m['errors']}"
        )
        for kind, p in sorted(result["pages"].items()):
            c = m["client_pages"].get(kind, {})
            worker = f"{p['p50_ms']:.1f}/{p['p95_ms']:.1f}/{p['p99_ms']:.1f}"
            print(
                f"  {kind:<8} n={p['n']:<6} worker p50/p95/p99 "
                f"{worker} ms, not 2xx {p['not_2xx']}; "
                f"client (n={c.get('n', 0)}) p50/p95/p99 "
                f"{c.get('p50_ms', 0):.1f}/{c.get('p95_ms', 0):.1f}/{c.get('p99_ms', 0):.1f} ms"
            )
        print(f"  worker MB {result['worker_mb']}")


if __name__ == "__main__":
    main()
