"""The task queue: built from the configuration, one list of periodic jobs, `flask worker`."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey import MemoryHuey, RedisHuey, SqliteHuey

from bazaar.extensions import db
from bazaar.models import ImportJob, Vendor
from bazaar.queue import make_huey
from bazaar.services import imports
from bazaar.tasks import PERIODIC_JOBS
from tests.services.test_imports import VENDORS

ROOT = Path(__file__).resolve().parents[2]
QUEUED = {"TASKS_IMMEDIATE": False}


def test_the_queue_is_sqlite_in_instance_by_default_and_redis_when_configured(tmp_path):
    huey = make_huey({}, tmp_path)
    assert isinstance(huey, SqliteHuey)
    assert huey.storage.filename == str(tmp_path / "tasks.sqlite")
    assert isinstance(make_huey({"REDIS_URL": "redis://127.0.0.1:1/0"}, tmp_path), RedisHuey)
    assert isinstance(make_huey({"TASKS_IMMEDIATE": True}, tmp_path), MemoryHuey)


def test_every_periodic_job_is_a_periodic_task_and_part_of_tick(app, runner):
    periodic = {task.__name__ for task in app.extensions["huey"]._registry._periodic_tasks}
    assert periodic == {"periodic: " + job.name for job in PERIODIC_JOBS}
    assert {job.name for job in PERIODIC_JOBS} >= {
        "released",
        "expired",
        "paper warnings",
        "follow-up reminders",
        "outbox",
        "search statistics",
    }
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    for job in PERIODIC_JOBS:
        assert job.name in result.output


def test_a_periodic_task_runs_its_job_in_the_app(app, make_restriction, make_bazaar):
    from datetime import date

    from bazaar.models import StatusChange

    make_restriction(ends_on=date(2026, 11, 25))
    make_bazaar(day=date(2026, 11, 24))
    app.extensions["tasks"]["periodic: released"]()  # immediate mode: runs here, now
    db.session.rollback()
    released = db.select(db.func.count()).where(StatusChange.reason == "released")
    assert db.session.scalar(released.select_from(StatusChange)) == 1


@pytest.mark.parametrize("app", [QUEUED], indirect=True)
def test_an_import_job_runs_once_and_records_its_progress(app, now):
    import io

    job = imports.queue_import(
        io.BytesIO(VENDORS.encode()), kind="vendors", filename="v.csv", actor=None, now=now
    )
    assert job.state == "queued"
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0
    report = imports.run_import_job(job.id, clock=lambda: now)
    assert report.ok
    assert imports.run_import_job(job.id, clock=lambda: now) is None  # taken: never twice
    db.session.refresh(job)
    assert (job.state, job.rows_total, job.rows_checked, job.rows_written) == ("done", 2, 2, 2)
    assert (job.created_count, job.updated_count) == (2, 0)
    assert not (imports.jobs.imports_dir() / job.stored_name).exists()
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 2


@pytest.mark.parametrize("app", [QUEUED], indirect=True)
def test_a_refused_job_keeps_its_problems_and_writes_nothing(app, now):
    import io

    bad = VENDORS.replace("۰۹۱۲۱۱۱۲۲۳۳", "123")
    job = imports.queue_import(
        io.BytesIO(bad.encode()), kind="vendors", filename="v.csv", actor=None, now=now
    )
    imports.run_import_job(job.id, clock=lambda: now)
    db.session.refresh(job)
    assert job.state == "refused"
    assert job.rows_written == 0
    assert [(e.row, e.column) for e in imports.job_report(job).errors] == [(2, "mobile")]
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


@pytest.mark.parametrize("app", [QUEUED], indirect=True)
def test_a_broken_job_is_marked_failed_and_writes_nothing(app, now, monkeypatch):
    import io

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports.vendors, "write_vendors", broken)
    monkeypatch.setitem(imports.jobs.KINDS, "vendors", (*imports.jobs.KINDS["vendors"][:3], broken))
    job = imports.queue_import(
        io.BytesIO(VENDORS.encode()), kind="vendors", filename="v.csv", actor=None, now=now
    )
    with pytest.raises(RuntimeError):
        imports.run_import_job(job.id, clock=lambda: now)
    db.session.refresh(job)
    assert job.state == "failed"
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


@pytest.mark.sqlite_only("the consumer process serves the test's SQLite file")
@pytest.mark.parametrize("app", [QUEUED], indirect=True)
def test_flask_worker_runs_a_queued_import(app, now):
    import io

    job = imports.queue_import(
        io.BytesIO(VENDORS.encode()), kind="vendors", filename="v.csv", actor=None, now=now
    )
    env = {
        **os.environ,
        "FLASK_APP": "bazaar",
        "BAZAAR_INSTANCE_PATH": app.instance_path,
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
    }
    flask = str(Path(sys.executable).parent / "flask")
    worker = subprocess.Popen(
        [flask, "worker", "--workers", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        state = None
        while time.monotonic() < deadline and state != "done":
            time.sleep(0.3)
            db.session.rollback()
            state = db.session.scalar(db.select(ImportJob.state).where(ImportJob.id == job.id))
        assert state == "done"
    finally:
        worker.terminate()
        assert worker.wait(timeout=30) is not None
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 2
