"""A cache of catalogue pages for visitors, keyed by a version the database bumps on change.

Every change to what the catalogue shows (products, photos, vendors, reference data) bumps
the `catalogue` counter in the same transaction, so every worker process sees new content on
its next request; the cache itself is per process (Flask-Caching's SimpleCache by default).
"""

import functools
import time

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from bazaar.extensions import cache, db
from bazaar.i18n import current_language
from bazaar.models import Category, Counter, Field, Product, ProductPhoto, Region, Vendor

LISTED = (Product, ProductPhoto, Vendor, Category, Field, Region)
VERSION_CHECK_SECONDS = 1.0


@event.listens_for(Session, "before_flush")
def _bump_on_catalogue_change(session_, _context, _instances):
    changed = (*session_.new, *session_.dirty, *session_.deleted)
    if any(isinstance(obj, LISTED) for obj in changed):
        bump_catalogue_version(session_)


def _seen():
    # This process's last reading of the version for this app, and when (monotonic seconds).
    return current_app.extensions.setdefault("catalogue_version", {"version": None, "at": 0.0})


def bump_catalogue_version(session_=None):
    """Mark every cached catalogue page stale (call inside the changing transaction)."""
    (session_ or db.session).execute(
        text("UPDATE counters SET value = value + 1 WHERE name = 'catalogue'")
    )
    _seen()["version"] = None  # this process reads the new version on its next request


def catalogue_version():
    """Return the catalogue version, read from the database at most once a second per process.

    A change made by another worker shows within a second; one made here shows at once.
    """
    seen, clock = _seen(), time.monotonic()
    if seen["version"] is None or clock - seen["at"] >= VERSION_CHECK_SECONDS:
        value = db.session.scalar(db.select(Counter.value).where(Counter.name == "catalogue")) or 0
        seen.update(version=value, at=clock)
    return seen["version"]


def cached_for_visitors(view):
    """Serve a GET page from the cache to visitors who are not signed in and have no message."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated or session.get("_flashes"):
            return view(*args, **kwargs)
        key = f"page:{catalogue_version()}:{current_language()}:{request.full_path}"
        page = cache.get(key)
        if page is None:
            page = view(*args, **kwargs)
            if isinstance(page, str):
                cache.set(key, page, timeout=current_app.config["PAGE_CACHE_SECONDS"])
        return page

    return wrapped
