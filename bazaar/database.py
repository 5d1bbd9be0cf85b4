"""Database set-up and the one helper every state-changing service runs its work in."""

import contextvars
import fcntl
import os
import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import Integer, event, func, select, text

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


_writer_locks = {}
_writer_locks_guard = threading.Lock()


class _SQLiteWriters:
    """One writer at a time across this machine's processes and threads, waiting in the kernel.

    SQLite allows one writer anyway; a waiting BEGIN IMMEDIATE polls with sleeps that grow to
    100 ms, which puts a long tail on busy write traffic. Writers that queue on a lock file
    instead are woken the moment the lock is free. (Several app servers on several machines
    use PostgreSQL, where row locks do this job.)
    """

    def __init__(self, path):
        self.thread_lock = threading.Lock()
        self.fd = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self):
        with self.thread_lock:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self.fd, fcntl.LOCK_UN)


def _writers(engine):
    """Return the writer queue of a file-backed SQLite engine, or a no-op for other databases."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return nullcontext()
    key = (os.getpid(), os.path.abspath(database))
    with _writer_locks_guard:
        if key not in _writer_locks:
            _writer_locks[key] = _SQLiteWriters(key[1])
    return _writer_locks[key].held()


# The key of the PostgreSQL advisory lock every write transaction holds (any fixed number).
WRITE_LOCK_KEY = 0x62617A61  # "baza"


@contextmanager
def write_transaction():
    """Run the enclosed work as one write transaction: commit on success, roll back on error.

    Write transactions run one at a time, on both databases, so a read-then-write inside one
    never races another: on SQLite through BEGIN IMMEDIATE (and a lock file that queues this
    machine's writers), on PostgreSQL through a transaction-level advisory lock taken first,
    before anything is read, released by the commit or rollback. Reads outside write
    transactions never wait. Nested calls join the outer unit, so a service may call another
    service. Anything the session read before is expired and read again under the lock.
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
        with _writers(db.engine), session.begin():
            if db.engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session
    finally:
        _writing.reset(token)


def sync_sequences(session):
    """Move PostgreSQL's id sequences past the largest id (after rows were written with ids).

    Bulk inserts that give explicit ids (demo data, copies) leave a sequence behind, and the
    next ordinary insert would then collide. SQLite needs nothing: it takes max(id) + 1.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.primary_key or column.autoincrement is False:
            continue
        if not isinstance(column.type, Integer):
            continue
        highest = select(func.coalesce(func.max(column), 0)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, "id")
        session.execute(select(func.setval(sequence, highest + 1, False)))


SEARCH_ONLY = ("search_vector", "ix_products_search_vector", "ix_vendors_search_vector")


def include_in_migrations(obj, name, type_, reflected, compare_to):
    """Leave the search machinery (FTS5 tables, tsvector columns) to hand-written migrations."""
    if type_ == "table" and "_fts" in (name or ""):
        return False
    return name not in SEARCH_ONLY
