"""`flask backup` while the app serves, and `flask restore` into a new instance.

gunicorn serves the test's database (SQLite, or PostgreSQL under --postgres) while client
threads book stalls and edit products; `flask backup` runs as its own process meanwhile. The
backup is restored by `flask restore` into a new instance (and, on PostgreSQL, a new database),
whose own integrity check is clean and whose rows are all of one moment: every booking with its
audit entry, the stall counter equal to the stalls held, each product's name with exactly as
many edit entries as it was edited.
"""

import json
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import Application, AuditEntry, Product, Restriction, StallType, User
from bazaar.models.types import utcnow
from bazaar.services import restrictions
from tests.conftest import base_config
from tests.servers import ROOT, gunicorn, server_env, session_cookie
from tests.test_crash_safety import prepare, request

FLASK = str(Path(sys.executable).parent / "flask")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def flask(env, *args):
    """Run a `flask` command as its own process; return the finished process."""
    return subprocess.run(
        [FLASK, "--app", "bazaar", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def keep_loading(app, port, plan, stop):
    """Book stalls and edit products from client threads until told to stop."""
    bazaar_id, stall_type_id, category, bookers, products, _organiser = plan

    def book(user_ids):
        for user_id in user_ids:
            if stop.is_set():
                return
            body = urlencode({"stall_type_id": stall_type_id, "category_ids": category})
            request(
                port,
                "POST",
                f"/stalls/apply/{bazaar_id}",
                session_cookie(app, user_id),
                body.encode(),
                "application/x-www-form-urlencoded",
            )

    def edit(user_id, product_id):
        n = 0
        while not stop.is_set():
            fields = {
                "name": f"edit-{product_id}-{n}",
                "description": "",
                "category_id": category,
                "price_toman": 1000 + n,
                "unit": "عدد",
                "availability": "in_stock",
            }
            status = request(
                port,
                "POST",
                f"/catalogue/products/{product_id}/edit",
                session_cookie(app, user_id),
                urlencode(fields).encode(),
                "application/x-www-form-urlencoded",
            )
            assert status == 302, status
            n += 1

    threads = [threading.Thread(target=book, args=(bookers[n::2],)) for n in range(2)]
    threads += [threading.Thread(target=edit, args=pair) for pair in products]
    for thread in threads:
        thread.start()
    return threads


def applications_count():
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Application.id)))


def edits_count():
    db.session.rollback()
    return db.session.scalar(
        sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "product.update")
    )


def wait_for(condition, seconds=120):
    """Poll until condition() holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the load made no progress"
        time.sleep(0.05)


def one_moment(stall_type_id, products):
    """Check the open database's rows are of one moment; return its application count."""
    applications = db.session.scalars(sa.select(Application)).all()
    holding = [a for a in applications if a.state in ("allocated", "confirmed")]
    assert db.session.get(StallType, stall_type_id).allocated == len(holding)
    waiting = sorted(a.position for a in applications if a.state == "waiting")
    assert waiting == list(range(1, len(waiting) + 1))
    audited = db.session.scalars(
        sa.select(AuditEntry.object_id).where(AuditEntry.action == "stall.apply")
    ).all()
    assert sorted(audited) == sorted(str(a.id) for a in applications)
    for _user_id, product_id in products:
        name = db.session.get(Product, product_id).name
        edits = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.action == "product.update", AuditEntry.object_id == str(product_id)
            )
        )
        assert edits == (0 if name == "original" else int(name.rsplit("-", 1)[1]) + 1)
    return len(applications)


def integrity_check(engine):
    if engine.dialect.name != "sqlite":
        return "ok"
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA integrity_check").scalar()


@pytest.fixture
def fresh_database(app, tmp_path):
    """A URL for a new, empty database of the suite's kind (dropped afterwards)."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'bazaar.sqlite'}"
        return
    name = f"{url.database}_restored"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_while_serving_restores_one_consistent_moment(app, tmp_path, fresh_database):
    plan = prepare(app)
    organiser = db.session.get(User, plan[-1])
    data = restrictions.RestrictionData(
        body="ستاد", reference="۱۲", decided_on=date(2026, 10, 20), region_id=None,
        starts_on=date(2026, 10, 22), ends_on=None,
    )  # fmt: skip
    restrictions.record_restriction(organiser, data, now=utcnow(), document_data=PDF)
    document = db.session.scalar(sa.select(Restriction.document))
    (Path(app.instance_path) / "config.py").write_text("PROVINCE = 'qom'\n")
    env = server_env(app)
    folder = tmp_path / "backup"
    stop = threading.Event()
    with gunicorn(env, workers=2) as (port, _server):
        threads = keep_loading(app, port, plan, stop)
        try:
            wait_for(lambda: applications_count() >= 10 and edits_count() >= 3)
            backup = flask(env, "backup", str(folder))
            # Edits go on until told to stop: wait until some come after the backup ended.
            done_by_then = edits_count()
            wait_for(lambda: edits_count() > done_by_then)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    assert backup.returncode == 0, backup.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    kinds = {entry["path"]: entry["kind"] for entry in manifest["files"]}
    assert kinds[f"uploads/documents/{document}"] == "upload"
    assert kinds["instance/config.py"] == "instance"
    assert manifest["migration_head"]

    instance = tmp_path / "restored"
    restored_env = {
        **env,
        "BAZAAR_INSTANCE_PATH": str(instance),
        "FLASK_SQLALCHEMY_DATABASE_URI": fresh_database,
    }
    result = flask(restored_env, "restore", str(folder))
    assert result.returncode == 0, result.stderr
    assert (instance / "uploads" / "documents" / document).read_bytes() == PDF
    assert (instance / "config.py").read_text() == "PROVINCE = 'qom'\n"

    one_moment(plan[1], plan[4])
    final_edits = edits_count()
    restored = create_app(base_config(tmp_path / "check", fresh_database))
    with restored.app_context():
        assert integrity_check(db.engine) == "ok"
        assert one_moment(plan[1], plan[4]) >= 10
        copied_edits = edits_count()
        db.session.remove()
        db.engine.dispose()
    # The backup was taken while edits went on: some, but not all, are in it.
    assert 3 <= copied_edits < final_edits


@pytest.fixture
def backup_folder(app, runner, tmp_path, make_product):
    """A backup of an instance with a product and an upload; return its folder."""
    make_product()
    photo = Path(app.config["UPLOADS_DIR"]) / "products" / "p.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"photo")
    folder = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def restore_in(tmp_path, folder, database):
    """Run `flask restore` in-process for a new instance at tmp_path/name."""
    other = create_app(base_config(tmp_path / "other", database))
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["restore", str(folder)])
        db.session.remove()
        db.engine.dispose()
    return result, Path(other.instance_path)


@pytest.mark.sqlite_only("a second empty database is a file here")
def test_restore_refuses_a_tampered_backup_and_restores_nothing(tmp_path, backup_folder):
    (backup_folder / "uploads" / "products" / "p.jpg").write_bytes(b"photx")
    database = f"sqlite:///{tmp_path / 'other.sqlite'}"
    result, instance = restore_in(tmp_path, backup_folder, database)
    assert result.exit_code == 1
    assert "uploads/products/p.jpg does not match its checksum" in result.output
    assert not (instance / "uploads").exists()
    assert (
        not (tmp_path / "other.sqlite").exists()
        or not sa.inspect(sa.create_engine(database)).get_table_names()
    )


@pytest.mark.sqlite_only("a second empty database is a file here")
def test_restore_refuses_a_file_the_manifest_does_not_name(tmp_path, backup_folder):
    (backup_folder / "uploads" / "extra.jpg").write_bytes(b"x")
    result, _instance = restore_in(tmp_path, backup_folder, f"sqlite:///{tmp_path / 'o.sqlite'}")
    assert result.exit_code == 1
    assert "uploads/extra.jpg is in the backup but not in its manifest" in result.output


def test_restore_refuses_an_instance_that_has_data(app, runner, backup_folder):
    result = runner.invoke(args=["restore", str(backup_folder)])
    assert result.exit_code == 1
    assert "The instance is not empty" in result.output
    assert "restore only into a new one" in result.output


def test_backup_refuses_a_folder_that_has_files(runner, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "old")])
    assert result.exit_code == 1
    assert "is not empty" in result.output


def test_check_instance_names_an_upload_a_row_needs_that_is_missing(app, runner, organiser):
    data = restrictions.RestrictionData(
        body="ستاد", reference="۱۲", decided_on=date(2026, 10, 20), region_id=None,
        starts_on=date(2026, 10, 22), ends_on=None,
    )  # fmt: skip
    restrictions.record_restriction(organiser, data, now=utcnow(), document_data=PDF)
    result = runner.invoke(args=["check-instance"])
    assert result.exit_code == 0, result.output
    assert "every upload is in place" in result.output
    document = db.session.scalar(sa.select(Restriction.document))
    (Path(app.config["UPLOADS_DIR"]) / "documents" / document).unlink()
    result = runner.invoke(args=["check-instance"])
    assert result.exit_code == 1
    assert f"missing upload: documents/{document}" in result.output
