"""The organisers' import page."""

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from bazaar.extensions import db
from bazaar.models import ImportJob, Role, Vendor
from tests.services.test_imports import VENDOR_HEADER, VENDORS


def upload(client, kind, text):
    data = {"kind": kind, "file": (io.BytesIO(text.encode("utf-8")), "list.csv")}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def post_closing(client, path, data):
    """Post a large multipart body encoded in memory (the test client's own would be a
    temporary file nobody closes)."""
    fields = {
        key: FileStorage(value[0], value[1]) if isinstance(value, tuple) else value
        for key, value in data.items()
    }
    stream, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        path, data=stream.getvalue(), content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_organiser_imports_vendors(client, login_as):
    login_as(Role.ORGANISER)
    assert "vendor_ref" in client.get("/imports/").get_data(as_text=True)
    response = upload(client, "vendors", VENDORS)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "۲ سطر وارد شد" in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops reloading
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 2
    assert "list.csv" in client.get("/imports/").get_data(as_text=True)  # in recent imports


def test_bad_file_shows_every_problem_in_the_users_language(client, login_as):
    login_as(Role.ORGANISER)
    client.get("/language/en")
    response = upload(client, "vendors", VENDOR_HEADER + "V1,x,y,123,Nowhere,sewing,,,,,,\n")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "“123” is not an Iranian mobile number." in page
    assert "“Nowhere” matches no name" in page
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


@pytest.mark.parametrize("data", [b"\xff\xfe\x00 not text", b"vendor_ref,name\nV1,x\n"])
def test_unreadable_files_are_reported_on_the_job_page(client, login_as, data):
    login_as(Role.ORGANISER)
    client.get("/language/en")
    response = client.post(
        "/imports/",
        data={"kind": "vendors", "file": (io.BytesIO(data), "bad.csv")},
        content_type="multipart/form-data",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported" in page
    assert ("not UTF-8" in page) or ("lacks these columns" in page)


def test_a_queued_import_shows_its_progress_and_reloads(client, login_as, app):
    app.extensions["huey"].immediate = False  # queued, not run: a consumer would take it
    login_as(Role.ORGANISER)
    client.get("/language/en")
    response = upload(client, "vendors", VENDORS)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page
    assert "Waiting to start" in page
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


def test_a_file_over_32_mb_is_refused_with_a_clear_message(client, login_as):
    login_as(Role.ORGANISER)
    client.get("/language/en")
    big = io.BytesIO(VENDORS.encode() + b"x" * (33 * 1024 * 1024))
    response = post_closing(client, "/imports/", {"kind": "vendors", "file": (big, "big.csv")})
    assert response.status_code == 413
    assert "at most 32 MB" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ImportJob.id))) == 0


def test_a_file_just_over_the_limit_is_refused_after_streaming(client, login_as, app):
    # Inside the request limit (file + form margin) but over the file limit: the service says so.
    app.config["IMPORT_MAX_BYTES"] = 1024 * 1024
    login_as(Role.ORGANISER)
    client.get("/language/en")
    big = io.BytesIO(VENDORS.encode() + b"x" * (1024 * 1024 + 10))
    response = post_closing(client, "/imports/", {"kind": "vendors", "file": (big, "big.csv")})
    assert response.status_code == 413
    assert "Import files may be at most 1 MB" in response.get_data(as_text=True)
    assert list((Path(app.instance_path) / "imports").iterdir()) == []


def test_other_uploads_keep_the_5_mb_limit(client, login_as):
    login_as(Role.VENDOR)
    big = io.BytesIO(b"x" * (7 * 1024 * 1024))
    response = post_closing(client, "/catalogue/products/new", {"photo": (big, "p.jpg")})
    assert response.status_code == 413
    assert "5 MB" in response.get_data(as_text=True) or "۵" in response.get_data(as_text=True)


def test_an_unknown_import_is_404(client, login_as):
    login_as(Role.ORGANISER)
    assert client.get("/imports/999").status_code == 404


def test_import_without_a_file_is_a_clear_error(client, login_as):
    login_as(Role.ORGANISER)
    response = client.post("/imports/", data={"kind": "vendors"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_import_is_for_organisers(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/1").status_code == 403


def test_cli_import_reports_and_fails_on_bad_rows(runner, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(VENDORS, encoding="utf-8-sig")
    bad.write_text(VENDOR_HEADER + "V1,x,y,123,قم,sewing,,,,,,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "vendors", str(bad)])
    assert result.exit_code == 1
    assert "row 2, mobile" in result.output
    result = runner.invoke(args=["import", "vendors", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    products = tmp_path / "products.csv"
    products.write_text(
        "vendor_ref,product_ref,name,description,category,price_toman,unit,availability\n"
        "V1,P1,ترشی,,pickles,۵۰٬۰۰۰,شیشه,\n",
        encoding="utf-8",
    )
    assert "1 new" in runner.invoke(args=["import", "products", str(products)]).output


def test_an_interrupted_import_says_so_and_that_nothing_was_imported(client, login_as, app, now):
    from datetime import timedelta

    from bazaar.services import imports

    app.extensions["huey"].immediate = False  # queued; a consumer takes it and is killed
    login_as(Role.ORGANISER)
    location = upload(client, "vendors", VENDORS).headers["Location"]
    job = db.session.scalar(db.select(ImportJob).order_by(ImportJob.id.desc()))
    imports.jobs._set(job.id, state="checking", started_at=now, heartbeat_at=now)
    assert imports.reap_stale_jobs(now + timedelta(hours=1)) == 1
    page = client.get(location).get_data(as_text=True)
    assert "ورود داده نیمه‌کاره ماند" in page
    assert 'http-equiv="refresh"' not in page
    client.get("/language/en")
    assert "interrupted" in client.get(location).get_data(as_text=True)
