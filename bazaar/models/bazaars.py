"""Bazaars, their stall types, status history and interest lists (restrictions: restrictions.py)."""

import enum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class Status(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    HELD = "held"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    PAST = "past"


class AllocationMode(enum.StrEnum):
    FIRST_COME = "first_come"
    ROUND = "round"


class Series(db.Model):
    """A weekly series: one bazaar per chosen weekday between two dates."""

    __tablename__ = "bazaar_series"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(160), nullable=False)
    weekdays = db.Column(db.String(20), nullable=False)
    first_day = db.Column(db.Date, nullable=False)
    last_day = db.Column(db.Date, nullable=False)
    # Each date's application window, relative to that date (None: no window).
    opens_days_before = db.Column(db.Integer)
    closes_days_before = db.Column(db.Integer)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class Bazaar(db.Model):
    __tablename__ = "bazaars"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="times"),
        CheckConstraint("allocation_mode IN ('first_come', 'round')", name="allocation_mode"),
        CheckConstraint(
            "applications_close_at IS NULL OR applications_open_at IS NULL "
            "OR applications_close_at > applications_open_at",
            name="window",
        ),
        Index("ix_bazaars_starts", "starts_at"),
        Index("ix_bazaars_county", "county_id", "starts_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    series_id = db.Column(db.Integer, db.ForeignKey("bazaar_series.id"), index=True)
    title = db.Column(db.String(160), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    venue_name = db.Column(db.String(160), nullable=False)
    venue_address = db.Column(db.String(300), nullable=False, default="")
    county_id = db.Column(db.Integer, db.ForeignKey("regions.id"), nullable=False)
    starts_at = db.Column(UTCDateTime, nullable=False)
    ends_at = db.Column(UTCDateTime, nullable=False)
    applications_open_at = db.Column(UTCDateTime)
    applications_close_at = db.Column(UTCDateTime)
    allocation_mode = db.Column(
        db.String(12), nullable=False, default=AllocationMode.FIRST_COME.value
    )
    # How long an allocated vendor has to confirm; then the stall passes on.
    confirm_hours = db.Column(db.Integer, nullable=False, default=48)
    # The published seed of the last allocation round (None before one ran).
    lottery_seed = db.Column(db.String(64))
    round_ran_at = db.Column(UTCDateTime)
    published_at = db.Column(UTCDateTime)
    cancelled_at = db.Column(UTCDateTime)
    cancel_reason = db.Column(db.String(500))
    previous_starts_at = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    county = db.relationship("Region")
    series = db.relationship("Series")
    stall_types = db.relationship(
        "StallType", back_populates="bazaar", order_by="StallType.id", cascade="all, delete-orphan"
    )
    category_caps = db.relationship("CategoryCap", cascade="all, delete-orphan")
    history = db.relationship("StatusChange", order_by="StatusChange.id", back_populates="bazaar")
    holds = db.relationship("Hold", back_populates="bazaar")


class StallType(db.Model):
    __tablename__ = "stall_types"
    __table_args__ = (
        CheckConstraint("count >= 0", name="count_not_negative"),
        CheckConstraint("fee_toman IS NULL OR fee_toman >= 0", name="fee_not_negative"),
        CheckConstraint("allocated >= 0 AND allocated <= count", name="never_overbooked"),
    )

    id = db.Column(db.Integer, primary_key=True)
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    count = db.Column(db.Integer, nullable=False)
    fee_toman = db.Column(db.BigInteger)
    # Food stalls need a health ID valid on the bazaar's date.
    is_food = db.Column(db.Boolean, nullable=False, default=False)
    # Stalls held now (allocated or confirmed). The CHECK is the last line of defence: no
    # code path can ever book past the count, whatever the concurrency.
    allocated = db.Column(db.Integer, nullable=False, default=0)
    # A closed type takes no new applications; those it has stay. A type with applications is
    # closed, never deleted (they point at it).
    closed_at = db.Column(UTCDateTime)

    bazaar = db.relationship("Bazaar", back_populates="stall_types")

    @property
    def is_closed(self):
        """Tell whether the type no longer takes applications."""
        return self.closed_at is not None


class CategoryCap(db.Model):
    """At most `max_stalls` stalls for vendors selling this product category."""

    __tablename__ = "category_caps"
    __table_args__ = (CheckConstraint("max_stalls >= 0", name="max_not_negative"),)

    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), primary_key=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id"), primary_key=True)
    max_stalls = db.Column(db.Integer, nullable=False)

    category = db.relationship("Category")


class StatusChange(db.Model):
    """One line of a bazaar's history; never changed once written."""

    __tablename__ = "bazaar_status_changes"

    id = db.Column(db.Integer, primary_key=True)
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    status = db.Column(db.String(12), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    restriction_id = db.Column(db.Integer, db.ForeignKey("restrictions.id"))
    reason = db.Column(db.String(500))
    previous_starts_at = db.Column(UTCDateTime)

    bazaar = db.relationship("Bazaar", back_populates="history")
    actor = db.relationship("User")
    restriction = db.relationship("Restriction")


class Interest(db.Model):
    """Someone asking to be told when a bazaar goes ahead.

    A sign-up by email or mobile counts (and is told) only once that contact confirmed it:
    `confirmed_at` is set; until then `confirm_token` is the link sent at `confirm_sent_at`.
    """

    __tablename__ = "interests"
    __table_args__ = (
        UniqueConstraint("bazaar_id", "user_id"),
        UniqueConstraint("bazaar_id", "email"),
        UniqueConstraint("bazaar_id", "mobile"),
        CheckConstraint(
            "user_id IS NOT NULL OR email IS NOT NULL OR mobile IS NOT NULL", name="who"
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    email = db.Column(db.String(254))
    mobile = db.Column(db.String(11))
    locale = db.Column(db.String(2), nullable=False, default="fa")
    token = db.Column(db.String(43), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    notified_at = db.Column(UTCDateTime)
    confirmed_at = db.Column(UTCDateTime)
    confirm_token = db.Column(db.String(43), unique=True)
    confirm_sent_at = db.Column(UTCDateTime)

    user = db.relationship("User")
