"""Bulk import from the national licence system's CSV lists: all rows or none.

The organisers' upload is stored and checked and written by a background job (jobs.py); the
CLI runs the same steps in the foreground, as a job of its own. Every row is checked before
the write lock is taken. Vendors are then written staged, a chunk per short transaction, and
made to count in one last short one (staging.py); products in one short transaction. A job
whose heartbeat stops is failed by a periodic job and its staged rows deleted.
"""

from bazaar.services.imports import products, vendors
from bazaar.services.imports.csvfile import MAX_ROWS, ImportReport, RowError, read_csv
from bazaar.services.imports.jobs import (
    fail_job,
    find_job,
    get_job,
    job_report,
    queue_import,
    reap_stale_jobs,
    recent_jobs,
    run_import,
    run_import_job,
)

VENDOR_COLUMNS = vendors.COLUMNS
OPTIONAL_VENDOR_COLUMNS = vendors.OPTIONAL_COLUMNS
PRODUCT_COLUMNS = products.COLUMNS


def import_vendors(source, *, actor, now, progress=None, clock=None):
    """Check every row of a vendors CSV (bytes or binary file), then write all or none."""
    return run_import("vendors", source, actor=actor, now=now, progress=progress, clock=clock)


def import_products(source, *, actor, now, progress=None, clock=None):
    """Check every row of a products CSV (bytes or binary file), then write all or none."""
    return run_import("products", source, actor=actor, now=now, progress=progress, clock=clock)


__all__ = [
    "MAX_ROWS",
    "OPTIONAL_VENDOR_COLUMNS",
    "PRODUCT_COLUMNS",
    "VENDOR_COLUMNS",
    "ImportReport",
    "RowError",
    "fail_job",
    "find_job",
    "get_job",
    "import_products",
    "import_vendors",
    "job_report",
    "queue_import",
    "read_csv",
    "reap_stale_jobs",
    "recent_jobs",
    "run_import_job",
]
