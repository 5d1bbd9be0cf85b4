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
