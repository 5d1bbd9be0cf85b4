"""Online backups and restores: the database, the uploads, the secret key and the instance
configuration, with a manifest of checksums.

A backup folder holds `manifest.json` and the files it names: `database/bazaar.sqlite` (the
SQLite backup API: a consistent snapshot taken while the app keeps writing) or
`database/bazaar.dump` (pg_dump, custom format), `uploads/…` (product photos, logos and the
decision documents, which live under UPLOADS_DIR/documents), `instance/secret_key` and
`instance/config.py` when they exist. Nothing else in instance/ is needed: the outbox folder
holds copies of messages already delivered and the `*.writers` file is a lock.

The database is copied first and the uploads after it: a file is written before the row that
names it is committed, so every upload the snapshot refers to is already on disk.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text

from bazaar.extensions import db
from bazaar.services import pg_tools

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
PROGRESS_EVERY = 500
INSTANCE_FILES = ("secret_key", "config.py")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Places:
    """Where this app keeps what a backup holds."""

    instance: Path
    uploads: Path
    database_url: str

    @property
    def kind(self):
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    @property
    def sqlite_path(self):
        return Path(db.engine.url.database)


def places():
    """Return this app's instance folder, uploads folder and database URL."""
    return Places(
        instance=Path(current_app.instance_path),
        uploads=Path(current_app.config["UPLOADS_DIR"]),
        database_url=db.engine.url.render_as_string(hide_password=False),
    )


def app_version():
    """The installed package's version, or the one in pyproject.toml when run from a checkout."""
    try:
        return version("bazaar")
    except PackageNotFoundError:
        pyproject = Path(current_app.root_path).parent / "pyproject.toml"
        for line in pyproject.read_text().splitlines():
            if line.startswith("version"):
                return line.split("=", 1)[1].strip().strip('"')
        return "unknown"


def _copy_hashed(source, target):
    """Copy a file, returning its SHA-256 and size as read (one pass)."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return digest.hexdigest(), size


def file_digest(path):
    """Return a file's SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _entry(folder, relative, kind):
    sha256, size = file_digest(folder / relative)
    return {"path": relative, "kind": kind, "sha256": sha256, "size": size}


def _backup_sqlite(source, target, progress):
    """Copy a live SQLite database with the backup API into target; return its migration head.

    One step copies every page inside one read transaction: a consistent snapshot that never
    blocks writers (WAL). Copying the file itself would miss what is still in the WAL.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        checked = dst.execute("PRAGMA quick_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"The copied database fails its check: {checked}")
        head = dst.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        dst.close()
        src.close()
    progress(f"database: {target.stat().st_size / 1e6:.1f} MB copied")
    return head[0] if head else None


def _backup_postgres(url, target, progress):
    """Dump a PostgreSQL database with pg_dump (custom format) into target; return its head."""
    target.parent.mkdir(parents=True, exist_ok=True)
    server = db.session.scalar(text("SHOW server_version_num"))
    head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.rollback()
    _run_tool("pg_dump", url, server, "--format=custom", "--no-owner", f"--file={target}")
    progress(f"database: {target.stat().st_size / 1e6:.1f} MB dumped")
    return head


def _run_tool(*args):
    try:
        pg_tools.run(*args)
    except pg_tools.ToolFailed as error:
        raise BackupError(str(error)) from error


def _upload_files(uploads):
    if not uploads.is_dir():
        return []
    return sorted(path for path in uploads.rglob("*") if path.is_file())


def create_backup(folder, *, now, progress=lambda line: None):
    """Write a backup of this instance into `folder` (new or empty); return the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup.")
    folder.mkdir(parents=True, exist_ok=True)
    here = places()
    entries = []
    if here.kind == "sqlite":
        relative = "database/bazaar.sqlite"
        head = _backup_sqlite(here.sqlite_path, folder / relative, progress)
    else:
        relative = "database/bazaar.dump"
        head = _backup_postgres(here.database_url, folder / relative, progress)
    entries.append(_entry(folder, relative, "database"))
    files = _upload_files(here.uploads)
    progress(f"uploads: {len(files)} files")
    for done, path in enumerate(files, 1):
        if done % PROGRESS_EVERY == 0:
            progress(f"uploads: {done}/{len(files)}")
        relative = "uploads/" + path.relative_to(here.uploads).as_posix()
        try:
            sha256, size = _copy_hashed(path, folder / relative)
        except FileNotFoundError:
            continue  # deleted since the listing, after its row was: not in the snapshot
        entries.append({"path": relative, "kind": "upload", "sha256": sha256, "size": size})
    for name in INSTANCE_FILES:
        if (here.instance / name).is_file():
            _copy_hashed(here.instance / name, folder / "instance" / name)
            entries.append(_entry(folder, f"instance/{name}", "instance"))
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "app_version": app_version(),
        "migration_head": head,
        "database": here.kind,
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def read_manifest(folder):
    """Read a backup's manifest and check every file against it; return the manifest.

    A missing, changed or extra file refuses the whole backup: nothing is restored from it.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: not a backup.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not one this app reads.")
    named = set()
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if ".." in Path(entry["path"]).parts or Path(entry["path"]).is_absolute():
            raise BackupError(f"The manifest names a path outside the backup: {entry['path']}")
        if not path.is_file():
            raise BackupError(f"{entry['path']} is missing from the backup.")
        if file_digest(path) != (entry["sha256"], entry["size"]):
            raise BackupError(f"{entry['path']} does not match its checksum: the backup changed.")
        named.add(path.resolve())
    extra = [p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST]
    unnamed = [p for p in extra if p.resolve() not in named]
    if unnamed:
        name = unnamed[0].relative_to(folder)
        raise BackupError(f"{name} is in the backup but not in its manifest.")
    return manifest


def instance_contents():
    """Name what this instance already holds that a restore would overwrite (empty: none)."""
    here = places()
    found = []
    if here.kind == "sqlite":
        path = here.sqlite_path
        if path.exists() and path.stat().st_size and inspect(db.engine).get_table_names():
            found.append(str(path))
    elif inspect(db.engine).get_table_names():
        found.append("the PostgreSQL database has tables")
    db.session.remove()
    if _upload_files(here.uploads):
        found.append(str(here.uploads))
    if (here.instance / "config.py").exists():
        found.append(str(here.instance / "config.py"))
    return found


def restore_backup(folder, *, progress=lambda line: None):
    """Restore a checked backup into this (empty) instance; return the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    progress(f"checksums: {len(manifest['files'])} files match the manifest")
    here = places()
    if manifest["database"] != here.kind:
        raise BackupError(
            f"This is a {manifest['database']} backup and the app is set up for {here.kind}: "
            "restore it where it came from, then move it with `flask db-copy`."
        )
    found = instance_contents()
    if found:
        raise BackupError(
            "The instance is not empty (" + "; ".join(found) + "): restore only into a new one."
        )
    for entry in manifest["files"]:
        source = folder / entry["path"]
        if entry["kind"] == "database":
            _restore_database(here, source, progress)
        elif entry["kind"] == "upload":
            _place(source, here.uploads / entry["path"].removeprefix("uploads/"), 0o644)
        else:
            target = here.instance / entry["path"].removeprefix("instance/")
            _place(source, target, 0o600)
    progress(f"restored {len(manifest['files'])} files")
    return manifest


def _place(source, target, mode=0o600):
    """Copy a file into place whole: through a temporary name in the same folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    os.close(fd)
    shutil.copyfile(source, temporary)
    os.chmod(temporary, mode)
    os.replace(temporary, target)


def _restore_database(here, source, progress):
    if here.kind == "sqlite":
        db.engine.dispose()
        path = here.sqlite_path
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        _place(source, path)
        progress(f"database: {path}")
        return
    server = db.session.scalar(text("SHOW server_version_num"))
    db.session.remove()
    db.engine.dispose()
    _run_tool(
        "pg_restore",
        here.database_url,
        server,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        str(source),
    )
    progress("database: restored with pg_restore")
