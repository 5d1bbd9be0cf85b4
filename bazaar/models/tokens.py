"""API tokens: bearer tokens for the JSON API, stored only as their SHA-256 hash."""

from sqlalchemy import Index

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class ApiToken(db.Model):
    """A bearer token of one account; the secret itself is shown once and never stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user", "user_id", "revoked_at"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    # sha256 hex of the secret: a stolen database gives no usable token.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    revoked_at = db.Column(UTCDateTime)

    user = db.relationship("User")
