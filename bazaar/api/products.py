"""GET/POST /api/v1/products, GET/PATCH/DELETE /api/v1/products/{id}: the catalogue."""

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from bazaar.api.auth import api_user, limit, token_required
from bazaar.api.fields import JalaliMoment, LocalDateTime, Text, WholeNumber, link
from bazaar.api.schemas import NamedSchema, PageArgs, PageSchema, page_of
from bazaar.inputs import MAX_PRICE
from bazaar.models import Availability, Role
from bazaar.models.types import utcnow
from bazaar.services import catalogue

blp = limit(
    Blueprint("api_products", __name__, url_prefix="/api/v1/products", description="Products")
)
AVAILABILITIES = [a.value for a in Availability]


class ProductArgs(PageArgs):
    q = Text(max_length=500, load_default="", metadata={"description": "Persian-aware search"})
    category = WholeNumber(load_default=None)
    field = WholeNumber(load_default=None)
    county = WholeNumber(load_default=None)
    vendor = WholeNumber(load_default=None)
    min_price = WholeNumber(low=0, high=MAX_PRICE, load_default=None)
    max_price = WholeNumber(low=0, high=MAX_PRICE, load_default=None)
    availability = fields.String(validate=validate.OneOf(AVAILABILITIES), load_default=None)
    sort = fields.String(validate=validate.OneOf(catalogue.SORTS), load_default="relevance")


class PhotoSchema(Schema):
    url = link(lambda p: url_for("catalogue.media", kind="products", name=p.filename))
    thumbnail_url = link(lambda p: url_for("catalogue.media", kind="products", name=p.thumbnail))
    width = fields.Integer()
    height = fields.Integer()


class VendorRefSchema(Schema):
    id = fields.Integer()
    business_name = fields.String()


class ProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    category = fields.Nested(NamedSchema)
    price_toman = fields.Integer(metadata={"description": "Whole toman"})
    unit = fields.String()
    availability = fields.String(metadata={"enum": AVAILABILITIES})
    listed = fields.Boolean(metadata={"description": "Shown in the public catalogue"})
    vendor = fields.Nested(VendorRefSchema)
    photos = fields.List(fields.Nested(PhotoSchema))
    created_at = LocalDateTime()
    created_at_jalali = JalaliMoment("created_at")
    updated_at = LocalDateTime()
    page_url = link(lambda p: url_for("catalogue.product", product_id=p.id))


class ProductPageSchema(PageSchema):
    items = fields.List(fields.Nested(ProductSchema), required=True)


class ProductInSchema(Schema):
    """What a vendor sends: the same fields and bounds as the product form."""

    name = Text(max_length=160, required=True, min_length=1)
    description = Text(max_length=4000, keep_lines=True, load_default="")
    category_id = WholeNumber(required=True)
    price_toman = WholeNumber(low=0, high=MAX_PRICE, required=True)
    unit = Text(max_length=40, required=True, min_length=1)
    availability = fields.String(
        validate=validate.OneOf(AVAILABILITIES), load_default=Availability.IN_STOCK.value
    )


class ProductPatchSchema(ProductInSchema):
    """Only the fields to change (the others keep their values)."""


@blp.get("")
@blp.arguments(ProductArgs, location="query", as_kwargs=True)
@blp.response(200, ProductPageSchema)
def index(cursor, per_page, **args):
    """List the public catalogue: the same search, filters and order as the catalogue page."""
    filters = catalogue.Filters(
        q=args["q"],
        category_id=args["category"],
        field_id=args["field"],
        county_id=args["county"],
        vendor_id=args["vendor"],
        price_min=args["min_price"],
        price_max=args["max_price"],
        availability=args["availability"],
        sort=args["sort"],
    )
    pagination, _terms = catalogue.browse_products(filters, cursor, per_page)
    return page_of(pagination)


@blp.get("/<int:product_id>")
@blp.response(200, ProductSchema)
def view(product_id):
    """Show one product of a verified vendor."""
    return catalogue.get_public_product(product_id)


def _data(values):
    return catalogue.ProductData(**values)


@blp.post("")
@token_required(blp, Role.VENDOR)
@blp.arguments(ProductInSchema)
@blp.response(201, ProductSchema)
def create(values):
    """Add a product to the vendor's own catalogue."""
    return catalogue.save_product(api_user(), None, _data(values), now=utcnow())


@blp.patch("/<int:product_id>")
@token_required(blp, Role.VENDOR)
@blp.arguments(ProductPatchSchema(partial=True))
@blp.response(200, ProductSchema)
def update(values, product_id):
    """Change some fields of one of the vendor's own products (anyone else's: 404)."""
    product = catalogue.get_own_product(api_user(), product_id)
    current = {key: getattr(product, key) for key in ProductInSchema().fields}
    return catalogue.save_product(
        api_user(), product.id, _data({**current, **values}), now=utcnow()
    )


@blp.delete("/<int:product_id>")
@token_required(blp, Role.VENDOR)
@blp.response(204)
def delete(product_id):
    """Delete one of the vendor's own products with its photos (anyone else's: 404)."""
    catalogue.delete_product(api_user(), product_id, now=utcnow())
