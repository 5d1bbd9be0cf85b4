"""Database set-up and the one helper every state-changing service runs its work in."""

import contextvars
from contextlib import contextmanager

from sqlalchemy import event

from bazaar.extensions import db

# Set while a write unit of work is open in this context: the SQLite "begin" hook reads it.
_writing = contextvars.ContextVar("bazaar_writing", default=False)


def register_sqlite_pragmas(engine):
    """Configure every SQLite connection and take over transaction start from pysqlite."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own BEGIN handling cannot issue BEGIN IMMEDIATE; the begin hook does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=10000",
            "foreign_keys=ON",
            "synchronous=NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write unit takes the write lock up front, so a read-then-write never fails with
        # "database is locked" half-way; reads stay deferred and run concurrently.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def is_writing():
    """Tell whether a write unit of work is open in this context."""
    return _writing.get()


@contextmanager
def write_transaction():
    """Run the enclosed work as one write transaction: commit on success, roll back on error.

    Nested calls join the outer unit, so a service may call another service. Anything the
    session read before is expired and read again under the write lock.
    """
    if _writing.get():
        yield db.session
        return
    session = db.session()
    if session.in_transaction():
        # Views only read before calling a service: end that read transaction so the write
        # one can start with the lock (BEGIN IMMEDIATE on SQLite).
        session.rollback()
    token = _writing.set(True)
    try:
        with session.begin():
            yield session
    finally:
        _writing.reset(token)


SEARCH_ONLY = ("search_vector", "ix_products_search_vector", "ix_vendors_search_vector")


def include_in_migrations(obj, name, type_, reflected, compare_to):
    """Leave the search machinery (FTS5 tables, tsvector columns) to hand-written migrations."""
    if type_ == "table" and "_fts" in (name or ""):
        return False
    return name not in SEARCH_ONLY
