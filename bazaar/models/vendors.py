"""Vendors: a home business's profile, papers and verification status."""

import enum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.imports import StagedByImport
from bazaar.models.types import UTCDateTime, utcnow


class VendorStatus(enum.StrEnum):
    """Where a vendor stands with the organisers; only verified vendors are public."""

    DRAFT = "draft"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class LicenceKind(enum.StrEnum):
    """The kind of home-business licence."""

    INDEPENDENT = "independent"  # مستقل
    SUPPORTING = "supporting"  # پشتیبان


class Vendor(StagedByImport, db.Model):
    """A home business: its profile and papers (the verified ones, once verified) and status."""

    __tablename__ = "vendors"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'pending', 'verified', 'rejected', 'suspended')", name="status"
        ),
        CheckConstraint("licence_kind IN ('independent', 'supporting')", name="licence_kind"),
        Index("ix_vendors_status_county", "status", "county_id"),
        StagedByImport.staged_index("vendors"),
    )

    id = db.Column(db.Integer, primary_key=True)
    # Null for a vendor imported from the licence system who has not claimed an account yet.
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), unique=True)
    ref = db.Column(db.String(64), unique=True)
    business_name = db.Column(db.String(160), nullable=False)
    owner_name = db.Column(db.String(120), nullable=False)
    mobile = db.Column(db.String(11), nullable=False)
    email = db.Column(db.String(254))
    county_id = db.Column(db.Integer, db.ForeignKey("regions.id"), nullable=False)
    district_id = db.Column(db.Integer, db.ForeignKey("regions.id"))
    address = db.Column(db.String(500))
    description = db.Column(db.Text, nullable=False, default="")
    field_id = db.Column(db.Integer, db.ForeignKey("fields.id"), nullable=False, index=True)
    licence_number = db.Column(db.String(64))
    licence_body = db.Column(db.String(160))
    licence_kind = db.Column(db.String(12), nullable=False, default=LicenceKind.INDEPENDENT.value)
    licence_issued_on = db.Column(db.Date)
    licence_expires_on = db.Column(db.Date)
    health_id = db.Column(db.String(64))
    health_id_expires_on = db.Column(db.Date)
    logo = db.Column(db.String(80))
    status = db.Column(db.String(10), nullable=False, default=VendorStatus.DRAFT.value)
    status_reason = db.Column(db.String(500))
    submitted_at = db.Column(UTCDateTime)
    decided_at = db.Column(UTCDateTime)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    search_text = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    user = db.relationship("User", foreign_keys=[user_id])
    county = db.relationship("Region", foreign_keys=[county_id])
    district = db.relationship("Region", foreign_keys=[district_id])
    field = db.relationship("Field")
    products = db.relationship("Product", back_populates="vendor", order_by="Product.id")
    # The change to reviewed fields waiting for the organisers, if any (see VendorChange).
    pending_change = db.relationship(
        "VendorChange",
        primaryjoin="and_(VendorChange.vendor_id == Vendor.id, VendorChange.status == 'pending')",
        uselist=False,
        viewonly=True,
    )

    @property
    def is_public(self):
        """Tell whether the vendor (and so their products) appears in the public catalogue."""
        return self.status == VendorStatus.VERIFIED


class ChangeStatus(enum.StrEnum):
    """Where a vendor's proposed change stands."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"  # the vendor replaced or undid it before a decision


class VendorChange(db.Model):
    """A verified vendor's proposed values for fields the organisers verify, until decided.

    The vendor's own columns keep the last verified values, which every public page, the
    search index and the stall-paper check read; approving copies `proposed` onto them.
    """

    __tablename__ = "vendor_changes"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'returned', 'withdrawn')", name="status"
        ),
        Index(
            "uq_vendor_changes_pending",
            "vendor_id",
            unique=True,
            sqlite_where=db.text("status = 'pending'"),
            postgresql_where=db.text("status = 'pending'"),
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"), nullable=False, index=True)
    # {column: value}, dates as ISO strings: only the reviewed fields that differ.
    proposed = db.Column(db.JSON, nullable=False)
    status = db.Column(db.String(10), nullable=False, default=ChangeStatus.PENDING.value)
    reason = db.Column(db.String(500))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_at = db.Column(UTCDateTime)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    vendor = db.relationship("Vendor")


class PaperWarning(db.Model):
    """A warning already sent about a paper expiring: each (paper, expiry, stage) once."""

    __tablename__ = "paper_warnings"
    __table_args__ = (UniqueConstraint("vendor_id", "paper", "expires_on", "stage"),)

    id = db.Column(db.Integer, primary_key=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"), nullable=False)
    paper = db.Column(db.String(12), nullable=False)
    expires_on = db.Column(db.Date, nullable=False)
    stage = db.Column(db.String(10), nullable=False)
    sent_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
