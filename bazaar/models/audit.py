"""The audit log: who did what, when, to which object."""

from sqlalchemy import Index

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_at", "at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), index=True)
    action = db.Column(db.String(64), nullable=False)
    object_type = db.Column(db.String(32), nullable=False)
    object_id = db.Column(db.String(64))
    details = db.Column(db.JSON, nullable=False, default=dict)

    actor = db.relationship("User")
