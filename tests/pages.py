"""Helpers the view tests share: counting rows, reading the error under one form field."""

import re

from bazaar.extensions import db


def count(model):
    """Return how many rows the model's table holds."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def field_error(html, field_id):
    """The text of the error shown under the field with this id, or None."""
    found = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>([^<]*)</div>', html)
    return found and found.group(1).strip()
