"""Visitors' catalogue pages, cached per process and keyed by the catalogue version.

A web concern: the service layer only keeps the version current
(bazaar/services/catalogue_version.py); this decorator decides what may be served from cache.
"""

import functools
import zlib

from flask import current_app, request, session
from flask_login import current_user

from bazaar.extensions import cache
from bazaar.i18n import current_language
from bazaar.services.catalogue_version import catalogue_version


def cached_for_visitors(view):
    """Serve a GET page from the cache to visitors who are not signed in and have no message."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        seconds = current_app.config["PAGE_CACHE_SECONDS"]
        if seconds <= 0 or current_user.is_authenticated or session.get("_flashes"):
            return view(*args, **kwargs)
        key = f"page:{catalogue_version()}:{current_language()}:{request.full_path}"
        packed = cache.get(key)
        if packed is not None:
            return zlib.decompress(packed).decode()
        page = view(*args, **kwargs)
        if isinstance(page, str):
            # Compressed (~1/6 of the HTML): a full cache then holds a few MB per worker, not
            # tens, and a worker's memory levels off soon after it starts.
            cache.set(key, zlib.compress(page.encode(), 1), timeout=seconds)
        return page

    return wrapped
