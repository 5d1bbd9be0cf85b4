"""/healthz and /readyz: what load balancers and monitors are told."""

from pathlib import Path

import pytest

from tests.servers import free_port


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "redis": "not configured", "task queue": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.sqlite_only("the unreachable database is a SQLite path the app cannot open")
@pytest.mark.parametrize(
    "app",
    [{"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent/folder/bazaar.sqlite"}],
    indirect=True,
)
def test_readyz_answers_503_naming_the_database_when_it_is_down(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["failing"] == ["database"]
    # Why it failed is logged, not told to whoever asks.
    assert "nonexistent" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "app", [{"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}], indirect=True
)
def test_readyz_answers_503_naming_redis_when_configured_and_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["redis"]
    assert response.json["checks"]["database"] == "ok"


@pytest.mark.parametrize(
    "app",
    [{"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "TASKS_IMMEDIATE": False}],
    indirect=True,
)
def test_readyz_names_the_task_queue_when_its_redis_storage_is_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["redis", "task queue"]


@pytest.mark.parametrize("app", [{"TASKS_IMMEDIATE": False}], indirect=True)
def test_readyz_reads_the_embedded_task_queue(app, client):
    assert client.get("/readyz").json["checks"]["task queue"] == "ok"
    assert (Path(app.instance_path) / "tasks.sqlite").exists()
