"""GET /api/v1/vendors and /api/v1/vendors/{id}: verified vendors, public fields only."""

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from bazaar.api.auth import limit
from bazaar.api.fields import Text, link
from bazaar.api.schemas import NamedSchema, PageArgs, PageSchema, page_of
from bazaar.i18n import local_date
from bazaar.models import VendorStatus
from bazaar.models.types import utcnow
from bazaar.services import catalogue, vendors
from bazaar.services.vendors import thumbnail_name

blp = limit(Blueprint("api_vendors", __name__, url_prefix="/api/v1/vendors", description="Vendors"))


class VendorArgs(PageArgs):
    q = Text(max_length=500, load_default="", metadata={"description": "Persian-aware search"})


def _logo(vendor, thumbnail=False):
    if not vendor.logo:
        return None
    name = thumbnail_name(vendor.logo) if thumbnail else vendor.logo
    return url_for("catalogue.media", kind="logos", name=name)


class VendorSchema(Schema):
    """What the public vendor page shows: never the address, mobile, email or papers."""

    id = fields.Integer()
    business_name = fields.String()
    description = fields.String()
    county = fields.Nested(NamedSchema)
    field = fields.Nested(NamedSchema)
    logo_url = link(_logo, allow_none=True)
    page_url = link(lambda v: url_for("catalogue.vendor", vendor_id=v.id))


class VendorPageSchema(PageSchema):
    items = fields.List(fields.Nested(VendorSchema), required=True)


@blp.get("")
@blp.arguments(VendorArgs, location="query", as_kwargs=True)
@blp.response(200, VendorPageSchema)
def index(cursor, per_page, q):
    """List verified vendors; with `q`, the best matches of the site's vendor search."""
    if q.strip():
        found = catalogue.find_vendors(q, limit=per_page)
        return {
            "items": found,
            "next_cursor": None,
            "total": len(found),
            "total_is_lower_bound": False,
        }
    pagination = vendors.list_vendors(
        status=VendorStatus.VERIFIED.value,
        page=cursor,
        per_page=per_page,
        today=local_date(utcnow()),
    )
    return page_of(pagination)


@blp.get("/<int:vendor_id>")
@blp.response(200, VendorSchema)
def view(vendor_id):
    """Show one verified vendor."""
    return vendors.get_public_vendor(vendor_id)
