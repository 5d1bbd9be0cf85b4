"""Configuration layers and the secret key."""

import pytest

from bazaar import create_app


def make(tmp_path, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), **config})


def test_secret_key_is_generated_once_into_instance(tmp_path):
    first = make(tmp_path).config["SECRET_KEY"]
    second = make(tmp_path).config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("key", ["dev", "changeme", "short"])
def test_known_or_short_secret_key_is_refused_outside_tests(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        make(tmp_path, SECRET_KEY=key)


def test_instance_config_then_environment_then_test_mapping(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'PROVINCE = "isfahan"\nITEMS_PER_PAGE = 5\nMAIL_FROM = "a@b"\n'
    )
    monkeypatch.setenv("FLASK_ITEMS_PER_PAGE", "7")
    monkeypatch.setenv("FLASK_MAIL_FROM", "env@b")
    app = make(tmp_path, MAIL_FROM="test@b")
    assert (app.config["PROVINCE"], app.config["ITEMS_PER_PAGE"], app.config["MAIL_FROM"]) == (
        "isfahan",
        7,
        "test@b",
    )


def test_default_database_is_sqlite_in_instance(tmp_path):
    app = make(tmp_path)
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path / 'instance' / 'bazaar.sqlite'}"
    )


def test_uploads_default_to_instance_and_follow_the_environment(tmp_path, monkeypatch):
    assert make(tmp_path).config["UPLOADS_DIR"] == str(tmp_path / "instance" / "uploads")
    monkeypatch.setenv("FLASK_UPLOADS_DIR", str(tmp_path / "volume"))
    assert make(tmp_path).config["UPLOADS_DIR"] == str(tmp_path / "volume")


def test_trusted_hosts_default_to_local_names_and_the_public_address(tmp_path):
    app = make(tmp_path, PUBLIC_BASE_URL="https://bazaar.qom.example:8443")
    assert app.config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost", "bazaar.qom.example"]
    # The module default itself is left alone for the next app.
    assert make(tmp_path).config["TRUSTED_HOSTS"] == ["127.0.0.1", "localhost"]


def test_a_forged_host_is_refused(tmp_path):
    app = make(tmp_path, TESTING=True, SECRET_KEY="test-secret-key-0123456789")
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.data


def test_proxy_fix_is_off_unless_configured(tmp_path):
    app = make(tmp_path, TESTING=True, SECRET_KEY="test-secret-key-0123456789")
    with app.test_request_context(headers={"X-Forwarded-Proto": "https"}):
        from flask import request

        assert not request.is_secure
    assert "ProxyFix" not in type(app.wsgi_app).__name__
