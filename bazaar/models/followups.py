"""Follow-ups: one task, one responsible person, its history and the reminders sent."""

import enum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class FollowUpStatus(enum.StrEnum):
    """A follow-up's status; what each one allows is in bazaar/services/followups/rules.py."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"


class FollowUp(db.Model):
    """One task with exactly one responsible person; the database refuses a follow-up without."""

    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint(
            f"status IN ({', '.join(repr(s.value) for s in FollowUpStatus)})", name="status"
        ),
        CheckConstraint("status != 'blocked' OR blocked_reason IS NOT NULL", name="blocked_reason"),
        Index("ix_followups_responsible", "responsible_id", "status", "due_on"),
        Index("ix_followups_due", "status", "due_on"),
    )

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id"), nullable=False, index=True)
    decision_id = db.Column(db.Integer, db.ForeignKey("decisions.id"))
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    responsible_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    status = db.Column(db.String(12), nullable=False, default=FollowUpStatus.OPEN.value)
    blocked_reason = db.Column(db.String(500))
    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), index=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendors.id"))
    restriction_id = db.Column(db.Integer, db.ForeignKey("restrictions.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    done_at = db.Column(UTCDateTime)

    committee = db.relationship("Committee")
    decision = db.relationship("Decision", back_populates="followups")
    responsible = db.relationship("User")
    bazaar = db.relationship("Bazaar")
    vendor = db.relationship("Vendor")
    restriction = db.relationship("Restriction")
    events = db.relationship(
        "FollowUpEvent", order_by="FollowUpEvent.id", back_populates="followup"
    )


class FollowUpEvent(db.Model):
    """The follow-up's history: creation, comments, status changes, reassignments."""

    __tablename__ = "followup_events"

    id = db.Column(db.Integer, primary_key=True)
    followup_id = db.Column(db.Integer, db.ForeignKey("followups.id"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    kind = db.Column(db.String(12), nullable=False)  # create, comment, status, reassign
    text = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(12))
    from_user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    to_user_id = db.Column(db.Integer, db.ForeignKey("users.id"))

    followup = db.relationship("FollowUp", back_populates="events")
    actor = db.relationship("User", foreign_keys=[actor_id])
    from_user = db.relationship("User", foreign_keys=[from_user_id])
    to_user = db.relationship("User", foreign_keys=[to_user_id])


class Reminder(db.Model):
    """A reminder already sent: each follow-up at most once a day."""

    __tablename__ = "followup_reminders"
    __table_args__ = (UniqueConstraint("followup_id", "day"),)

    id = db.Column(db.Integer, primary_key=True)
    followup_id = db.Column(db.Integer, db.ForeignKey("followups.id"), nullable=False)
    day = db.Column(db.Date, nullable=False)
