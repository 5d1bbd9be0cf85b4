"""Staged rows: what an import writes in short transactions before it counts, all or nothing.

A vendors import writes its new vendors and their claim messages a chunk per write
transaction, each marked with the job's id: every ORM select leaves such rows out (see
StagedByImport), so no page, count, search, statistic or the outbox sees them. The last
transaction clears the mark of all the job's rows at once; a job that failed or was
interrupted has its staged rows deleted instead. Each transaction first tells the job's
heartbeat, and refuses to go on if the job is no longer running (the reaper failed it).
"""

from sqlalchemy import delete, select, update

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import ImportJob, ImportState, Message, Vendor

# Staged rows deleted per write transaction.
CHUNK_ROWS = 2000
RUNNING = (ImportState.CHECKING.value, ImportState.WRITING.value)
STAGED_MODELS = (Message, Vendor)  # messages first: they name the vendors


class JobStopped(Exception):
    """The job is no longer running (it was reaped as interrupted): write nothing more."""


def tell_heartbeat(session, job_id, now, *, written=None):
    """Inside a write transaction: mark the job writing and alive, or raise JobStopped."""
    values = {"state": ImportState.WRITING.value, "heartbeat_at": now}
    if written is not None:
        values["rows_written"] = written
    told = session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.state.in_(RUNNING))
        .values(**values)
    ).rowcount
    if not told:
        raise JobStopped(job_id)


def publish_staged(session, job_id):
    """Inside the job's last write transaction: make all its staged rows count at once."""
    for model in STAGED_MODELS:
        session.execute(
            update(model)
            .where(model.import_job_id == job_id)
            .values(import_job_id=None)
            .execution_options(synchronize_session=False)
        )


def discard_staged(job_id):
    """Delete a job's staged rows, a chunk per write transaction (nobody sees them meanwhile)."""
    removed = 0
    for model in STAGED_MODELS:
        while True:
            with write_transaction() as session:
                chunk = (
                    select(model.id)
                    .where(model.import_job_id == job_id)
                    .limit(CHUNK_ROWS)
                    .scalar_subquery()
                )
                count = session.execute(
                    delete(model)
                    .where(model.id.in_(chunk), model.import_job_id == job_id)
                    .execution_options(synchronize_session=False)
                ).rowcount
            removed += count
            if count < CHUNK_ROWS:
                break
    return removed


def staged_job_ids():
    """Return the ids of the jobs that have staged rows (vendors or messages)."""
    found = set()
    for model in STAGED_MODELS:
        query = select(model.import_job_id).where(model.import_job_id.is_not(None)).distinct()
        found.update(db.session.scalars(query.execution_options(include_staged=True)))
    return found
