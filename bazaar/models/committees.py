"""Agencies, committees, meetings and decisions; follow-ups with one responsible person."""

import enum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"


class Agency(db.Model):
    """A body taking part in the plan (labour directorate, university jihad, health network…)."""

    __tablename__ = "agencies"

    id = db.Column(db.Integer, primary_key=True)
    name_fa = db.Column(db.String(160), nullable=False, unique=True)
    name_en = db.Column(db.String(160), nullable=False)

    def name_in(self, language):
        return self.name_en if language == "en" else self.name_fa


committee_members = db.Table(
    "committee_members",
    db.Column("committee_id", db.Integer, db.ForeignKey("committees.id"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
)

meeting_attendees = db.Table(
    "meeting_attendees",
    db.Column("meeting_id", db.Integer, db.ForeignKey("meetings.id"), primary_key=True),
    db.Column("user_id", db.Integer, db.ForeignKey("users.id"), primary_key=True),
)


class Committee(db.Model):
    __tablename__ = "committees"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(160), nullable=False, unique=True)
    # Its share of the plan, in words.
    mandate = db.Column(db.Text, nullable=False)
    chair_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    chair = db.relationship("User")
    members = db.relationship("User", secondary=committee_members, order_by="User.name")
    meetings = db.relationship(
        "Meeting", back_populates="committee", order_by="Meeting.held_on.desc()"
    )


class Meeting(db.Model):
    __tablename__ = "meetings"

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id"), nullable=False, index=True)
    held_on = db.Column(db.Date, nullable=False)
    minutes = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    committee = db.relationship("Committee", back_populates="meetings")
    attendees = db.relationship("User", secondary=meeting_attendees, order_by="User.name")
    decisions = db.relationship("Decision", back_populates="meeting", order_by="Decision.id")


class Decision(db.Model):
    __tablename__ = "decisions"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meetings.id"), nullable=False, index=True)
    text = db.Column(db.Text, nullable=False)

    meeting = db.relationship("Meeting", back_populates="decisions")
    followups = db.relationship("FollowUp", back_populates="decision")


class FollowUp(db.Model):
    """One task with exactly one responsible person; the database refuses a follow-up without."""

    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'in_progress', 'blocked', 'done')", name="status"),
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


class Snapshot(db.Model):
    """Published figures, frozen forever: what everyone quotes, by id."""

    __tablename__ = "snapshots"

    id = db.Column(db.Integer, primary_key=True)
    published_at = db.Column(UTCDateTime, nullable=False)
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    note = db.Column(db.String(300), nullable=False, default="")
    figures = db.Column(db.JSON, nullable=False)

    published_by = db.relationship("User")
