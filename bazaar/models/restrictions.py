"""Gathering restrictions, the holds they put on bazaars, and the named lock of the gate."""

from sqlalchemy import CheckConstraint, Index

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class Restriction(db.Model):
    """An authority's decision banning gatherings in the province or one county."""

    __tablename__ = "restrictions"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),)

    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200), nullable=False)
    reference = db.Column(db.String(80), nullable=False)
    decided_on = db.Column(db.Date, nullable=False)
    # Null: the whole province.
    region_id = db.Column(db.Integer, db.ForeignKey("regions.id"))
    starts_on = db.Column(db.Date, nullable=False)
    # Null: until further notice.
    ends_on = db.Column(db.Date)
    note = db.Column(db.Text, nullable=False, default="")
    document = db.Column(db.String(80))
    lifted_at = db.Column(UTCDateTime)
    lifted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    # The lifting decision, recorded like the restriction itself.
    lift_body = db.Column(db.String(200))
    lift_reference = db.Column(db.String(80))
    lift_decided_on = db.Column(db.Date)
    lift_document = db.Column(db.String(80))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    region = db.relationship("Region")


class Hold(db.Model):
    """A restriction holding a bazaar, from when it was noticed until it was released."""

    __tablename__ = "holds"
    __table_args__ = (
        Index(
            "uq_holds_open",
            "bazaar_id",
            "restriction_id",
            unique=True,
            sqlite_where=db.text("released_at IS NULL"),
            postgresql_where=db.text("released_at IS NULL"),
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), nullable=False, index=True)
    restriction_id = db.Column(
        db.Integer, db.ForeignKey("restrictions.id"), nullable=False, index=True
    )
    held_at = db.Column(UTCDateTime, nullable=False)
    released_at = db.Column(UTCDateTime)

    bazaar = db.relationship("Bazaar", back_populates="holds")
    restriction = db.relationship("Restriction")


class Lock(db.Model):
    """A named row that one transaction at a time locks (SELECT … FOR UPDATE on PostgreSQL).

    The row `gate` serialises the hold-and-release sync; migrations insert the rows.
    """

    __tablename__ = "locks"

    name = db.Column(db.String(40), primary_key=True)
