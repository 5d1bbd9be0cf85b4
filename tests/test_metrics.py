"""/metrics: Prometheus figures for allowed addresses only, 404 for everyone else."""

from datetime import timedelta

import pytest

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import Message
from bazaar.models.types import utcnow
from bazaar.queue import get_huey
from tests.conftest import base_config


def scrape(client, address="127.0.0.1", **kwargs):
    return client.get("/metrics", environ_overrides={"REMOTE_ADDR": address}, **kwargs)


def sample(text, name, **labels):
    """The value of one sample in Prometheus's text format, or None."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = line[len(name) :].rsplit(" ", 1)
            if all(f'{k}="{v}"' in found[0] for k, v in labels.items()):
                return float(found[1])
    return None


def test_loopback_reads_latency_by_endpoint(client):
    client.get("/healthz")
    client.get("/catalogue/")
    response = scrape(client)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    count = "flask_http_request_duration_seconds_count"
    assert sample(text, count, endpoint="health.healthz", status="200") == 1
    assert sample(text, count, endpoint="catalogue.index", status="200") == 1
    assert sample(text, "flask_http_request_duration_seconds_bucket", endpoint="health.healthz")
    # The scrape itself is not measured.
    assert 'endpoint="metrics"' not in text


@pytest.mark.parametrize("address", ["203.0.113.9", "10.0.0.5", "::ffff:8.8.8.8"])
def test_other_addresses_get_a_404(client, address):
    response = scrape(client, address)
    assert response.status_code == 404
    assert "flask_http" not in response.get_data(as_text=True)


@pytest.mark.parametrize("app", [{"METRICS_ALLOWED_IPS": ["10.20.0.0/16", "::1"]}], indirect=True)
def test_allowed_networks_are_configurable(client):
    assert scrape(client, "10.20.3.4").status_code == 200
    assert scrape(client, "::1").status_code == 200
    assert scrape(client, "127.0.0.1").status_code == 404
    assert scrape(client, "::ffff:10.20.9.9").status_code == 200


@pytest.mark.parametrize("app", [{"PROXY_FIX_X_FOR": 1}], indirect=True)
def test_behind_a_proxy_the_forwarded_client_is_checked_not_the_proxy(client):
    # The proxy on loopback forwards a request from outside: refused.
    outside = scrape(client, headers={"X-Forwarded-For": "198.51.100.7"})
    assert outside.status_code == 404
    # A scrape from the machine itself, through the proxy: allowed.
    assert scrape(client, headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


def test_a_forged_forwarded_for_is_ignored_when_no_proxy_is_trusted(client):
    response = scrape(client, "203.0.113.9", headers={"X-Forwarded-For": "127.0.0.1"})
    assert response.status_code == 404


def test_server_errors_are_counted_by_status_and_endpoint(tmp_path, migrated_sqlite):
    import shutil

    path = tmp_path / "bazaar.sqlite"
    shutil.copy(migrated_sqlite, path)
    app = create_app(base_config(tmp_path, f"sqlite:///{path}") | {"TESTING": False})

    @app.get("/broken")
    def broken():
        raise RuntimeError("a bug")

    client = app.test_client()
    for _ in range(3):
        assert client.get("/broken").status_code == 500
    text = scrape(client).get_data(as_text=True)
    assert sample(text, "flask_http_request_total", method="GET", status="500") == 3
    count = "flask_http_request_duration_seconds_count"
    assert sample(text, count, endpoint="broken", status="500") == 3


def test_outbox_gauges_are_read_when_scraped(app, client):
    created = utcnow() - timedelta(minutes=10)
    for _ in range(2):
        db.session.add(
            Message(
                subject="s",
                body="b",
                recipient="a@example.com",
                created_at=created,
                next_attempt_at=created,
            )
        )
    db.session.commit()
    text = scrape(client).get_data(as_text=True)
    assert sample(text, "bazaar_outbox_backlog") == 2
    assert 600 <= sample(text, "bazaar_outbox_oldest_unsent_seconds") < 700


@pytest.mark.parametrize("app", [{"TASKS_IMMEDIATE": False}], indirect=True)
def test_task_queue_depth_is_read_when_scraped(app, client):
    assert sample(scrape(client).get_data(as_text=True), "bazaar_task_queue_depth") == 0
    huey = get_huey(app)
    nothing = huey.task(name="nothing")(lambda: None)
    for _ in range(3):
        nothing()  # queued: no consumer runs in this test
    assert sample(scrape(client).get_data(as_text=True), "bazaar_task_queue_depth") == 3


def test_several_gunicorn_workers_report_their_sum(app, tmp_path):
    """Multiprocess mode: whichever worker answers the scrape counts every worker's requests."""
    from tests.servers import gunicorn, send, server_env

    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**server_env(app), "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    with gunicorn(env, workers=2) as (port, _server):
        for _ in range(40):
            assert send(port, "GET", "/healthz")[0] == 200
        counts = set()
        for _ in range(6):
            status, _, _, text = send(port, "GET", "/metrics")
            assert status == 200
            counts.add(
                sample(
                    text,
                    "flask_http_request_duration_seconds_count",
                    endpoint="health.healthz",
                )
            )
    # Every scrape sees all 40 (more, counting the server's start-up probes of /healthz).
    assert len(counts) == 1
    assert counts.pop() >= 40
    # Both workers keep their figures there (each wrote its exporter_info gauge on start).
    assert len(list(folder.glob("gauge_*.db"))) == 2
