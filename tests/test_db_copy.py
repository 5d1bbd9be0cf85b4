"""`flask db-copy`: a SQLite pilot's rows copied whole into an empty PostgreSQL database."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import Category, Counter, FollowUp, Product, Role, StallType, User
from bazaar.models.types import utcnow
from bazaar.services import catalogue, notifications, reference, search, search_index, stalls
from bazaar.services.followups import service as followups
from tests.conftest import base_config, reference_ids
from tests.servers import make_vendors, published_bazaar

pytestmark = pytest.mark.postgres_only("the copy's target is the suite's PostgreSQL server")


def normalised(value):
    """A value as text that is the same whichever database it was read from."""
    if isinstance(value, datetime):
        return value.astimezone().isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return str(int(value))
    return repr(value)


def fingerprint():
    """Every table's row count and a SHA-256 of its rows in primary-key order."""
    prints = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
        digest, count = hashlib.sha256(), 0
        for row in rows:
            digest.update("\x1f".join(normalised(value) for value in row).encode() + b"\x1e")
            count += 1
        prints[table.name] = (count, digest.hexdigest())
    return prints


def add_activity(now):
    """Applications, messages and follow-up comments and reminders on top of the demo data."""
    bazaar = published_bazaar(3, title="copy")
    stall_type = db.session.scalar(sa.select(StallType).where(StallType.bazaar_id == bazaar.id))
    category = reference_ids(Category)["pickles"]
    user_ids = make_vendors(current_app, 5)
    vendors = db.session.scalars(sa.select(User).where(User.id.in_(user_ids))).all()
    for user in vendors:  # three allocated, two waiting
        stalls.apply_for_stall(user, bazaar.id, stall_type.id, [category], "یادداشت", now=now)
    for product in db.session.scalars(sa.select(Product).limit(4)).all():
        catalogue.send_inquiry(
            product.vendor_id,
            sender="مریم",
            contact="09120000000",
            text="سلام",
            subject="s",
            now=now,
        )
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    followup = db.session.scalar(sa.select(FollowUp).limit(1))
    followups.comment(admin, followup.id, "پیگیری شد.", now=now)
    followups.remind(now=now)
    notifications.send_due_messages(now)


@pytest.fixture
def target(migrated_postgres):
    """An empty scratch database on the suite's PostgreSQL server; dropped afterwards."""
    url = sa.make_url(migrated_postgres)
    name = f"{url.database}_copy"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pilot(tmp_path):
    """A SQLite instance with demo data and activity; yields its app."""
    source = create_app(base_config(tmp_path / "pilot", f"sqlite:///{tmp_path / 'pilot.sqlite'}"))
    with source.app_context():
        upgrade()
        now = utcnow()
        reference.seed_reference(now=now)
        result = source.test_cli_runner().invoke(
            args=["seed-demo", "--vendors", "30", "--products", "120"]
        )
        assert result.exit_code == 0, result.output
        add_activity(now)
        # The rows test helpers inserted get their search text, as the copy's rebuild gives them.
        search_index.reindex_all()
        yield source
        db.session.remove()
        db.engine.dispose()


def test_db_copy_copies_every_row_of_every_table(pilot, target, tmp_path):
    before = fingerprint()
    assert before["applications"][0] >= 6
    assert before["messages"][0] > 10
    assert before["followup_events"][0] >= 1
    assert before["products"][0] >= 120
    result = pilot.test_cli_runner().invoke(args=["db-copy", "--to", target])
    assert result.exit_code == 0, result.output
    assert fingerprint() == before  # the source is as it was

    versions = dict(db.session.execute(sa.select(Counter.name, Counter.value)).all())
    copy = create_app(base_config(tmp_path / "copy", target))
    with copy.app_context():
        copied = fingerprint()
        # Rebuilding the search index marks cached catalogue pages stale: the one difference.
        counters = dict(db.session.execute(sa.select(Counter.name, Counter.value)).all())
        assert counters.pop("catalogue") > versions.pop("catalogue")
        assert counters == versions
        assert {**copied, "counters": None} == {**before, "counters": None}
        # Sequences are past the copied ids, and the search finds copied products.
        user = User(
            email="new@example.com", name="n", password_hash="x", role="citizen", locale="fa",
            session_version=1, created_at=utcnow(),
        )  # fmt: skip
        db.session.add(user)
        db.session.commit()
        assert user.id > max(db.session.scalars(sa.select(User.id).where(User.id != user.id)))
        first = db.session.scalars(sa.select(Product).order_by(Product.id).limit(1)).one()
        terms = search.query_terms(first.name.split()[0])
        found = db.session.execute(search.match_ids("products", terms, ranked=False)).all()
        assert first.id in {row.id for row in found}
        db.session.remove()
        db.engine.dispose()


def test_db_copy_refuses_a_database_that_has_tables(pilot, migrated_postgres):
    result = pilot.test_cli_runner().invoke(args=["db-copy", "--to", migrated_postgres])
    assert result.exit_code == 1
    assert "The target database is not empty" in result.output


def test_db_copy_refuses_a_target_that_is_not_postgresql(pilot, tmp_path):
    result = pilot.test_cli_runner().invoke(
        args=["db-copy", "--to", f"sqlite:///{tmp_path / 'x.sqlite'}"]
    )
    assert result.exit_code == 1
    assert "must be a PostgreSQL URL" in result.output
