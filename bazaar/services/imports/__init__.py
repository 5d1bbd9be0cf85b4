"""Bulk import from the national licence system's CSV lists: all rows or none.

The organisers' upload is stored and checked and written by a background job (jobs.py); the
CLI runs the same steps in the foreground. Every row is checked before the write lock is
taken, and the rows are then written in a few bulk statements in one short transaction.
"""

from bazaar.services.imports import products, vendors
from bazaar.services.imports.csvfile import MAX_ROWS, ImportReport, RowError, read_csv
from bazaar.services.imports.jobs import (
    find_job,
    get_job,
    job_report,
    queue_import,
    recent_jobs,
    run_import,
    run_import_job,
)

VENDOR_COLUMNS = vendors.COLUMNS
OPTIONAL_VENDOR_COLUMNS = vendors.OPTIONAL_COLUMNS
PRODUCT_COLUMNS = products.COLUMNS


def import_vendors(source, *, actor, now, progress=None):
    """Check every row of a vendors CSV (bytes or binary file), then write all or none."""
    return run_import("vendors", source, actor=actor, now=now, progress=progress)


def import_products(source, *, actor, now, progress=None):
    """Check every row of a products CSV (bytes or binary file), then write all or none."""
    return run_import("products", source, actor=actor, now=now, progress=progress)


__all__ = [
    "MAX_ROWS",
    "OPTIONAL_VENDOR_COLUMNS",
    "PRODUCT_COLUMNS",
    "VENDOR_COLUMNS",
    "ImportReport",
    "RowError",
    "find_job",
    "get_job",
    "import_products",
    "import_vendors",
    "job_report",
    "queue_import",
    "read_csv",
    "recent_jobs",
    "run_import_job",
]
