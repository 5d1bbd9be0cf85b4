"""Published statistics snapshots."""

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime


class Snapshot(db.Model):
    """Published figures, frozen forever: what everyone quotes, by id."""

    __tablename__ = "snapshots"

    id = db.Column(db.Integer, primary_key=True)
    published_at = db.Column(UTCDateTime, nullable=False)
    # None for the automatic monthly snapshot (services/plan/snapshots.py).
    published_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    note = db.Column(db.String(300), nullable=False, default="")
    figures = db.Column(db.JSON, nullable=False)

    published_by = db.relationship("User")
