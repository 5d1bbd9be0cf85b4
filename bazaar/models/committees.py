"""Agencies, committees, their meetings and the decisions taken there."""

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class Agency(db.Model):
    """A body taking part in the plan (labour directorate, university jihad, health network…)."""

    __tablename__ = "agencies"

    id = db.Column(db.Integer, primary_key=True)
    name_fa = db.Column(db.String(160), nullable=False, unique=True)
    name_en = db.Column(db.String(160))
    # A retired agency keeps its history but takes no new people.
    retired_at = db.Column(UTCDateTime)

    def name_in(self, language):
        return self.name_en if language == "en" and self.name_en else self.name_fa


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
    # The signed minutes (PDF or image), stored like a restriction's document.
    minutes_document = db.Column(db.String(80))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    committee = db.relationship("Committee", back_populates="meetings")
    attendees = db.relationship("User", secondary=meeting_attendees, order_by="User.name")
    decisions = db.relationship("Decision", back_populates="meeting", order_by="Decision.id")
    guests = db.relationship("Guest", order_by="Guest.id", cascade="all, delete-orphan")


class Guest(db.Model):
    """Someone at a meeting who has no account: a name, an agency and a role."""

    __tablename__ = "meeting_guests"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meetings.id"), nullable=False, index=True)
    name = db.Column(db.String(120), nullable=False)
    agency_id = db.Column(db.Integer, db.ForeignKey("agencies.id"))
    role = db.Column(db.String(120), nullable=False, default="")

    agency = db.relationship("Agency")


class Decision(db.Model):
    __tablename__ = "decisions"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meetings.id"), nullable=False, index=True)
    text = db.Column(db.Text, nullable=False)

    meeting = db.relationship("Meeting", back_populates="decisions")
    followups = db.relationship("FollowUp", back_populates="decision")
