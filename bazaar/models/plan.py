"""The plan's progress: targets and their revisions, monthly snapshots, the register of
requirements and obstacles, past plans and what cites them, public items, council reports."""

import enum

from sqlalchemy import CheckConstraint

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class EntryKind(enum.StrEnum):
    REQUIREMENT = "requirement"
    OBSTACLE = "obstacle"


class EntryStatus(enum.StrEnum):
    """An obstacle register entry's status; what each one means is in services/plan/rules.py."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    DROPPED = "dropped"


def _citations(name, column, target):
    return db.Table(
        name,
        db.Column(column, db.Integer, db.ForeignKey(target), primary_key=True),
        db.Column("past_plan_id", db.Integer, db.ForeignKey("past_plans.id"), primary_key=True),
    )


target_citations = _citations("plan_target_citations", "target_id", "plan_targets.id")
obstacle_citations = _citations("plan_obstacle_citations", "obstacle_id", "plan_obstacles.id")
decision_citations = _citations("plan_decision_citations", "decision_id", "decisions.id")

obstacle_agencies = db.Table(
    "plan_obstacle_agencies",
    db.Column("obstacle_id", db.Integer, db.ForeignKey("plan_obstacles.id"), primary_key=True),
    db.Column("agency_id", db.Integer, db.ForeignKey("agencies.id"), primary_key=True),
)
obstacle_followups = db.Table(
    "plan_obstacle_followups",
    db.Column("obstacle_id", db.Integer, db.ForeignKey("plan_obstacles.id"), primary_key=True),
    db.Column("followup_id", db.Integer, db.ForeignKey("followups.id"), primary_key=True),
)


class Target(db.Model):
    """A committee's share: a metric (optionally one county's or field's row) to reach by a date.

    The fields hold the current revision; every change, withdrawal included, adds a revision.
    """

    __tablename__ = "plan_targets"
    __table_args__ = (CheckConstraint("value >= 0", name="value"),)

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id"), nullable=False, index=True)
    metric_key = db.Column(db.String(60), nullable=False)
    county_id = db.Column(db.Integer, db.ForeignKey("regions.id"))
    field_id = db.Column(db.Integer, db.ForeignKey("fields.id"))
    value = db.Column(db.Integer, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    # Where the straight path to the target starts: the figure when the target was set.
    baseline_value = db.Column(db.Integer, nullable=False)
    baseline_on = db.Column(db.Date, nullable=False)
    public = db.Column(db.Boolean, nullable=False, default=False)
    note = db.Column(db.String(300), nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    withdrawn_at = db.Column(UTCDateTime)

    committee = db.relationship("Committee")
    county = db.relationship("Region")
    field = db.relationship("Field")
    revisions = db.relationship(
        "TargetRevision", order_by="TargetRevision.id", back_populates="target"
    )
    citations = db.relationship("PastPlan", secondary=target_citations, order_by="PastPlan.id")


class TargetRevision(db.Model):
    """One state of a target, as set by whom and when: the history nothing deletes."""

    __tablename__ = "plan_target_revisions"

    id = db.Column(db.Integer, primary_key=True)
    target_id = db.Column(db.Integer, db.ForeignKey("plan_targets.id"), nullable=False, index=True)
    at = db.Column(UTCDateTime, nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id"), nullable=False)
    value = db.Column(db.Integer, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    public = db.Column(db.Boolean, nullable=False)
    withdrawn = db.Column(db.Boolean, nullable=False, default=False)
    note = db.Column(db.String(300), nullable=False, default="")

    target = db.relationship("Target", back_populates="revisions")
    actor = db.relationship("User")
    committee = db.relationship("Committee")


class SnapshotMonth(db.Model):
    """The automatic snapshot of a Jalali month: the key makes it one per month, ever."""

    __tablename__ = "snapshot_months"

    month = db.Column(db.String(7), primary_key=True)  # "1405-09", Tehran time
    snapshot_id = db.Column(db.Integer, db.ForeignKey("snapshots.id"), nullable=False, unique=True)

    snapshot = db.relationship("Snapshot")


class Obstacle(db.Model):
    """An entry of a committee's register: a requirement or an obstacle, one responsible person."""

    __tablename__ = "plan_obstacles"
    __table_args__ = (
        CheckConstraint(f"kind IN {tuple(k.value for k in EntryKind)}", name="kind"),
        CheckConstraint(f"status IN {tuple(s.value for s in EntryStatus)}", name="status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    committee_id = db.Column(db.Integer, db.ForeignKey("committees.id"), nullable=False, index=True)
    kind = db.Column(db.String(12), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    responsible_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    status = db.Column(db.String(12), nullable=False, default=EntryStatus.OPEN.value)
    due_on = db.Column(db.Date)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    committee = db.relationship("Committee")
    responsible = db.relationship("User")
    agencies = db.relationship("Agency", secondary=obstacle_agencies, order_by="Agency.name_fa")
    followups = db.relationship("FollowUp", secondary=obstacle_followups, order_by="FollowUp.id")
    citations = db.relationship("PastPlan", secondary=obstacle_citations, order_by="PastPlan.id")


class PastPlan(db.Model):
    """A past programme or action and what it taught, so it is reviewed before it is repeated."""

    __tablename__ = "past_plans"
    __table_args__ = (CheckConstraint("year_to >= year_from", name="years"),)

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    agency = db.Column(db.String(160), nullable=False, default="")
    year_from = db.Column(db.Integer, nullable=False)  # Jalali years
    year_to = db.Column(db.Integer, nullable=False)
    done = db.Column(db.Text, nullable=False, default="")
    outcome = db.Column(db.Text, nullable=False, default="")
    lesson = db.Column(db.Text, nullable=False, default="")
    public = db.Column(db.Boolean, nullable=False, default=False)
    # Every text above, normalised as search terms are (ی/ک, digits, no ZWNJ or diacritics).
    search_text = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)


class PublicDecision(db.Model):
    """A decision the organisers show on the public progress page."""

    __tablename__ = "public_decisions"

    decision_id = db.Column(db.Integer, db.ForeignKey("decisions.id"), primary_key=True)
    published_at = db.Column(UTCDateTime, nullable=False)

    decision = db.relationship("Decision")


class PublicFollowUp(db.Model):
    """A follow-up the organisers show on the public progress page, with its status."""

    __tablename__ = "public_followups"

    followup_id = db.Column(db.Integer, db.ForeignKey("followups.id"), primary_key=True)
    published_at = db.Column(UTCDateTime, nullable=False)

    followup = db.relationship("FollowUp")


class BazaarVisits(db.Model):
    """How many visitors a bazaar served, as its organisers counted them."""

    __tablename__ = "bazaar_visits"
    __table_args__ = (CheckConstraint("visitors >= 0", name="visitors"),)

    bazaar_id = db.Column(db.Integer, db.ForeignKey("bazaars.id"), primary_key=True)
    visitors = db.Column(db.Integer, nullable=False)
    recorded_at = db.Column(UTCDateTime, nullable=False)


class CouncilReport(db.Model):
    """The report to one council meeting: its content frozen when made, and its stored PDF."""

    __tablename__ = "council_reports"

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meetings.id"), nullable=False, unique=True)
    snapshot_id = db.Column(db.Integer, db.ForeignKey("snapshots.id"), nullable=False)
    previous_id = db.Column(db.Integer, db.ForeignKey("council_reports.id"))
    created_at = db.Column(UTCDateTime, nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    content = db.Column(db.JSON, nullable=False)
    pdf_name = db.Column(db.String(120), nullable=False, default="")

    meeting = db.relationship("Meeting")
    snapshot = db.relationship("Snapshot")
    created_by = db.relationship("User")
