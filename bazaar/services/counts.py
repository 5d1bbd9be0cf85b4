"""Counts the catalogue repeats, kept per catalogue version.

A listing's count is the same on each of its pages and for every visitor until the catalogue
changes, and a search term's number of matches too; counting them again on every page was most
of what a filtered page cost at a million products. They are kept in the app's cache (per
process, or Redis when configured) under the catalogue version (services/catalogue_version.py),
so any change to products, vendors or reference data makes every kept count stale at once.
"""

import hashlib

from bazaar.extensions import cache
from bazaar.services.catalogue_version import catalogue_version

COUNT_SECONDS = 600


def kept_count(what, compute):
    """Return the count `what` (a tuple of plain values naming it) from the cache, or compute it."""
    name = hashlib.blake2b(repr(what).encode(), digest_size=12).hexdigest()
    key = f"count:{catalogue_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=COUNT_SECONDS)
    return value
