"""Counts the catalogue repeats, kept per catalogue version.

A listing's count is the same on each of its pages and for every visitor until the catalogue
changes, and a search term's number of matches too; counting them again on every page was most
of what a filtered page cost at a million products. Each process keeps them in a small cache of
its own (per app; least recently used out first), apart from the page and card cache: twenty card
fragments a page would push them out of a shared one within seconds. They are kept under the
catalogue version (services/catalogue_version.py), so any change to products, vendors or
reference data makes every kept count stale at once.
"""

import hashlib
import threading

from cachetools import TTLCache
from flask import current_app

from bazaar.services.catalogue_version import catalogue_version

COUNT_SECONDS = 600
COUNTS_KEPT = 20_000  # a few MB per process at most


def _store():
    store = current_app.extensions.get("kept_counts")
    if store is None:
        store = (TTLCache(maxsize=COUNTS_KEPT, ttl=COUNT_SECONDS), threading.Lock())
        current_app.extensions["kept_counts"] = store
    return store


def kept_count(what, compute):
    """Return the count `what` (a tuple of plain values naming it) from the cache, or compute it."""
    name = hashlib.blake2b(repr(what).encode(), digest_size=12).digest()
    key = (catalogue_version(), name)
    kept, lock = _store()
    with lock:
        value = kept.get(key)
    if value is None:
        value = compute()
        with lock:
            kept[key] = value
    return value


def forget_counts():
    """Drop every kept count (tests and benchmarks that compare cold pages)."""
    kept, lock = _store()
    with lock:
        kept.clear()
