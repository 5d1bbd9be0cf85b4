"""Schemas every part of the API shares: the problem document, paging, references."""

import base64
import binascii

from marshmallow import Schema, fields, validate

from bazaar.api.fields import Text, WholeNumber
from bazaar.services.paging import MAX_RESULTS

MAX_PER_PAGE = 100


class ProblemErrorSchema(Schema):
    field = fields.String(required=True)
    location = fields.String(required=True)
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """An error, as RFC 9457 describes it, with field errors for validation."""

    type = fields.String(required=True, metadata={"example": "/api/v1/problems/validation"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(fields.Nested(ProblemErrorSchema))


class Cursor(fields.String):
    """An opaque position in a list, as given in `next_cursor`."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            kind, _, number = (
                base64.urlsafe_b64decode(text.encode() + b"==").decode().partition(":")
            )
            page = int(number)
        except (binascii.Error, UnicodeError, ValueError) as exc:
            raise self.make_error("invalid") from exc
        if kind != "page" or not 1 <= page <= MAX_RESULTS:
            raise self.make_error("invalid")
        return page


def make_cursor(page):
    """Return the cursor of a page."""
    return base64.urlsafe_b64encode(f"page:{page}".encode()).decode().rstrip("=")


class PageArgs(Schema):
    """How a list is paged: an opaque cursor (absent: the first page) and its size."""

    cursor = Cursor(load_default=1, metadata={"description": "`next_cursor` of the last page"})
    per_page = WholeNumber(low=1, high=MAX_PER_PAGE, load_default=20)


class PageSchema(Schema):
    """One page of a list: its items, where the next page starts and a (capped) count."""

    next_cursor = fields.String(allow_none=True, required=True)
    total = fields.Integer(
        required=True, metadata={"description": f"How many match, counted up to {MAX_RESULTS}"}
    )
    total_is_lower_bound = fields.Boolean(required=True)


def page_of(pagination, items=None):
    """Return a page document for a CappedPage (or any Flask-SQLAlchemy pagination)."""
    more = getattr(pagination, "more", False)
    has_next = pagination.has_next and not getattr(pagination, "too_deep", False)
    if has_next and pagination.page * pagination.per_page >= MAX_RESULTS:
        has_next = False
    return {
        "items": pagination.items if items is None else items,
        "next_cursor": make_cursor(pagination.page + 1) if has_next else None,
        "total": min(pagination.total or 0, MAX_RESULTS) if more else pagination.total or 0,
        "total_is_lower_bound": bool(more),
    }


class NamedSchema(Schema):
    """A reference item (county, field, category) with its name in both languages."""

    id = fields.Integer(required=True)
    code = fields.String()
    name_fa = fields.String()
    name_en = fields.String()


def ids(**kwargs):
    """A list of ids (at most 50)."""
    return fields.List(WholeNumber(), validate=validate.Length(min=1, max=50), **kwargs)


__all__ = ["MAX_PER_PAGE", "NamedSchema", "PageArgs", "PageSchema", "Text", "WholeNumber"]
