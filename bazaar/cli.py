"""`flask` commands: thin wrappers over the services."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from bazaar.errors import DomainError
from bazaar.models import Role
from bazaar.models.accounts import count_users
from bazaar.models.types import utcnow
from bazaar.services import accounts, demo, notifications


@click.command("create-user")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default=Role.CITIZEN.value
)
@click.option("--email", default=None, help="Email address (this or --mobile is required).")
@click.option("--mobile", default=None, help="Iranian mobile number, 09xxxxxxxxx.")
@click.option("--name", default=None, help="Display name (defaults to the email or mobile).")
@click.option("--locale", type=click.Choice(["fa", "en"]), default="fa")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(role, email, mobile, name, locale, password_stdin):
    """Create an account; the password comes from a prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.register_user(
            name=name or email or mobile or "",
            email=email,
            mobile=mobile,
            password=password,
            role=role,
            locale=locale,
            now=utcnow(),
        )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role} account #{user.id} ({user.identifier}).")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
@with_appcontext
def seed_demo(if_empty):
    """Load the demo accounts (and later the demo marketplace)."""
    if if_empty and count_users() > 0:
        click.echo("The database already has data; demo data not loaded.")
        return
    created = demo.seed_demo(now=utcnow(), echo=click.echo)
    click.echo(f"Demo data loaded: {created} accounts.")


@click.group("notifications")
def notifications_group():
    """Deliver the notifications outbox."""


@notifications_group.command("send")
@with_appcontext
def send_notifications():
    """Deliver every due message once; failures are retried later with back-off."""
    counts = notifications.send_due_messages(
        utcnow(),
        progress=lambda message_id, error: click.echo(f"message {message_id}: {error or 'sent'}"),
    )
    click.echo(
        f"sent {counts['sent']}, will retry {counts['retry']}, failed {counts['failed']} "
        f"(backend: {current_app.config['MAIL_BACKEND']})"
    )


commands = [create_user, seed_demo, notifications_group]
