"""The SQLite connection settings and the write-transaction helper."""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bazaar.database import include_in_migrations, write_transaction
from bazaar.extensions import db
from bazaar.models import AuditEntry, LoginThrottle


def database_path(app):
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


@pytest.mark.sqlite_only("PRAGMAs are SQLite's connection settings")
def test_every_connection_gets_the_pragmas(app):
    with db.engine.connect() as connection:
        values = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
        }
    assert values == {
        "journal_mode": "wal",
        "busy_timeout": 10000,
        "foreign_keys": 1,
        "synchronous": 1,
    }


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_in_migrations}
        )
        assert compare_metadata(context, db.metadata) == []


def test_foreign_keys_are_enforced(app, now):
    with pytest.raises(sa.exc.IntegrityError), write_transaction():
        db.session.add(AuditEntry(at=now, actor_id=999, action="x", object_type="y", details={}))


@pytest.mark.sqlite_only("BEGIN IMMEDIATE and the database file are SQLite's")
def test_write_transaction_holds_the_write_lock_from_its_start(app):
    other = sqlite3.connect(database_path(app), timeout=0, isolation_level=None)
    with write_transaction() as session:
        session.scalar(sa.select(sa.func.count(LoginThrottle.key)))  # a read only
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")


def test_write_transaction_rolls_back_everything_on_error(app, now):
    with pytest.raises(RuntimeError), write_transaction() as session:
        session.add(LoginThrottle(key="a", failures=1, first_failure_at=now))
        session.flush()
        raise RuntimeError("boom")
    assert db.session.get(LoginThrottle, "a") is None


def test_nested_write_transaction_joins_the_outer_one(app, now):
    with pytest.raises(RuntimeError), write_transaction():
        with write_transaction() as session:
            session.add(LoginThrottle(key="inner", failures=1, first_failure_at=now))
        raise RuntimeError("outer fails after inner finished")
    assert db.session.get(LoginThrottle, "inner") is None


def _race(app, immediate, now, threads=8):
    """Let threads read a counter and write it back +1; return (final value, errors)."""
    with write_transaction() as session:
        session.add(LoginThrottle(key="counter", failures=0, first_failure_at=now))
    errors, barrier = [], threading.Barrier(threads)

    def work():
        with app.app_context():
            try:
                barrier.wait()
                if immediate:
                    with write_transaction() as session:
                        _increment(session)
                else:
                    session = db.session()
                    _increment(session)
                    session.commit()
            except sa.exc.OperationalError as exc:
                errors.append(str(exc))
            finally:
                db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    db.session.expire_all()
    return db.session.get(LoginThrottle, "counter").failures, errors


def _increment(session):
    row = session.get(LoginThrottle, "counter")
    value = row.failures
    threading.Event().wait(0.01)  # widen the window between read and write
    row.failures = value + 1


def test_write_transactions_serialise_read_then_write(app, now):
    value, errors = _race(app, immediate=True, now=now)
    assert (value, errors) == (8, [])


def test_control_deferred_transactions_lose_updates_or_fail(app, now):
    """Control: without the helper the same race loses work, proving the test above can fail."""
    value, errors = _race(app, immediate=False, now=now)
    assert value < 8 or errors


@pytest.mark.sqlite_only("SQLite alters a table by copying it; PostgreSQL alters in place")
def test_upgrading_an_instance_with_data_keeps_every_reference(tmp_path):
    # An office upgrading: its database at an earlier release's head, with an agency that an
    # account points at; the later migrations copy the agencies table to change it.
    env = {**os.environ, "BAZAAR_INSTANCE_PATH": str(tmp_path)}
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    upgrade = [str(Path(sys.executable).parent / "flask"), "--app", "bazaar", "db", "upgrade"]

    def run(*extra):
        done = subprocess.run([*upgrade, *extra], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]

    run("c4d1e7a9b2f3")
    with sqlite3.connect(tmp_path / "bazaar.sqlite") as connection:
        connection.execute("INSERT INTO agencies VALUES (1, 'استانداری قم', 'Governorate')")
        connection.execute(
            "INSERT INTO users (id, email, name, password_hash, role, locale, session_version,"
            " created_at, agency_id) VALUES (1, 'o@example.com', 'مریم', 'x', 'organiser', 'fa',"
            " 1, '2026-11-01 00:00:00', 1)"
        )
    run()
    with sqlite3.connect(tmp_path / "bazaar.sqlite") as connection:
        assert connection.execute("SELECT name_fa FROM agencies").fetchall() == [("استانداری قم",)]
        assert connection.execute("SELECT agency_id FROM users").fetchall() == [(1,)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
