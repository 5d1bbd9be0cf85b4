"""Request ids: echoed, kept from a sane proxy, on every log line and on error pages."""

import json
import logging
import re

import pytest

from bazaar import create_app
from tests.conftest import base_config

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def failing_app(tmp_path, migrated_sqlite):
    """An app with a view that fails, as a bug would (a 500 page and a logged traceback)."""

    def make(**config):
        import shutil

        path = tmp_path / "bazaar.sqlite"
        shutil.copy(migrated_sqlite, path)
        app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), **config})

        @app.get("/broken")
        def broken():
            logging.getLogger("bazaar.test").info("about to fail")
            raise RuntimeError("a bug")

        return app

    return make


def test_every_response_carries_a_generated_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert GENERATED.fullmatch(first)
    assert GENERATED.fullmatch(second)
    assert first != second


def test_a_sane_incoming_request_id_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-4f2a9c1e-77"})
    assert response.headers["X-Request-ID"] == "edge-4f2a9c1e-77"


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 129, "id with spaces", "id\r\nX-Injected: 1", 'id"<script>', "شناسه-۱۲۳۴۵۶"],
)
def test_an_odd_incoming_request_id_is_replaced(client, incoming):
    # Straight into the WSGI environ: a test client refuses to send some of these itself.
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": incoming})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


def test_error_pages_show_the_request_id(client):
    response = client.get("/no/such/page", headers={"X-Request-ID": "probe-1234567"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "probe-1234567"
    page = response.get_data(as_text=True)
    assert '<code dir="ltr" data-testid="request-id">probe-1234567</code>' in page
    assert "کد پیگیری برای دبیرخانه" in page


def test_a_500_names_its_request_id_on_the_page_and_in_every_log_line(failing_app, capsys):
    client = failing_app(TESTING=False).test_client()
    response = client.get("/broken", headers={"X-Request-ID": "trace-0123456789"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "trace-0123456789"
    assert "trace-0123456789" in response.get_data(as_text=True)
    lines = [line for line in capsys.readouterr().err.splitlines() if " [" in line]
    ours = [line for line in lines if "about to fail" in line or "Exception on /broken" in line]
    assert len(ours) == 2
    assert all("[trace-0123456789]" in line for line in ours)


def test_json_logs_are_one_object_a_line_with_the_request_id(failing_app, capsys):
    client = failing_app(TESTING=False, LOG_FORMAT="json").test_client()
    client.get("/broken", headers={"X-Request-ID": "trace-json-0001"})
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    mine = [r for r in records if r.get("name") == "bazaar.test"]
    assert mine == [
        {
            "time": mine[0]["time"],
            "level": "INFO",
            "name": "bazaar.test",
            "request_id": "trace-json-0001",
            "message": "about to fail",
        }
    ]
    failure = next(r for r in records if r["message"].startswith("Exception on /broken"))
    assert failure["request_id"] == "trace-json-0001"
    assert "RuntimeError" in failure["exc_info"]


def test_log_lines_outside_a_request_say_so(app, capsys):
    logging.getLogger("bazaar.test").warning("from the command line")
    assert "WARNING [-] bazaar.test: from the command line" in capsys.readouterr().err


def test_one_log_handler_however_many_apps_are_built(app, tmp_path):
    create_app(base_config(tmp_path / "second", "sqlite://"))
    assert [h.name for h in logging.getLogger().handlers].count("bazaar") == 1
