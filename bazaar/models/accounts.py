"""Accounts: users with one role, and the failed-login counter."""

import enum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Index, func

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    VENDOR = "vendor"
    ORGANISER = "organiser"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR mobile IS NOT NULL", name="has_identifier"),
        CheckConstraint("role IN ('citizen', 'vendor', 'organiser', 'admin')", name="role"),
        CheckConstraint("locale IN ('fa', 'en')", name="locale"),
        Index("ix_users_created_at", "created_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), unique=True)
    mobile = db.Column(db.String(11), unique=True)
    name = db.Column(db.String(120), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.String(16), nullable=False, default=Role.CITIZEN.value)
    locale = db.Column(db.String(2), nullable=False, default="fa")
    disabled_at = db.Column(UTCDateTime)
    # Bumped by logout, password change and disabling: every older session cookie dies.
    session_version = db.Column(db.Integer, nullable=False, default=1)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime)
    # Organisers belong to an agency of the plan.
    agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"))
    # Invited as a follow-up's responsible person; the account has no password until the
    # invitation link is used (services/invitations.py).
    invited_at = db.Column(UTCDateTime)

    agency = db.relationship("Agency")

    @property
    def is_active(self):
        return self.disabled_at is None

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles):
        """Tell whether the user holds one of `roles` (admins hold every role)."""
        return self.role == Role.ADMIN or self.role in roles

    @property
    def identifier(self):
        return self.email or self.mobile

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class LoginThrottle(db.Model):
    """Failed logins per identifier, shared by every worker process.

    Keyed by the normalised identifier typed, known or not, so an unknown account and a wrong
    password are throttled alike.
    """

    __tablename__ = "login_throttles"

    key = db.Column(db.String(254), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    first_failure_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    locked_until = db.Column(UTCDateTime)


def count_users():
    """Return how many accounts exist."""
    return db.session.scalar(db.select(func.count(User.id)))
