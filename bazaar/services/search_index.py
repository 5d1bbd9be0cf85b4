"""Rebuilding the search index: recompute every search text, then rebuild the FTS tables."""

from sqlalchemy import text

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import Vendor
from bazaar.services.search import is_postgres
from bazaar.services.vendors import product_search_text, search_text_for_vendor

BATCH = 2000


def refresh_statistics(*, full=True):
    """Bring the query planner's statistics up to date.

    Without them SQLite drives a filtered search from the category index and probes the search
    index once per product; PostgreSQL's autovacuum lags behind bulk loads. `full` (after
    imports, seeding and reindexing) reads every index whole: statistics from a sample of the
    first rows of each (`analysis_limit`) told SQLite that a category or "listed" picks about a
    thousand products at a million, and it chose its plans from that. At a million products it
    takes about half a second. Otherwise (each minute, from the task queue) `PRAGMA optimize`
    analyses only a table whose size changed enough since, which is most often nothing.
    """
    with write_transaction():
        if is_postgres():
            db.session.execute(text("ANALYZE products, vendors"))
            return
        db.session.execute(text("ANALYZE" if full else "PRAGMA optimize"))


def reindex_all(progress=None):
    """Recompute search texts in batches and rebuild the index; return counts.

    `progress(done=, total=)` is told the vendors done after each batch.
    """
    counts = {"vendors": 0, "products": 0}
    vendor_ids = db.session.scalars(db.select(Vendor.id).order_by(Vendor.id)).all()
    for start in range(0, len(vendor_ids), BATCH):
        with write_transaction():
            for vendor in db.session.scalars(
                db.select(Vendor).where(Vendor.id.in_(vendor_ids[start : start + BATCH]))
            ):
                vendor.search_text = search_text_for_vendor(vendor)
                for product in vendor.products:
                    product.search_text = product_search_text(product, vendor)
                    counts["products"] += 1
                counts["vendors"] += 1
        if progress is not None:
            progress(done=counts["vendors"], total=len(vendor_ids))
    if not is_postgres():
        with write_transaction():
            for table in ("products", "vendors"):
                # Table names come from the fixed tuple above, never from input.
                statement = f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"  # noqa: S608
                db.session.execute(text(statement))
    refresh_statistics()
    return counts
