"""Import jobs: an uploaded CSV file checked and written in the background, all rows or none."""

import enum

from sqlalchemy import CheckConstraint, Index, event, text
from sqlalchemy.orm import Session, declared_attr, with_loader_criteria

from bazaar.extensions import db
from bazaar.models.types import UTCDateTime, utcnow


class ImportState(enum.StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    WRITING = "writing"
    DONE = "done"
    REFUSED = "refused"  # some rows were wrong: nothing written, the report lists them
    FAILED = "failed"  # the job itself broke: nothing written


class ImportJob(db.Model):
    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint("kind IN ('vendors', 'products')", name="kind"),
        CheckConstraint(
            "state IN ('queued', 'checking', 'writing', 'done', 'refused', 'failed')",
            name="state",
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)
    state = db.Column(db.String(10), nullable=False, default=ImportState.QUEUED.value)
    # The stored upload, relative to instance/imports/; removed once the job has finished.
    stored_name = db.Column(db.String(80), nullable=False)
    original_name = db.Column(db.String(255), nullable=False, default="")
    size_bytes = db.Column(db.Integer, nullable=False, default=0)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    started_at = db.Column(UTCDateTime)
    finished_at = db.Column(UTCDateTime)
    rows_total = db.Column(db.Integer)
    rows_checked = db.Column(db.Integer, nullable=False, default=0)
    rows_written = db.Column(db.Integer, nullable=False, default=0)
    created_count = db.Column(db.Integer, nullable=False, default=0)
    updated_count = db.Column(db.Integer, nullable=False, default=0)
    # The refusal's row errors, as a JSON list of {row, column, code, params} (at most 1,000).
    errors = db.Column(db.JSON, nullable=False, default=list)
    error_count = db.Column(db.Integer, nullable=False, default=0)
    # Told by the running job at every step; a job that stops telling was interrupted.
    heartbeat_at = db.Column(UTCDateTime)

    created_by = db.relationship("User")

    @property
    def is_finished(self):
        return self.state in (ImportState.DONE, ImportState.REFUSED, ImportState.FAILED)


class StagedByImport:
    """Rows an import job writes in several short transactions before they count (vendors and
    their claim messages): while `import_job_id` is set they are staged, and no ORM query
    sees them; the job's last step clears it for all its rows at once."""

    @declared_attr
    def import_job_id(cls):
        return db.Column(db.Integer, db.ForeignKey("import_jobs.id"))

    @classmethod
    def staged_index(cls, table):
        """The index that finds a job's staged rows (only staged rows are in it)."""
        where = text("import_job_id IS NOT NULL")
        return Index(
            f"ix_{table}_staged", "import_job_id", sqlite_where=where, postgresql_where=where
        )


@event.listens_for(Session, "do_orm_execute")
def _hide_staged_rows(state):
    # Every ORM select (lists, counts, searches joined to their table, the outbox, lazy loads)
    # leaves staged rows out, unless it asks for them with execution option include_staged.
    if state.is_select and not state.execution_options.get("include_staged", False):
        state.statement = state.statement.options(
            with_loader_criteria(
                StagedByImport, lambda cls: cls.import_job_id.is_(None), include_aliases=True
            )
        )
