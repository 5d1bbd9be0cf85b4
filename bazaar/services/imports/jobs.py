"""Import jobs: the upload is stored under instance/imports/, then checked and written by a task.

The job row carries the progress the imports page shows (rows checked, rows written) and, at
the end, the report. A job runs once: the task claims it with a guarded update, so a task run
twice (two consumers, a retry) finds it taken.
"""

import logging
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import update

from bazaar.database import write_transaction
from bazaar.errors import NotFound, TooLarge
from bazaar.extensions import db
from bazaar.i18n import format_digits
from bazaar.models import ImportJob, ImportState
from bazaar.queue import enqueue
from bazaar.services.imports import products, vendors
from bazaar.services.imports.csvfile import ImportReport, RowError, read_csv
from bazaar.services.search_index import refresh_statistics

log = logging.getLogger(__name__)
KINDS = {
    "vendors": (
        vendors.COLUMNS,
        vendors.OPTIONAL_COLUMNS,
        vendors.check_vendors,
        vendors.write_vendors,
    ),
    "products": (products.COLUMNS, (), products.check_products, products.write_products),
}
CHUNK = 1024 * 1024
KEPT_ERRORS = 1000  # a report lists at most this many problems (and says how many there were)


def run_import(kind, source, *, actor, now, progress=None):
    """Read, check every row, and only if all are right write them; return the report.

    `progress(total=…)`, `progress(checked=…)` and `progress(written=…)` are told how far it got.
    """
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
    write(cleaned, report, actor=actor, now=now)
    tell(written=len(rows))
    refresh_statistics()
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
    taken = _set_if_queued(job_id, state=ImportState.CHECKING.value, started_at=clock())
    if not taken:
        return None
    job = db.session.get(ImportJob, job_id)
    path = imports_dir() / job.stored_name
    actor = job.created_by

    def progress(total=None, checked=None, written=None):
        if total is not None:
            _set(job_id, rows_total=total)
        if checked is not None:
            _set(job_id, rows_checked=checked)
        if written is not None:
            _set(job_id, rows_written=written)

    try:
        with open(path, "rb") as handle:
            report = run_import(job.kind, handle, actor=actor, now=clock(), progress=progress)
    except Exception:
        log.exception("import job %s failed", job_id)
        _set(job_id, state=ImportState.FAILED.value, finished_at=clock())
        raise
    finally:
        path.unlink(missing_ok=True)
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


def _set_if_queued(job_id, **values):
    # The claim: only one run moves the job out of "queued".
    with write_transaction() as session:
        return session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.state == ImportState.QUEUED.value)
            .values(**values)
        ).rowcount


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
