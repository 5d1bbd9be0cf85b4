"""Visitors' catalogue pages, cached per process and keyed by the catalogue version.

A web concern: the service layer only keeps the version current
(bazaar/services/catalogue_version.py); this decorator decides what may be served from cache.
"""

import functools

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
        page = cache.get(key)
        if page is None:
            page = view(*args, **kwargs)
            if isinstance(page, str):
                cache.set(key, page, timeout=seconds)
        return page

    return wrapped
