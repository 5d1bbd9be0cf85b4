"""Vendor imports written staged in short transactions: nobody sees a row until the last step,
a failure or an interrupted job leaves nothing, and the reaper fails jobs whose heartbeat
stopped."""

from datetime import timedelta

import pytest

from bazaar.extensions import db
from bazaar.models import ImportJob, Message, Vendor
from bazaar.services import browse, imports, monitoring, notifications
from bazaar.services.claims import find_claimable_vendor, make_claim_token
from bazaar.services.imports import jobs, staging
from bazaar.services.imports import vendors as vendor_import
from bazaar.services.imports.csvfile import parse_date
from bazaar.services.statistics import metrics
from bazaar.services.vendors import count_by_status, list_vendors
from tests.services.test_imports import PRODUCTS, VENDOR_HEADER, VENDORS

ROWS = 5
MANY = VENDOR_HEADER + "".join(
    f"S{n},خیاطی شماره {n},زهرا,۰۹۱۲۳۳۳۰۰{n:02d},قم,sewing,L-{n},1406-02-01,,,دوخت,\n"
    for n in range(ROWS)
)


@pytest.fixture
def small_chunks(app, monkeypatch):
    """Write two vendors per write transaction, so five vendors take three chunks."""
    monkeypatch.setitem(app.config, "IMPORT_CHUNK_ROWS", 2)


def staged(model):
    query = db.select(db.func.count(model.id)).where(model.import_job_id.is_not(None))
    return db.session.scalar(query.execution_options(include_staged=True))


def visible(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


def what_readers_see(now):
    """What pages, counts, searches, statistics and the outbox show of the imported vendors."""
    page = list_vendors(page=1, per_page=50, today=now.date())
    vendor_id = db.session.scalar(
        db.select(db.func.max(Vendor.id)).execution_options(include_staged=True)
    )
    token = make_claim_token(type("Staged", (), {"id": vendor_id})(), now)
    return {
        "vendors": visible(Vendor),
        "messages": visible(Message),
        "admin list": page.total,
        "by status": sum(count_by_status().values()),
        "search": len(browse.search_vendors("خیاطی")),
        "statistics": metrics.vendors_by_status(now)[0],
        "outbox": len(notifications.find_due_ids(now + timedelta(minutes=1))),
        "outbox backlog": monitoring.outbox_backlog(now),
        "claimable": find_claimable_vendor(token, now) is not None,
        "get": db.session.get(Vendor, vendor_id) is not None,
    }


def test_readers_see_nothing_until_the_last_step(app, now, small_chunks, monkeypatch):
    seen = {}
    publish = vendor_import.publish_staged

    def look_then_publish(session, job_id):
        db.session.expunge_all()  # read from the database, not from objects already loaded
        seen["staged"] = (staged(Vendor), staged(Message))
        seen["readers"] = what_readers_see(now)
        publish(session, job_id)

    monkeypatch.setattr(vendor_import, "publish_staged", look_then_publish)
    report = imports.import_vendors(MANY.encode(), actor=None, now=now)
    assert report.ok
    assert report.created == ROWS
    assert seen["staged"] == (ROWS, ROWS)
    assert set(seen["readers"].values()) == {0}, seen["readers"]
    db.session.expunge_all()
    after = what_readers_see(now)
    assert (after["vendors"], after["messages"], after["search"], after["outbox"]) == (5, 5, 5, 5)
    assert after["claimable"]
    assert after["get"]
    assert (staged(Vendor), staged(Message)) == (0, 0)


def test_each_chunk_is_its_own_short_transaction(app, now, small_chunks, monkeypatch):
    transactions = []
    real = vendor_import.write_transaction

    def counted():
        transactions.append(1)
        return real()

    monkeypatch.setattr(vendor_import, "write_transaction", counted)
    imports.import_vendors(MANY.encode(), actor=None, now=now)
    assert len(transactions) == 3 + 1  # three chunks of at most two vendors, the last step


def test_a_failure_in_the_middle_leaves_nothing(app, now, small_chunks, monkeypatch):
    chunks = []
    real = vendor_import.run_prepared

    def breaks_on_the_second_chunk(session, prepared):
        chunks.append(prepared)
        if len(chunks) == 3:  # the second chunk's vendors (each chunk: vendors, messages)
            raise RuntimeError("disk full")
        real(session, prepared)

    monkeypatch.setattr(vendor_import, "run_prepared", breaks_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        imports.import_vendors(MANY.encode(), actor=None, now=now)
    assert (staged(Vendor), staged(Message), visible(Vendor), visible(Message)) == (0, 0, 0, 0)
    job = db.session.scalar(db.select(ImportJob).order_by(ImportJob.id.desc()))
    assert job.state == "failed"
    assert [e.code for e in imports.job_report(job).errors] == ["import.failed"]


class Killed(BaseException):
    """What SIGKILL does to a consumer: nothing after it runs (no except, no cleanup)."""


def leave_mid_way(now, monkeypatch):
    """Start an import that dies after its first chunk; return its job."""
    real = vendor_import.run_prepared
    calls = []

    def dies(session, prepared):
        calls.append(prepared)
        if len(calls) == 3:
            raise Killed
        real(session, prepared)

    monkeypatch.setattr(vendor_import, "run_prepared", dies)
    with pytest.raises(Killed):
        imports.import_vendors(MANY.encode(), actor=None, now=now)
    monkeypatch.setattr(vendor_import, "run_prepared", real)
    return db.session.scalar(db.select(ImportJob).order_by(ImportJob.id.desc()))


def test_a_job_left_mid_way_is_reaped_and_nothing_remains(app, now, small_chunks, monkeypatch):
    job = leave_mid_way(now, monkeypatch)
    assert job.state == "writing"
    assert (staged(Vendor), staged(Message)) == (2, 2)
    assert visible(Vendor) == 0
    assert imports.reap_stale_jobs(now + jobs.STALE_AFTER - timedelta(seconds=1)) == 0
    assert imports.reap_stale_jobs(now + jobs.STALE_AFTER + timedelta(seconds=1)) == 1
    db.session.refresh(job)
    assert job.state == "failed"
    assert [e.code for e in imports.job_report(job).errors] == ["import.interrupted"]
    assert (staged(Vendor), staged(Message), visible(Vendor), visible(Message)) == (0, 0, 0, 0)
    # The file can be imported again, whole.
    assert imports.import_vendors(MANY.encode(), actor=None, now=now).created == ROWS


def test_the_reaper_leaves_a_live_job_alone(app, now, small_chunks, monkeypatch):
    job = leave_mid_way(now, monkeypatch)
    later = now + jobs.STALE_AFTER * 3
    jobs._set(job.id, heartbeat_at=later - timedelta(minutes=1))  # it told a minute ago
    assert imports.reap_stale_jobs(later) == 0
    db.session.refresh(job)
    assert job.state == "writing"
    assert staged(Vendor) == 2


def test_a_reaped_job_that_wakes_up_writes_nothing_more(app, now, small_chunks, monkeypatch):
    real = vendor_import.tell_heartbeat
    told = []

    def reaped_after_the_first_chunk(session, job_id, at, *, written=None):
        told.append(written)
        if len(told) == 2:  # its consumer stalled past STALE_AFTER and was reaped
            session.execute(
                db.update(ImportJob).where(ImportJob.id == job_id).values(state="failed")
            )
        real(session, job_id, at, written=written)

    monkeypatch.setattr(vendor_import, "tell_heartbeat", reaped_after_the_first_chunk)
    with pytest.raises(staging.JobStopped):
        imports.import_vendors(MANY.encode(), actor=None, now=now)
    assert (staged(Vendor), staged(Message), visible(Vendor)) == (0, 0, 0)


@pytest.mark.parametrize("app", [{"TASKS_IMMEDIATE": False}], indirect=True)
def test_the_reaper_removes_a_stored_file(app, now):
    import io

    job = imports.queue_import(
        io.BytesIO(VENDORS.encode()), kind="vendors", filename="v.csv", actor=None, now=now
    )
    path = jobs.imports_dir() / job.stored_name
    # A consumer took it and was killed before it read the file.
    jobs._set(job.id, state="checking", started_at=now, heartbeat_at=now)
    assert path.exists()
    assert imports.reap_stale_jobs(now + timedelta(hours=1)) == 1
    assert not path.exists()


def test_the_reaper_is_a_periodic_job(app, now):
    from bazaar.tasks import PERIODIC_JOBS

    assert "stale imports" in [job.name for job in PERIODIC_JOBS]


def test_products_import_of_staged_vendors_refuses_them(app, now, small_chunks, monkeypatch):
    leave_mid_way(now, monkeypatch)
    report = imports.import_products(
        PRODUCTS.replace("V1,", "S0,").replace("V2,", "S1,").encode(), actor=None, now=now
    )
    assert {e.code for e in report.errors} == {"import.unknown_vendor"}


def test_products_import_after_a_staged_vendors_import(app, now, small_chunks):
    imports.import_vendors(VENDORS.encode(), actor=None, now=now)
    report = imports.import_products(PRODUCTS.encode(), actor=None, now=now)
    assert report.ok
    assert report.created == 2


def test_a_reimport_writes_only_the_vendors_that_changed(app, now):
    imports.import_vendors(VENDORS.encode(), actor=None, now=now)
    later = now + timedelta(days=1)
    report = imports.import_vendors(VENDORS.encode(), actor=None, now=later)
    assert (report.created, report.updated) == (0, 2)
    changed = VENDORS.replace("ترشی خانگی", "ترشی خانگی قم")
    imports.import_vendors(changed.encode(), actor=None, now=later)
    db.session.expire_all()
    rows = db.session.execute(db.select(Vendor.ref, Vendor.updated_at, Vendor.description))
    assert {ref: (at, text) for ref, at, text in rows} == {
        "V1": (later, "ترشی خانگی قم"),
        "V2": (now, "دوخت"),
    }


def test_a_reimport_keeps_the_search_index_right(app, now):
    imports.import_vendors(VENDORS.encode(), actor=None, now=now)
    # V1's description changes (its search text too), V2's licence expiry only.
    changed = VENDORS.replace("ترشی خانگی", "لیته بادمجان").replace("1406-02-01", "1407-02-01")
    imports.import_vendors(changed.encode(), actor=None, now=now)
    db.session.expire_all()
    found = {name for _id, name in browse.search_vendors("لیته")}
    assert found == {"ترشی مریم"}
    assert browse.search_vendors("ترشی خانگی") == []
    assert [name for _id, name in browse.search_vendors("دوخت")] == ["خیاطی زهرا"]
    v2 = db.session.scalar(db.select(Vendor).where(Vendor.ref == "V2"))
    assert v2.licence_expires_on == parse_date("1407-02-01")


def test_the_reaper_deletes_what_a_failed_job_left_staged(app, now, small_chunks, monkeypatch):
    job = leave_mid_way(now, monkeypatch)
    # Its failure was recorded, then the consumer was killed before the rows were deleted.
    jobs._set(job.id, state="failed")
    assert staged(Vendor) == 2
    assert imports.reap_stale_jobs(now) == 0
    assert (staged(Vendor), staged(Message)) == (0, 0)
