"""The in-process cache: Flask-Caching's SimpleCache that evicts the least recently used entry.

SimpleCache, once full, scans and sorts every entry on each `set` to drop the oldest one
(cachelib's `_prune`). With the catalogue's card fragments that was a sort of 2,000 entries for
every card a page rendered: a quarter of a worker's CPU under a real day's mix. Here the entries
live in cachetools' LRUCache, which drops the least recently used entry in constant time as a
new one arrives; expired entries are never served (cachelib checks on read) and age out the same
way. Deployments with several servers use Redis instead (bazaar/setup.py).
"""

from cachetools import LRUCache
from flask_caching.backends.simplecache import SimpleCache


class MemoryCache(SimpleCache):
    """SimpleCache holding at most CACHE_THRESHOLD entries, least recently used out first."""

    def __init__(self, threshold=500, default_timeout=300, **kwargs):
        super().__init__(threshold=threshold, default_timeout=default_timeout, **kwargs)
        self._cache = LRUCache(maxsize=self._threshold)

    def _prune(self):
        """Nothing to do: the LRU mapping makes room itself as an entry is added."""
