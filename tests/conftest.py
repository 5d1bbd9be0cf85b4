"""Fixtures: a fresh app and database per test, clients, and factories that fill defaults."""

import os
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import Role
from bazaar.services import accounts, reference, restrictions
from bazaar.services.bazaars import interest

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


def pytest_collection_modifyitems(config, items):
    """Skip, with its reason, a test that is by nature specific to the other database."""
    other = "sqlite_only" if config.getoption("--postgres") else "postgres_only"
    for item in items:
        marker = item.get_closest_marker(other)
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"{other}: {marker.args[0]}"))


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
        # Plain static names whether or not `make` built static files in this checkout.
        "STATIC_BUILD_DIR": "",
        # Queued tasks run at once, in the caller; tests of the queue itself turn this off.
        "TASKS_IMMEDIATE": True,
    }


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """Build the schema once with the migrations; each test gets a copy of this file."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    app = create_app(base_config(folder, f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        MIGRATION_ROWS.update(_rows_in_every_table())
        reference.seed_reference(now=NOW)
        db.engine.dispose()
    return path


def worker_database(url):
    """Give each pytest-xdist worker its own database on the server (the master keeps url)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.make_url(url)
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def migrated_postgres(request, tmp_path_factory):
    """Upgrade the PostgreSQL test database once, when --postgres is given."""
    url = request.config.getoption("--postgres")
    if url is None:
        return None
    url = worker_database(url)
    app = create_app(base_config(tmp_path_factory.mktemp("pg"), url))
    with app.app_context():
        db.session.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
        upgrade()
        MIGRATION_ROWS.update(_rows_in_every_table())
        reference.seed_reference(now=NOW)
        db.engine.dispose()
    return url


# Rows the migrations themselves insert (counters, named locks): every test starts with them.
MIGRATION_ROWS = {}


def _rows_in_every_table():
    rows = {}
    for table in db.metadata.sorted_tables:
        found = [dict(row._mapping) for row in db.session.execute(table.select())]
        if found:
            rows[table.name] = found
    return rows


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
    # Leave the next test what the SQLite template holds: what the migrations inserted, then
    # reference data.
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    for name, rows in MIGRATION_ROWS.items():
        db.session.execute(db.metadata.tables[name].insert(), rows)
    db.session.commit()
    reference.seed_reference(now=NOW)
    db.session.execute(sa.text("TRUNCATE audit_entries RESTART IDENTITY"))
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


def reference_ids(model):
    """Map codes to ids for a reference table (fields, categories, regions)."""
    return {row.code: row.id for row in db.session.execute(db.select(model.id, model.code))}


def confirmed_interest(bazaar_id, *, now, **contact):
    """Sign a contact up for a bazaar's interest list and follow its confirmation link."""
    entry, _created = interest.subscribe(bazaar_id, now=now, **contact)
    if entry.confirmed_at is None:
        interest.confirm_interest(entry.confirm_token, now=now)
    return entry


@pytest.fixture
def make_vendor(make_user):
    """Create a vendor account with a complete profile; verified unless told otherwise."""

    def make(status="verified", field="pickles-jam", county="qom", user=None, **profile):
        from datetime import date

        from bazaar.models import Field, Region, Vendor
        from bazaar.services import vendors

        user = user or make_user(role=Role.VENDOR, mobile=profile.pop("user_mobile", None))
        data = {
            "business_name": f"کسب‌وکار {user.id}",
            "owner_name": user.name,
            "mobile": f"0912{user.id:07d}",
            "county_id": reference_ids(Region)[county],
            "field_id": reference_ids(Field)[field],
            "licence_number": f"L-{user.id}",
            "licence_expires_on": date(2027, 6, 1),
            "health_id": f"H-{user.id}",
            "health_id_expires_on": date(2027, 3, 1),
            **profile,
        }
        vendor = vendors.save_profile(user, **data, now=NOW)
        if status != "draft":
            vendors.submit_profile(user, now=NOW)
        if status in ("verified", "suspended", "rejected"):
            admin = make_user(role=Role.ORGANISER)
            decision = "verify" if status in ("verified", "suspended") else "reject"
            vendors.decide_vendor(admin, vendor.id, decision, reason="آزمایشی", now=NOW)
            if status == "suspended":
                vendors.decide_vendor(admin, vendor.id, "suspend", reason="آزمایشی", now=NOW)
        return db.session.get(Vendor, vendor.id)

    return make


@pytest.fixture
def make_product(make_vendor):
    """Create a product for a (new, verified) vendor; defaults fill the rest."""

    def make(vendor=None, **fields):
        from bazaar.models import Category
        from bazaar.services import catalogue

        vendor = vendor or make_vendor()
        data = {
            "name": "ترشی لیته",
            "description": "",
            "category_id": reference_ids(Category)[fields.pop("category", "pickles")],
            "price_toman": 100_000,
            "unit": "شیشه",
            "availability": "in_stock",
            **fields,
        }
        return catalogue.save_product(vendor.user, None, catalogue.ProductData(**data), now=NOW)

    return make


@pytest.fixture
def organiser(make_user):
    """An organiser account."""
    return make_user(role=Role.ORGANISER, name="برگزارکننده")


@pytest.fixture
def make_bazaar(organiser):
    """Create (and by default publish) a bazaar in Qom county on 1405/09/19 (10 December 2026)."""

    def make(
        county="qom", day=None, stalls=None, mode="first_come", publish=True, window=True, **fields
    ):
        from datetime import date, time, timedelta

        from bazaar.models import Region
        from bazaar.services.bazaars import planning

        day = day or date(2026, 12, 10)
        data = planning.BazaarData(
            title=fields.pop("title", "بازارچهٔ غذای خانگی"),
            venue_name=fields.pop("venue_name", "بوستان علوی"),
            county_id=reference_ids(Region)[county],
            day=day,
            start=time(10, 0),
            end=time(18, 0),
            applications_open_on=(day - timedelta(days=60)) if window else None,
            applications_close_on=(day - timedelta(days=5)) if window else None,
            allocation_mode=mode,
            **fields,
        )
        stall_types = stalls or [
            planning.StallTypeData("غرفهٔ غذا", 3, 500_000, True),
            planning.StallTypeData("میز صنایع دستی", 5, None, False),
        ]
        bazaar = planning.create_bazaar(organiser, data, stall_types, now=NOW)
        if publish:
            planning.publish_bazaar(organiser, bazaar.id, now=NOW)
        return bazaar

    return make


@pytest.fixture
def make_restriction(organiser):
    """Record a restriction for a county (or the province with county=None)."""

    def make(county="qom", starts_on=None, ends_on=None, reference="۱۴۰۵/ق/۱۲", now=None):
        from datetime import date

        from bazaar.models import Region

        data = restrictions.RestrictionData(
            body="ستاد ملی مدیریت بیماری",
            reference=reference,
            decided_on=date(2026, 10, 20),
            region_id=reference_ids(Region)[county] if county else None,
            starts_on=starts_on or date(2026, 10, 22),
            ends_on=ends_on,
        )
        return restrictions.record_restriction(organiser, data, now=now or NOW)

    return make


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A private Redis server for the tests that share state between app servers."""
    if os.environ.get("BAZAAR_REDIS_URL"):
        yield os.environ["BAZAAR_REDIS_URL"]
        return
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: run scripts/test-deps.sh (make test does)")
    folder = tmp_path_factory.mktemp("redis")
    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [
                *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    yield f"redis://127.0.0.1:{port}/0"
                    server.terminate()
                    server.wait(timeout=10)
                    return
            if server.poll() is not None:
                break
            time.sleep(0.1)
        server.kill()
        server.wait(timeout=10)
    pytest.fail("Redis did not start")


class FakeSMTP:
    """An SMTP server stand-in: records the servers dialled and the messages sent.

    `refuse(email)` returning True makes sending that message raise, as a library would for a
    header it cannot write.
    """

    def __init__(self):
        self.servers, self.sent, self.refuse = [], [], lambda email: False

    def __call__(self, host, port, timeout):
        self.servers.append((host, port))
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, email):
        if self.refuse(email):
            raise ValueError("a header the server library cannot write")
        self.sent.append(email)


@pytest.fixture
def smtp(app, monkeypatch):
    """Deliver email through a FakeSMTP (MAIL_BACKEND=smtp); return it."""
    from bazaar.services import delivery

    server = FakeSMTP()
    monkeypatch.setattr(delivery.smtplib, "SMTP", server)
    app.config["MAIL_BACKEND"] = "smtp"
    return server


@pytest.fixture
def team(make_user):
    """A chair and a colleague on one committee, and an organiser outside it."""
    chair = make_user(role=Role.ORGANISER, name="رئیس", locale="en")
    colleague = make_user(role=Role.ORGANISER, name="همکار", locale="en")
    outsider = make_user(role=Role.ORGANISER, name="بیرونی")
    from bazaar.services import committees

    committee = committees.create_committee(
        chair,
        name="کمیتهٔ بازارچه‌ها",
        mandate="برنامه‌ریزی",
        chair_id=chair.id,
        member_ids=[colleague.id],
        now=NOW,
    )
    return chair, colleague, outsider, committee


@pytest.fixture
def my_committee(make_user, login_as):
    """Me (a signed-in organiser) and a colleague on one committee: (me, colleague, committee)."""
    from bazaar.services import committees

    me = login_as(Role.ORGANISER, name="من")
    colleague = make_user(role=Role.ORGANISER, name="همکار")
    committee = committees.create_committee(
        me, name="کمیته", mandate="m", chair_id=me.id, member_ids=[colleague.id], now=NOW
    )
    return me, colleague, committee
