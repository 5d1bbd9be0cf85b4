"""Stall applications: who applied for which stall type, and what became of it."""

import enum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class AppState(enum.StrEnum):
    """The states of an application; what each means and allows is in services/stalls/rules.py."""

    APPLIED = "applied"  # waiting for the allocation round
    WAITING = "waiting"  # on the waiting list of its stall type, in `position` order
    ALLOCATED = "allocated"  # holds a stall; must confirm by `confirm_by`
    CONFIRMED = "confirmed"  # holds a stall
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # missed the confirmation deadline
    REMOVED = "removed"  # an organiser removed the allocation
    CANCELLED = "cancelled"  # the bazaar was cancelled


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        # One application per vendor per bazaar: a vendor can never hold two stalls there.
        UniqueConstraint("bazaar_id", "vendor_id"),
        CheckConstraint(
            "state IN ('applied', 'waiting', 'allocated', 'confirmed', 'declined', 'withdrawn', "
            "'expired', 'removed', 'cancelled')",
            name="state",
        ),
        Index("ix_applications_queue", "stall_type_id", "state", "position"),
        Index("ix_applications_vendor", "vendor_id", "bazaar_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), nullable=False)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"), nullable=False)
    stall_type_id = db.Column(db.Integer, db.ForeignKey("stall_types.id"), nullable=False)
    # What the vendor will sell: category ids, and a line in their words.
    category_ids = db.Column(db.JSON, nullable=False, default=list)
    note = db.Column(db.String(300), nullable=False, default="")
    state = db.Column(db.String(10), nullable=False, default=AppState.APPLIED.value)
    # Waiting-list order within the stall type (arrival order, or the lottery's order).
    position = db.Column(db.Integer)
    # Why the decision was made, as a message key and its values, shown in the reader's language.
    reason = db.Column(db.JSON, nullable=False, default=dict)
    confirm_by = db.Column(UTCDateTime)
    # When the confirmation-deadline reminder went out (at most once per allocation).
    reminded_at = db.Column(UTCDateTime)
    applied_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    decided_at = db.Column(UTCDateTime)

    bazaar = db.relationship("Bazaar")
    vendor = db.relationship("Vendor")
    stall_type = db.relationship("StallType")

    def is_accessible_by(self, user):
        return self.vendor.user_id == user.id
