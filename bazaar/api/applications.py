"""A vendor's stall applications: apply, list own, confirm, decline, withdraw (bearer token)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from bazaar.api.auth import api_user, limit, token_required
from bazaar.api.fields import JalaliMoment, LocalDateTime, Text, WholeNumber
from bazaar.api.schemas import ids
from bazaar.models import AppState, Role
from bazaar.models.types import utcnow
from bazaar.services import stalls

blp = limit(
    Blueprint("api_applications", __name__, url_prefix="/api/v1", description="Stall applications")
)


class ApplyInSchema(Schema):
    """The same fields as the apply form on the bazaar page."""

    stall_type_id = WholeNumber(required=True)
    category_ids = ids(required=True)
    note = Text(max_length=300, load_default="")


class ApplicationSchema(Schema):
    id = fields.Integer()
    bazaar_id = fields.Integer()
    bazaar_title = fields.Function(lambda a: a.bazaar.title, metadata={"type": "string"})
    stall_type_id = fields.Integer()
    stall_type_name = fields.Function(lambda a: a.stall_type.name, metadata={"type": "string"})
    category_ids = fields.List(fields.Integer())
    note = fields.String()
    state = fields.String(validate=validate.OneOf([s.value for s in AppState]))
    reason = fields.Function(
        lambda a: stalls.explain(a.reason), metadata={"type": "string"}, allow_none=True
    )
    position = fields.Integer(
        allow_none=True, metadata={"description": "Place on the waiting list"}
    )
    confirm_by = LocalDateTime(allow_none=True)
    confirm_by_jalali = JalaliMoment("confirm_by")
    applied_at = LocalDateTime()
    applied_at_jalali = JalaliMoment("applied_at")


@blp.post("/bazaars/<int:bazaar_id>/applications")
@token_required(blp, Role.VENDOR)
@blp.arguments(ApplyInSchema)
@blp.response(201, ApplicationSchema)
def create(values, bazaar_id):
    """Apply for a stall: first come, a free stall at once, else the waiting list."""
    return stalls.apply_for_stall(
        api_user(),
        bazaar_id,
        values["stall_type_id"],
        values["category_ids"],
        values["note"],
        now=utcnow(),
    )


@blp.get("/applications")
@token_required(blp, Role.VENDOR)
@blp.response(200, ApplicationSchema(many=True))
def index():
    """List the vendor's own applications, newest bazaar first."""
    return stalls.my_applications(api_user())


@blp.post("/applications/<int:application_id>/confirm")
@token_required(blp, Role.VENDOR)
@blp.response(200, ApplicationSchema)
def confirm(application_id):
    """Confirm an allocated stall before its deadline (another vendor's: 404)."""
    return stalls.confirm_stall(api_user(), application_id, now=utcnow())


@blp.post("/applications/<int:application_id>/decline")
@token_required(blp, Role.VENDOR)
@blp.response(200, ApplicationSchema)
def decline(application_id):
    """Give up an allocated or confirmed stall; it passes to the waiting list."""
    return stalls.decline_stall(api_user(), application_id, now=utcnow())


@blp.delete("/applications/<int:application_id>")
@token_required(blp, Role.VENDOR)
@blp.response(200, ApplicationSchema)
def delete(application_id):
    """Withdraw an application that holds no stall yet."""
    return stalls.withdraw_application(api_user(), application_id, now=utcnow())
