"""The `flask` commands."""

import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.models import Message, User
from bazaar.services import accounts
from bazaar.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def test_create_user_reads_password_from_stdin(runner, now):
    result = runner.invoke(
        args=[
            "create-user",
            "--role",
            "organiser",
            "--email",
            "org@example.com",
            "--password-stdin",
        ],
        input="a long organiser passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert (user.role, user.email) == ("organiser", "org@example.com")
    assert accounts.authenticate("org@example.com", "a long organiser passphrase", now=now)


def test_create_user_prompts_for_password_twice(runner):
    result = runner.invoke(
        args=["create-user", "--mobile", "۰۹۱۲۱۲۳۴۵۶۷"],
        input="prompted passphrase\nprompted passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User.mobile)) == "09121234567"


def test_create_user_refuses_bad_input_with_a_message(runner):
    result = runner.invoke(
        args=["create-user", "--email", "nope", "--password-stdin"], input="x" * 12 + "\n"
    )
    assert result.exit_code == 1
    assert "Error" in result.output
    result = runner.invoke(
        args=["create-user", "--email", "a@b.ir", "--password-stdin"], input="123456789\n"
    )
    assert result.exit_code == 1
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_seed_demo_creates_the_readme_accounts_once(runner, now):
    result = runner.invoke(args=["seed-demo", "--if-empty", "--vendors", "3", "--products", "6"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already has data" in result.output
    for _, email, mobile, role in DEMO_ACCOUNTS:
        user = accounts.authenticate(email, DEMO_PASSWORD, now=now)
        assert (user.role, user.mobile) == (role.value, mobile)


def test_notifications_send_delivers_and_reports(runner, make_user):
    make_user()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0
    assert "sent 1" in result.output
    assert db.session.scalar(db.select(Message.status)) == "sent"
    assert "sent 0" in runner.invoke(args=["notifications", "send"]).output


def test_release_due_and_tick_are_idempotent(runner, make_bazaar, make_restriction):
    from datetime import date

    # Held at the fixtures' NOW (20 Nov 2026); the commands run on the real clock, after the
    # restriction's last day (25 Nov 2026), so the first run releases it and the next finds nothing.
    make_restriction(ends_on=date(2026, 11, 25))
    make_bazaar(day=date(2026, 11, 24))
    first = runner.invoke(args=["bazaars", "release-due"])
    assert first.exit_code == 0, first.output
    assert "1 bazaars released" in first.output
    second = runner.invoke(args=["bazaars", "release-due"])
    assert "0 bazaars released" in second.output
    assert runner.invoke(args=["stalls", "expire-due"]).exit_code == 0
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0
    assert "released 0" in result.output


def test_after_seed_demo_every_table_takes_new_rows(runner, make_vendor, make_product):
    """Demo rows come with explicit ids; the next ordinary insert must not collide (PostgreSQL)."""
    result = runner.invoke(args=["seed-demo", "--vendors", "5", "--products", "10"])
    assert result.exit_code == 0, result.output
    for table in db.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not isinstance(column.type, sa.Integer):
            continue
        highest = db.session.scalar(sa.select(sa.func.max(column))) or 0
        if db.engine.dialect.name == "postgresql":
            sequence = sa.text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))")
            assert db.session.scalar(sequence) > highest, table.name
    db.session.rollback()
    product = make_product(vendor=make_vendor())
    assert product.id > 10
