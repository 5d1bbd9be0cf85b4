"""The `flask` commands."""

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
