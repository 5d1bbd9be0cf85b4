"""`flask` commands for operators: backups and restores, and moving a pilot to PostgreSQL."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from bazaar.models.types import utcnow
from bazaar.services import backup as backups
from bazaar.services import db_copy, instance_check


def _echo(line):
    click.echo(line, err=True)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(folder):
    """Back up the database, uploads, secret key and instance/config.py into FOLDER (new or
    empty) while the app serves; a manifest lists each file's SHA-256."""
    try:
        manifest = backups.create_backup(folder, now=utcnow(), progress=_echo)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    total = sum(entry["size"] for entry in manifest["files"])
    click.echo(
        f"Backup in {folder}: {len(manifest['files'])} files, {total / 1e6:.1f} MB, "
        f"migration head {manifest['migration_head']}."
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore(folder):
    """Check a backup's checksums, then restore it into this empty instance."""
    try:
        manifest = backups.restore_backup(folder, progress=_echo)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored the backup of {manifest['created_at']} (version {manifest['app_version']}, "
        f"migration head {manifest['migration_head']}). Next: flask db upgrade."
    )


@click.command("check-instance")
@with_appcontext
def check_instance():
    """Check the database's integrity and that every upload a row names is on disk (after a
    restore: the restore drill runs it)."""
    counts, problems = instance_check.check_instance()
    click.echo(", ".join(f"{count} {name}" for name, count in counts.items()))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problems")
    click.echo("Integrity check passed; every upload is in place.")


@click.command("db-copy")
@click.option("--to", "url", required=True, help="postgresql+psycopg://user@host/database")
@with_appcontext
def copy_database(url):
    """Copy this SQLite instance's rows into an empty PostgreSQL database."""
    try:
        counts = db_copy.copy_database(url, progress=_echo)
    except db_copy.CopyError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Copied {sum(counts.values())} rows in {len(counts)} tables.")


commands = [backup, restore, check_instance, copy_database]
