"""The catalogue: products with photos, favourites and follows."""

import enum

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class Availability(enum.StrEnum):
    IN_STOCK = "in_stock"
    TO_ORDER = "to_order"
    UNAVAILABLE = "unavailable"


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_toman >= 0", name="price_not_negative"),
        CheckConstraint(
            "availability IN ('in_stock', 'to_order', 'unavailable')", name="availability"
        ),
        UniqueConstraint("vendor_id", "ref"),
        Index("ix_products_vendor", "vendor_id", "id"),
        Index("ix_products_category", "category_id", "id"),
        # The public catalogue reads only listed products, in the orders its pages sort by; each
        # index also holds every column a listing filters on, so a filtered page is chosen
        # inside the index without reading the products it skips.
        Index(
            "ix_products_listed_created",
            *("listed", "created_at", "id", "vendor_id", "category_id", "price_toman"),
            "availability",
        ),
        Index(
            "ix_products_listed_price",
            *("listed", "price_toman", "id", "vendor_id", "category_id", "availability"),
            "created_at",
        ),
        Index(
            "ix_products_listed_category",
            *("listed", "category_id", "created_at", "id", "vendor_id", "price_toman"),
            "availability",
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"), nullable=False)
    ref = db.Column(db.String(64))
    name = db.Column(db.String(160), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), nullable=False)
    price_toman = db.Column(db.BigInteger, nullable=False)
    unit = db.Column(db.String(40), nullable=False)
    availability = db.Column(db.String(12), nullable=False, default=Availability.IN_STOCK.value)
    # Normalised name, description, category and vendor: what the search index holds.
    search_text = db.Column(db.Text, nullable=False, default="")
    # Shown in the public catalogue: the vendor is verified. Kept by catalogue.relist_products
    # in every transaction that changes a vendor's status or adds products.
    listed = db.Column(db.Boolean, nullable=False, default=False, server_default=sa.false())
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    vendor = db.relationship("Vendor", back_populates="products")
    category = db.relationship("Category")
    photos = db.relationship(
        "ProductPhoto",
        back_populates="product",
        order_by="ProductPhoto.position",
        cascade="all, delete-orphan",
    )

    def is_accessible_by(self, user):
        """Only the vendor who owns a product may change it."""
        return self.vendor.user_id == user.id


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"
    __table_args__ = (UniqueConstraint("product_id", "position"),)

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), nullable=False)
    position = db.Column(db.Integer, nullable=False)
    filename = db.Column(db.String(80), nullable=False)
    thumbnail = db.Column(db.String(80), nullable=False)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)

    product = db.relationship("Product", back_populates="photos")


class Favourite(db.Model):
    __tablename__ = "favourites"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id"), primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class Follow(db.Model):
    __tablename__ = "follows"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), primary_key=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"), primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class Counter(db.Model):
    """A named number the app bumps; `catalogue` changes whenever anything listed changes."""

    __tablename__ = "counters"

    name = db.Column(db.String(40), primary_key=True)
    value = db.Column(db.BigInteger, nullable=False, default=0)
