"""`flask` commands: thin wrappers over the services."""

import logging
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from bazaar.cli_ops import commands as operator_commands
from bazaar.errors import DomainError
from bazaar.models import Role
from bazaar.models.accounts import count_users
from bazaar.models.types import utcnow
from bazaar.progress import terminal_progress
from bazaar.queue import get_huey
from bazaar.services import (
    accounts,
    demo,
    imports,
    notifications,
    reference,
    search_index,
    stalls,
    vendors,
)
from bazaar.services.bazaars import gate
from bazaar.services.followups import service as followups
from bazaar.tasks import run_periodic_jobs


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


@click.command("seed-reference")
@click.option(
    "--regions",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON of counties and districts.",
)
@with_appcontext
def seed_reference(regions):
    """Create or update the fields, categories and the province's regions (idempotent)."""
    created = reference.seed_reference(now=utcnow(), regions=regions)
    click.echo(f"Reference data ready ({created} new items).")


@click.command("search-reindex")
@with_appcontext
def search_reindex():
    """Recompute every product's and vendor's search text and rebuild the index."""
    with terminal_progress("Reindexing") as progress:
        counts = search_index.reindex_all(progress=progress)
    click.echo(f"Reindexed {counts['vendors']} vendors and {counts['products']} products.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
@click.option(
    "--vendors", type=click.IntRange(0, 1_000_000), default=demo.DEFAULT_VENDORS, show_default=True
)
@click.option(
    "--products",
    type=click.IntRange(0, 10_000_000),
    default=demo.DEFAULT_PRODUCTS,
    show_default=True,
)
@with_appcontext
def seed_demo(if_empty, vendors, products):
    """Load the demo accounts and a realistic Persian catalogue."""
    if if_empty and count_users() > 0:
        click.echo("The database already has data; demo data not loaded.")
        return
    started = time.monotonic()
    with terminal_progress("Seeding") as progress:
        echo = click.echo if progress is None else lambda line: progress(advance=1)
        created = demo.seed_demo(now=utcnow(), echo=echo, vendors=vendors, products=products)
    click.echo(f"Demo data loaded: {created} accounts, in {time.monotonic() - started:.1f} s.")


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


@click.group("import")
def import_group():
    """Import vendors or products from the licence system's CSV files (all rows or none)."""


def _print_report(report):
    if report.ok:
        click.echo(
            f"Imported {report.rows} {report.kind}: {report.created} new, {report.updated} updated."
        )
        return
    for error in report.errors:
        click.echo(f"row {error.row}, {error.column or '-'}: {error.message}", err=True)
    raise click.ClickException(f"nothing imported: {len(report.errors)} problems")


def _run_import(kind, path):
    with terminal_progress("Checking") as bar, open(path, "rb") as handle:

        def progress(total=None, checked=None, written=None):
            if bar is not None:
                bar(done=checked or written, total=total, label="Writing" if written else None)

        return imports.run_import(
            kind, handle, actor=None, now=utcnow(), progress=progress, clock=utcnow
        )


@import_group.command("vendors")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_vendors(path):
    """Create or update vendors by vendor_ref; new ones get a link to claim their account."""
    _print_report(_run_import("vendors", path))


@import_group.command("products")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_products(path):
    """Create or update products by vendor_ref and product_ref."""
    _print_report(_run_import("products", path))


@click.group("vendors")
def vendors_group():
    """Vendor housekeeping."""


@vendors_group.command("warn-papers")
@with_appcontext
def warn_papers():
    """Tell vendors (once per paper and stage) that a licence or health ID expires or expired."""
    click.echo(f"{vendors.warn_about_papers(now=utcnow())} warnings queued.")


@click.group("bazaars")
def bazaars_group():
    """The gathering gate."""


@bazaars_group.command("release-due")
@with_appcontext
def release_due():
    """Release bazaars whose restrictions ended (by date); never misses or repeats a release."""
    released = gate.sync_holds(now=utcnow())
    click.echo(f"{len(released)} bazaars released.")


@click.group("stalls")
def stalls_group():
    """Stall housekeeping."""


@stalls_group.command("expire-due")
@with_appcontext
def expire_due():
    """Pass on stalls whose confirmation deadline passed to the next on the waiting list."""
    click.echo(f"{stalls.expire_due(now=utcnow())} allocations expired.")


@stalls_group.command("remind")
@with_appcontext
def remind_stalls():
    """Remind vendors, once, 12 hours before their stall's confirmation deadline."""
    click.echo(f"{stalls.remind_to_confirm(now=utcnow())} reminders queued.")


@click.group("followups")
def followups_group():
    """Follow-up housekeeping."""


@followups_group.command("remind")
@with_appcontext
def remind_followups():
    """Remind responsible people of follow-ups due within 3 days or overdue (once a day each)."""
    click.echo(f"{followups.remind(now=utcnow())} reminders queued.")


@click.command("tick")
@with_appcontext
def tick():
    """Run every periodic job once (what `flask worker` runs every minute; or cron it)."""
    click.echo(", ".join(f"{name} {outcome}" for name, outcome in run_periodic_jobs(utcnow())))


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also run the periodic jobs every minute (one consumer per queue is enough).",
)
@with_appcontext
def worker(workers, periodic):
    """Run the task queue's consumer: imports and the periodic jobs (stop with Ctrl-C/TERM)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    consumer = get_huey().create_consumer(workers=workers, periodic=periodic, worker_type="thread")
    consumer.run()


commands = [
    create_user,
    seed_reference,
    search_reindex,
    seed_demo,
    notifications_group,
    import_group,
    vendors_group,
    bazaars_group,
    stalls_group,
    followups_group,
    tick,
    *operator_commands,
    worker,
]
