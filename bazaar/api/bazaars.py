"""GET /api/v1/bazaars and /api/v1/bazaars/{id}: published bazaars with their derived status."""

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from bazaar.api.auth import limit
from bazaar.api.fields import JalaliDay, JalaliMoment, LocalDateTime, WholeNumber
from bazaar.api.schemas import NamedSchema, PageArgs, PageSchema, make_cursor
from bazaar.models import Status
from bazaar.models.types import utcnow
from bazaar.services.bazaars import listing

blp = limit(Blueprint("api_bazaars", __name__, url_prefix="/api/v1/bazaars", description="Bazaars"))
STATUSES = [s.value for s in Status if s != Status.DRAFT]


class BazaarArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)
    county = WholeNumber(load_default=None)


class RestrictionRefSchema(Schema):
    id = fields.Integer()
    body = fields.String()
    reference = fields.String()
    decided_on = fields.Date()
    decided_on_jalali = JalaliDay("decided_on")
    starts_on = fields.Date()
    starts_on_jalali = JalaliDay("starts_on")
    ends_on = fields.Date(allow_none=True)
    ends_on_jalali = JalaliDay("ends_on")
    region = fields.Nested(NamedSchema, allow_none=True)


class StallTypeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    count = fields.Integer()
    free = fields.Function(lambda s: max(s.count - s.allocated, 0), metadata={"type": "integer"})
    fee_toman = fields.Integer(allow_none=True, metadata={"description": "Whole toman"})
    is_food = fields.Boolean()
    closed = fields.Function(lambda s: s.closed_at is not None, metadata={"type": "boolean"})


class BazaarSchema(Schema):
    """A published bazaar with its derived status (as the bazaar page shows it)."""

    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    venue_name = fields.String()
    venue_address = fields.String()
    county = fields.Nested(NamedSchema)
    status = fields.String(metadata={"enum": STATUSES})
    applications = fields.String(metadata={"enum": ["open", "closed", "not_yet", "none"]})
    held_by = fields.Nested(RestrictionRefSchema, allow_none=True)
    starts_at = LocalDateTime()
    starts_at_jalali = JalaliMoment("starts_at")
    ends_at = LocalDateTime()
    previous_starts_at = LocalDateTime(allow_none=True)
    previous_starts_at_jalali = JalaliMoment("previous_starts_at")
    cancel_reason = fields.String(allow_none=True)
    stall_types = fields.List(fields.Nested(StallTypeSchema))
    page_url = fields.String()


def bazaar_document(bazaar, state):
    """Return what BazaarSchema shows of a bazaar and its derived state."""
    return {
        **{key: getattr(bazaar, key) for key in ("id", "title", "description", "venue_name")},
        "venue_address": bazaar.venue_address,
        "county": bazaar.county,
        "status": state.status.value,
        "applications": state.applications,
        "held_by": state.restriction,
        "starts_at": bazaar.starts_at,
        "ends_at": bazaar.ends_at,
        "previous_starts_at": state.previous_starts_at or bazaar.previous_starts_at,
        "cancel_reason": bazaar.cancel_reason,
        "stall_types": bazaar.stall_types,
        "page_url": url_for("bazaars.view", bazaar_id=bazaar.id),
    }


class BazaarPageSchema(PageSchema):
    items = fields.List(fields.Nested(BazaarSchema), required=True)


@blp.get("")
@blp.arguments(BazaarArgs, location="query", as_kwargs=True)
@blp.response(200, BazaarPageSchema)
def index(cursor, per_page, status, county):
    """List published bazaars to come (and held ones), soonest first, as the bazaars page."""
    entries = listing.list_public_bazaars(
        now=utcnow(), county_id=county, include_past=status == Status.PAST.value
    )
    if status:
        entries = [entry for entry in entries if entry[1].status == status]
    start = (cursor - 1) * per_page
    return {
        "items": [bazaar_document(*entry) for entry in entries[start : start + per_page]],
        "next_cursor": make_cursor(cursor + 1) if len(entries) > start + per_page else None,
        "total": len(entries),
        "total_is_lower_bound": False,
    }


@blp.get("/<int:bazaar_id>")
@blp.response(200, BazaarSchema)
def view(bazaar_id):
    """Show a bazaar: its derived status, the restriction holding it, stalls and free counts."""
    bazaar = listing.get_public_bazaar(bazaar_id)
    return bazaar_document(bazaar, listing.state_of(bazaar, utcnow()))
