"""The notifications outbox: messages written with the change that causes them."""

import enum

from sqlalchemy import CheckConstraint, Index

from bazaar.extensions import db
from bazaar.models.imports import StagedByImport
from bazaar.models.types import UTCDateTime, utcnow


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Delivery(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Message(StagedByImport, db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        Index("ix_messages_due", "status", "next_attempt_at"),
        Index("ix_messages_user", "user_id", "created_at"),
        StagedByImport.staged_index("messages"),
    )

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    # Shown in the recipient's notifications page; reset links are delivered but not shown.
    in_site = db.Column(db.Boolean, nullable=False, default=True)
    channel = db.Column(db.String(8), nullable=False, default=Channel.EMAIL.value)
    recipient = db.Column(db.String(254))
    locale = db.Column(db.String(2), nullable=False, default="fa")
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    link = db.Column(db.String(500))
    # Sent as the List-Unsubscribe header (RFC 8058 one-click) of an email from a mailing list.
    list_unsubscribe = db.Column(db.String(500))
    status = db.Column(db.String(10), nullable=False, default=Delivery.PENDING.value)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.Text)
    sent_at = db.Column(UTCDateTime)
    read_at = db.Column(UTCDateTime)

    user = db.relationship("User")

    def is_accessible_by(self, user):
        return self.user_id == user.id and self.in_site
