"""Moving a pilot from SQLite to PostgreSQL: copy every row into an empty database.

The target's schema is built by the migrations (as `flask db upgrade` builds it), so it is
exactly what an upgraded PostgreSQL install has: the generated search columns and their
indexes included. Rows go over table by table in dependency order, in batches, in one
transaction; then the id sequences are moved past the copied ids and the search index is
rebuilt.
"""

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, make_url, select

from bazaar import create_app
from bazaar.database import sync_sequences
from bazaar.extensions import db
from bazaar.services import search_index

BATCH = 2000


class CopyError(Exception):
    """A copy that cannot start; the message says why."""


def check_target(url):
    """Refuse a target that is not PostgreSQL or that already has tables."""
    if make_url(url).get_backend_name() != "postgresql":
        raise CopyError("The target must be a PostgreSQL URL (postgresql+psycopg://…).")
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise CopyError(
            f"The target database is not empty ({len(tables)} tables, e.g. {tables[0]}): "
            "copy only into a new, empty database."
        )


def copy_database(url, *, progress=lambda line: None):
    """Copy this app's SQLite database into the empty PostgreSQL database at url.

    Return {table name: rows copied}.
    """
    if db.engine.dialect.name != "sqlite":
        raise CopyError("db-copy copies from a SQLite instance; this app uses PostgreSQL.")
    check_target(url)
    source = db.engine
    with _app_for(url).app_context():
        upgrade()
        progress("schema: built by the migrations")
        with source.connect() as reader, db.engine.begin() as writer:
            # One read transaction (begun by the first select): the copy is of one moment.
            counts = {
                table.name: _copy_table(table, reader, writer, progress)
                for table in _emptied(writer)
            }
        sync_sequences(db.session)
        db.session.commit()
        search_index.reindex_all(
            progress=lambda done, total: progress(f"search index: {done} of {total} vendors")
        )
        db.session.remove()
        db.engine.dispose()
    return counts


def _app_for(url):
    """The same app and settings, pointed at the target database."""
    config = {**current_app.config, "SQLALCHEMY_DATABASE_URI": url}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    config["INSTANCE_PATH"] = current_app.instance_path
    return create_app(config)


def _emptied(writer):
    """Remove the rows the migrations insert (counters, locks): the copy brings its own."""
    tables = db.metadata.sorted_tables
    for table in reversed(tables):
        writer.execute(table.delete())
    return tables


def _copy_table(table, reader, writer, progress):
    """Copy one table's rows in primary-key order, in batches; return how many."""
    order = list(table.primary_key.columns)
    result = reader.execution_options(stream_results=True).execute(select(table).order_by(*order))
    copied = 0
    while batch := result.mappings().fetchmany(BATCH):
        rows = _parents_first(table, [dict(row) for row in batch])
        writer.execute(table.insert(), rows)
        copied += len(rows)
    progress(f"{table.name}: {copied} rows")
    return copied


def _parents_first(table, rows):
    """Order a self-referencing table's rows so a parent is inserted before its children."""
    links = [fk for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    key, parent = links[0].column.name, links[0].parent.name
    here = {r[key] for r in rows}  # a parent outside this batch was copied with an earlier one
    ordered, placed, waiting = [], set(), rows
    while waiting:
        ready = [r for r in waiting if r[parent] not in here or r[parent] in placed]
        if not ready:
            raise CopyError(f"{table.name}: rows whose parents form a cycle")
        ordered += ready
        placed.update(r[key] for r in ready)
        waiting = [r for r in waiting if r[key] not in placed]
    return ordered
