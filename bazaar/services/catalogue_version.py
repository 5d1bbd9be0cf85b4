"""The catalogue version: a counter the database bumps whenever what the catalogue shows changes.

Every change to products, photos, vendors or reference data bumps the `catalogue` counter in
the same transaction, so every worker process can tell that what it cached is stale. Caches that
hold catalogue data (visitors' pages, the category tree) key themselves by this version.
"""

import time

from flask import current_app
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from bazaar.extensions import db
from bazaar.models import Category, Counter, Field, Product, ProductPhoto, Region, Vendor

LISTED = (Product, ProductPhoto, Vendor, Category, Field, Region)
VERSION_CHECK_SECONDS = 1.0


def _bump_on_catalogue_change(session_, _context, _instances):
    changed = (*session_.new, *session_.dirty, *session_.deleted)
    if any(isinstance(obj, LISTED) for obj in changed):
        bump_catalogue_version(session_)


def watch_catalogue_changes():
    """Bump the version in every flush that changes catalogue data (called by create_app)."""
    if not event.contains(Session, "before_flush", _bump_on_catalogue_change):
        event.listen(Session, "before_flush", _bump_on_catalogue_change)


def _seen():
    # This process's last reading of the version for this app, and when (monotonic seconds).
    return current_app.extensions.setdefault("catalogue_version", {"version": None, "at": 0.0})


def bump_catalogue_version(session_=None):
    """Mark everything cached from the catalogue stale (call inside the changing transaction)."""
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
