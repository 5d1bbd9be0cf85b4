"""Import jobs: the upload is stored under instance/imports/, then checked and written by a task.

The job row carries the progress the imports page shows (rows checked, rows written) and, at
the end, the report. A job runs once: the task claims it with a guarded update, so a task run
twice (two consumers, a retry) finds it taken.
"""

import logging
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, update

from bazaar.database import write_transaction
from bazaar.errors import NotFound, TooLarge
from bazaar.extensions import db
from bazaar.i18n import format_digits
from bazaar.models import ImportJob, ImportState
from bazaar.queue import enqueue
from bazaar.services.imports import products, vendors
from bazaar.services.imports.csvfile import ImportReport, RowError, read_csv
from bazaar.services.imports.staging import RUNNING, discard_staged, staged_job_ids
from bazaar.services.search_index import refresh_statistics

log = logging.getLogger(__name__)


def _write_products(cleaned, report, *, actor, now, **_job):
    # Products are written in one short transaction (they stage nothing).
    products.write_products(cleaned, report, actor=actor, now=now)


KINDS = {
    "vendors": (
        vendors.COLUMNS,
        vendors.OPTIONAL_COLUMNS,
        vendors.check_vendors,
        vendors.write_vendors,
    ),
    "products": (products.COLUMNS, (), products.check_products, _write_products),
}
CHUNK = 1024 * 1024
KEPT_ERRORS = 1000  # a report lists at most this many problems (and says how many there were)
# A running job tells its heartbeat at every step (a few seconds apart even on a busy machine);
# one silent for this long was interrupted (its consumer killed, the machine restarted).
STALE_AFTER = timedelta(minutes=5)


def _check_and_write(job_id, kind, source, *, actor, now, clock, progress):
    columns, optional, check, write = KINDS[kind]
    report = ImportReport(kind)
    rows, report.errors = read_csv(source, columns, optional)
    report.rows = len(rows)
    tell = progress or (lambda **_: None)
    tell(total=len(rows))
    if report.errors:
        return report
    cleaned = check(rows, report.errors, progress=lambda done: tell(checked=done))
    tell(checked=len(rows))
    if not rows:
        report.errors.append(RowError(2, "", "import.empty"))
    if report.errors:
        return report
    write(
        cleaned,
        report,
        actor=actor,
        now=now,
        job_id=job_id,
        clock=clock,
        progress=lambda done: tell(written=done),
    )
    tell(written=len(rows))
    refresh_statistics()
    return report


def run_import(kind, source, *, actor, now, progress=None, clock=None):
    """Read, check every row, and only if all are right write them; return the report.

    Run in the foreground (the CLI, tests), as a job of its own so that its staged rows are
    reaped if it is killed. `progress(total=…)`, `progress(checked=…)` and
    `progress(written=…)` are told how far it got; `clock()` tells the time (default `now`).
    """
    with write_transaction() as session:
        job = ImportJob(
            kind=kind,
            state=ImportState.CHECKING.value,
            stored_name="",
            original_name=Path(str(getattr(source, "name", ""))).name[:255],
            created_by_id=actor.id if actor else None,
            created_at=now,
            started_at=now,
            heartbeat_at=now,
        )
        session.add(job)
    return _run(
        job.id, kind, source, actor=actor, now=now, clock=clock or (lambda: now), progress=progress
    )


def _run(job_id, kind, source, *, actor, now, clock, progress=None):
    def tell(total=None, checked=None, written=None):
        values = {"heartbeat_at": clock()}
        for column, value in (("rows_total", total), ("rows_checked", checked)):
            if value is not None:
                values[column] = value
        if written is not None:
            values["rows_written"] = written
        _set(job_id, **values)
        if progress is not None:
            progress(total=total, checked=checked, written=written)

    try:
        report = _check_and_write(
            job_id, kind, source, actor=actor, now=now, clock=clock, progress=tell
        )
    except Exception:
        log.exception("import job %s failed", job_id)
        fail_job(job_id, now=clock(), code="import.failed")
        raise
    state = ImportState.DONE if report.ok else ImportState.REFUSED
    _set(
        job_id,
        state=state.value,
        finished_at=clock(),
        created_count=report.created,
        updated_count=report.updated,
        error_count=len(report.errors),
        errors=[vars(error) for error in report.errors[:KEPT_ERRORS]],
    )
    return report


def imports_dir():
    """Return the folder uploads wait in until their job has run."""
    return Path(current_app.instance_path) / "imports"


def queue_import(stream, *, kind, filename, actor, now):
    """Store an uploaded CSV (copied to disk a chunk at a time), record its job and queue it."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    folder = imports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.csv"
    size = 0
    with open(folder / stored, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        (folder / stored).unlink()
        raise TooLarge("import.too_large", size=format_digits(limit // (1024 * 1024)))
    with write_transaction() as session:
        job = ImportJob(
            kind=kind,
            stored_name=stored,
            original_name=(filename or "")[:255],
            size_bytes=size,
            created_by_id=actor.id if actor else None,
            created_at=now,
        )
        session.add(job)
    enqueue("import", job.id)
    return job


def _set(job_id, **values):
    with write_transaction() as session:
        return session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(**values)
        ).rowcount


def run_import_job(job_id, *, clock):
    """Run a queued import job once (the task queue calls this); `clock()` tells the time."""
    started = clock()
    taken = _set_if_queued(
        job_id, state=ImportState.CHECKING.value, started_at=started, heartbeat_at=started
    )
    if not taken:
        return None
    job = db.session.get(ImportJob, job_id)
    path = imports_dir() / job.stored_name
    try:
        with open(path, "rb") as handle:
            return _run(job_id, job.kind, handle, actor=job.created_by, now=started, clock=clock)
    finally:
        path.unlink(missing_ok=True)


def _set_if_queued(job_id, **values):
    # The claim: only one run moves the job out of "queued".
    with write_transaction() as session:
        return session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.state == ImportState.QUEUED.value)
            .values(**values)
        ).rowcount


def fail_job(job_id, *, now, code):
    """Mark a running job failed (with the reason `code`) and delete what it had staged."""
    with write_transaction() as session:
        failed = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.state.in_(RUNNING))
            .values(
                state=ImportState.FAILED.value,
                finished_at=now,
                error_count=1,
                errors=[vars(RowError(0, "", code))],
            )
        ).rowcount
    discard_staged(job_id)
    return failed


def reap_stale_jobs(now):
    """Fail the jobs whose heartbeat stopped (nothing of theirs counts), delete their staged
    rows and stored files, and the staged rows of any finished job; return how many failed."""
    silent_since = func.coalesce(ImportJob.heartbeat_at, ImportJob.started_at)
    stale = db.session.execute(
        db.select(ImportJob.id, ImportJob.stored_name).where(
            ImportJob.state.in_(RUNNING), silent_since < now - STALE_AFTER
        )
    ).all()
    reaped = 0
    for job_id, stored_name in stale:
        reaped += fail_job(job_id, now=now, code="import.interrupted")
        if stored_name:
            (imports_dir() / stored_name).unlink(missing_ok=True)
    # Staged rows first, then the running jobs: a job stages rows only while running, so one
    # that starts in between is among the running and its rows are left alone.
    staged = staged_job_ids()
    running = set(db.session.scalars(db.select(ImportJob.id).where(ImportJob.state.in_(RUNNING))))
    for job_id in staged - running:
        discard_staged(job_id)  # a job killed while its failure was being cleaned up
    return reaped


def find_job(job_id):
    """Return the import job, or None."""
    return db.session.get(ImportJob, job_id)


def get_job(job_id):
    """Return the import job, or raise NotFound."""
    job = find_job(job_id)
    if job is None:
        raise NotFound("import.not_found")
    return job


def job_report(job):
    """Return the report of a finished job, as the CLI and the page show it."""
    report = ImportReport(job.kind, created=job.created_count, updated=job.updated_count)
    report.rows = job.rows_total or 0
    report.errors = [RowError(**error) for error in job.errors or ()]
    return report


def recent_jobs(limit=10):
    """Return the latest import jobs, newest first."""
    query = db.select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)
    return db.session.scalars(query).all()
