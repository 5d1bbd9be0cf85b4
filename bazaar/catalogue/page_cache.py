"""Visitors' catalogue pages, cached per process and keyed by the catalogue version.

A web concern: the service layer only keeps the version current
(bazaar/services/catalogue_version.py); this decorator decides what may be served from cache.
"""

import functools
import zlib

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from bazaar.extensions import cache
from bazaar.i18n import current_language
from bazaar.services.catalogue_version import catalogue_version

# Where the visitor's CSRF token goes in a cached page (NUL never appears in a page).
TOKEN_PLACE = "\x00csrf\x00"  # noqa: S105 (a placeholder, not a secret)


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
            return _with_own_token(zlib.decompress(packed).decode())
        page = view(*args, **kwargs)
        if isinstance(page, str):
            # Compressed (~1/6 of the HTML): a full cache then holds a few MB per worker, not
            # tens, and a worker's memory levels off soon after it starts.
            kept = _without_token(page)
            cache.set(key, zlib.compress(kept.encode(), 1), timeout=seconds)
        return page

    return wrapped


def _without_token(page):
    """The page with the CSRF token it was rendered with (this visitor's) taken out."""
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return page.replace(token, TOKEN_PLACE) if token else page


def _with_own_token(page):
    """A cached page with the current visitor's own CSRF token in its forms (the language
    switch, the inquiry form): a token is bound to its visitor's session, and one visitor's
    token in another's form is refused."""
    return page.replace(TOKEN_PLACE, generate_csrf()) if TOKEN_PLACE in page else page
