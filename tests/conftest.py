"""Fixtures: a fresh app and database per test, clients, and factories that fill defaults."""

import shutil
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import Role
from bazaar.services import accounts

PASSWORD = "correct horse battery"
# A cheap hash keeps the suite fast; test_passwords checks the production default separately.
FAST_HASH = "pbkdf2:sha256:1000"
NOW = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        default=None,
        metavar="URL",
        help="Run against this PostgreSQL database instead of a SQLite file per test.",
    )


def base_config(tmp_path, database_uri):
    """Return the configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-0123456789",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """Build the schema once with the migrations; each test gets a copy of this file."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    app = create_app(base_config(folder, f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(request):
    """Upgrade the PostgreSQL test database once, when --postgres is given."""
    url = request.config.getoption("--postgres")
    if url is None:
        return None
    app = create_app(base_config(request.config.cache.mkdir("pg"), url))
    with app.app_context():
        db.session.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        db.engine.dispose()
    return url


class Client(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The test itself runs inside an app context; without this, requests would share its `g`
    (and Flask-Login's cached user) and its database session.
    """

    def open(self, *args, **kwargs):
        # End the test's read snapshot: what the request writes is visible to the test after.
        db.session.rollback()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response


@pytest.fixture
def app(tmp_path, migrated_sqlite, migrated_postgres, request):
    """Create an app with its own empty, migrated database."""
    extra = getattr(request, "param", None) or {}
    if migrated_postgres:
        uri = migrated_postgres
    else:
        path = tmp_path / "bazaar.sqlite"
        shutil.copy(migrated_sqlite, path)
        uri = f"sqlite:///{path}"
    app = create_app({**base_config(tmp_path, uri), **extra})
    app.test_client_class = Client
    with app.app_context():
        yield app
        db.session.remove()
        if migrated_postgres:
            _truncate_all()
        db.engine.dispose()


def _truncate_all():
    tables = ", ".join(table.name for table in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def now():
    """A fixed moment, passed to rules as `now`."""
    return NOW


@pytest.fixture
def make_user(app):
    """Create a user; defaults fill whatever is not given."""
    counter = iter(range(1, 10_000))

    def make(role=Role.CITIZEN, email=None, mobile=None, password=PASSWORD, name=None, locale="fa"):
        n = next(counter)
        if email is None and mobile is None:
            email = f"user{n}@example.com"
        return accounts.register_user(
            name=name or f"User {n}",
            email=email,
            mobile=mobile,
            password=password,
            role=role,
            locale=locale,
            now=NOW,
        )

    return make


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, identifier, password=PASSWORD, next_url=None):
        url = "/accounts/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, data={"identifier": identifier, "password": password})

    def logout(self):
        return self.client.post("/accounts/logout")


@pytest.fixture
def auth(client):
    """Sign the test client in and out."""
    return AuthActions(client)


@pytest.fixture
def login_as(make_user, auth):
    """Create a user with `role` and sign the test client in as them."""

    def login(role=Role.CITIZEN, **kwargs):
        user = make_user(role=role, **kwargs)
        response = auth.login(user.identifier)
        assert response.status_code == 302
        return user

    return login
