"""gunicorn settings for bench/soak.py: the app's own (bazaar/gunicorn_conf.py) plus bench-only
measurements, written into SOAK_WORK (the soak's folder). Never used by `make run`.

- Always: each worker adds up how much its RSS grew during requests of each kind (listing,
  search, product, sign-in…), so growth can be put down to a kind of request; written to
  rss-<pid>.json every few seconds.
- With SOAK_TRACEMALLOC=1 (debug only: tracing slows requests and costs memory): each worker
  traces allocations from its fork, takes a snapshot before its first request and once
  SOAK_WARM_UP seconds of requests have passed, and every 20 s after writes the top
  differences against both (by line) to tracemalloc-<pid>.txt.
"""

import json
import os
import time
import tracemalloc
from pathlib import Path

from bazaar.gunicorn_conf import *  # noqa: F403 (the app's settings and hooks, unchanged)

WORK = Path(os.environ.get("SOAK_WORK", "."))
TRACE = os.environ.get("SOAK_TRACEMALLOC") == "1"
WARM_UP = float(os.environ.get("SOAK_WARM_UP", "10"))
PAGE = os.sysconf("SC_PAGE_SIZE")
KINDS = (
    ("/catalogue/products/", "product"),
    ("/catalogue/vendors/", "vendor"),
    ("/catalogue/", "listing"),
    ("/accounts/login", "sign-in"),
    ("/accounts/logout", "sign-out"),
    ("/stalls/apply/", "booking"),
    ("/imports/", "import"),
)
state = {}


def _rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def _kind(req):
    for prefix, kind in KINDS:
        if req.path.startswith(prefix):
            if kind == "listing" and "q=" in (req.query or ""):
                return "search"
            return kind
    return "other"


def post_fork(server, worker):
    state.update(forked=time.monotonic(), kinds={}, written=0.0, baseline=None, dumped=0.0)
    if TRACE:
        tracemalloc.start(1)


def pre_request(worker, req):
    worker.log.debug("%s %s", req.method, req.path)  # gunicorn's own pre_request does this
    state["before"] = _rss()
    if TRACE and "first" not in state:
        state.update(first=tracemalloc.take_snapshot(), first_at=time.monotonic())


def post_request(worker, req, environ, resp):
    now = time.monotonic()
    seen = state["kinds"].setdefault(_kind(req), {"n": 0, "grew_kb": 0})
    seen["n"] += 1
    seen["grew_kb"] += (_rss() - state.pop("before", _rss())) // 1024
    if now - state["written"] >= 2:
        _write_rss()
        state["written"] = now
    if TRACE:
        _trace(now)


def worker_exit(server, worker):
    if state:
        _write_rss()


def _write_rss():
    (WORK / f"rss-{os.getpid()}.json").write_text(json.dumps(state["kinds"], sort_keys=True))


def _trace(now):
    if state["baseline"] is None:
        if now - state["first_at"] >= WARM_UP:
            state["baseline"] = tracemalloc.take_snapshot()
            state["dumped"] = now
        return
    if now - state["dumped"] < 20:
        return
    state["dumped"] = now
    snapshot = tracemalloc.take_snapshot()
    lines = []
    for name, since in (("the warm-up", state["baseline"]), ("the first request", state["first"])):
        diff = snapshot.compare_to(since, "lineno")
        grown = sum(stat.size_diff for stat in diff)
        lines.append(
            f"--- {now - state['first_at']:.0f} s after the first request, since {name}: "
            f"{grown / 1024:+.0f} KiB traced"
        )
        lines += [str(stat) for stat in diff[:15]]
    with open(WORK / f"tracemalloc-{os.getpid()}.txt", "a") as out:
        out.write("\n".join(lines) + "\n")
