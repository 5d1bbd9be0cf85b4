"""Organisers: GET/POST /api/v1/restrictions, POST /api/v1/restrictions/{id}/lift (token).

Another office's system can drive the gathering gate through the same services as the pages:
recording a restriction holds the bazaars it covers at once; lifting it releases every bazaar
only it held, exactly once, and tells everyone waiting.
"""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from bazaar.api.auth import api_user, limit, token_required
from bazaar.api.bazaars import RestrictionRefSchema
from bazaar.api.fields import Day, JalaliMoment, LocalDateTime, Text, WholeNumber
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import restrictions

blp = limit(
    Blueprint(
        "api_restrictions", __name__, url_prefix="/api/v1/restrictions", description="Restrictions"
    )
)


class RestrictionSchema(RestrictionRefSchema):
    note = fields.String()
    lift_body = fields.String(allow_none=True)
    lift_reference = fields.String(allow_none=True)
    lift_decided_on = fields.Date(allow_none=True)
    lifted_at = LocalDateTime(allow_none=True)
    lifted_at_jalali = JalaliMoment("lifted_at")
    created_at = LocalDateTime()


class RestrictionInSchema(Schema):
    """The same fields as the restriction form (the document is uploaded on the page)."""

    body = Text(max_length=200, min_length=1, required=True)
    reference = Text(max_length=80, min_length=1, required=True)
    decided_on = Day(required=True)
    region_id = WholeNumber(
        required=True,
        allow_none=True,
        metadata={"description": "a county's id, or null for the whole province (say which)"},
    )
    starts_on = Day(required=True)
    ends_on = Day(load_default=None, allow_none=True)
    note = Text(max_length=2000, keep_lines=True, load_default="")


class LiftInSchema(Schema):
    """The lifting decision: who decided, its reference number and date (all three, or none of
    them to lift without a recorded decision), and a reason for the audit log."""

    decided_by = Text(max_length=200, load_default=None, allow_none=True)
    reference = Text(max_length=80, load_default=None, allow_none=True)
    decided_on = Day(load_default=None, allow_none=True)
    reason = Text(max_length=500, load_default=None, allow_none=True)


class LiftedSchema(Schema):
    restriction = fields.Nested(RestrictionSchema)
    released_bazaar_ids = fields.List(fields.Integer())


@blp.get("")
@token_required(blp, Role.ORGANISER)
@blp.response(200, RestrictionSchema(many=True))
def index():
    """List every restriction on record, newest decision first."""
    return restrictions.list_restrictions()


@blp.post("")
@token_required(blp, Role.ORGANISER)
@blp.arguments(RestrictionInSchema)
@blp.response(201, RestrictionSchema)
def create(values):
    """Record an authority's decision; the bazaars it covers are held at once."""
    data = restrictions.RestrictionData(**values)
    return restrictions.record_restriction(api_user(), data, now=utcnow())


@blp.post("/<int:restriction_id>/lift")
@token_required(blp, Role.ORGANISER)
@blp.arguments(LiftInSchema)
@blp.response(200, LiftedSchema)
def lift(values, restriction_id):
    """Lift the restriction now: bazaars only it held go ahead and their lists are told."""
    released = restrictions.lift_restriction(api_user(), restriction_id, now=utcnow(), **values)
    return {
        "restriction": restrictions.get_restriction(restriction_id),
        "released_bazaar_ids": [bazaar.id for bazaar in released],
    }
