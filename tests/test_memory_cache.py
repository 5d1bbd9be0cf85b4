"""The in-process cache keeps at most its threshold, dropping the least recently used entry."""

from bazaar.extensions import cache
from bazaar.memory_cache import MemoryCache


def test_the_app_caches_in_memory_with_lru_eviction(app):
    assert isinstance(cache.cache, MemoryCache)
    assert cache.cache._threshold == app.config["CACHE_THRESHOLD"]


def test_a_full_cache_drops_the_least_recently_used_entry():
    memory = MemoryCache(threshold=3)
    for key in "abc":
        memory.set(key, key.upper())
    assert memory.get("a") == "A"  # "a" is now the most recently used
    memory.set("d", "D")
    assert memory.get("b") is None  # the least recently used went
    assert [memory.get(key) for key in "acd"] == ["A", "C", "D"]
    memory.set_many({"e": "E", "f": "F"})
    assert len(memory._cache) == 3


def test_an_expired_entry_is_never_served(monkeypatch):
    memory = MemoryCache(threshold=10)
    memory.set("page", "old", timeout=5)
    clock = __import__("time").time() + 6
    monkeypatch.setattr("cachelib.simple.time", lambda: clock)
    assert memory.get("page") is None
    assert memory.has("page") is False
    assert memory.add("page", "new") is True
    assert memory.get("page") == "new"
