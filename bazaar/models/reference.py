"""Reference data: the official home-business fields, product categories and regions."""

from sqlalchemy import CheckConstraint

from bazaar.extensions import db


class NamedMixin:
    """A code and a name in each language; `name` picks the current one."""

    code = db.Column(db.String(40), unique=True, nullable=False)
    name_fa = db.Column(db.String(120), nullable=False)
    name_en = db.Column(db.String(120), nullable=False)

    def name_in(self, language):
        return self.name_en if language == "en" else self.name_fa


class Field(NamedMixin, db.Model):
    """An official home-business field (رشته); starred fields need a health ID."""

    __tablename__ = "fields"

    id = db.Column(db.Integer, primary_key=True)
    starred = db.Column(db.Boolean, nullable=False, default=False)


class Category(NamedMixin, db.Model):
    """A product category; two levels (a parent and its children)."""

    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("categories.id"), index=True)

    parent = db.relationship("Category", remote_side=[id], back_populates="children")
    children = db.relationship("Category", back_populates="parent", order_by="Category.id")


class Region(NamedMixin, db.Model):
    """A county of the province, or a district inside one."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("kind IN ('county', 'district')", name="kind"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False, default="county")
    parent_id = db.Column(db.Integer, db.ForeignKey("regions.id"), index=True)

    parent = db.relationship("Region", remote_side=[id], back_populates="districts")
    districts = db.relationship("Region", back_populates="parent", order_by="Region.id")
