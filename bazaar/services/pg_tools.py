"""Running PostgreSQL's own tools (pg_dump, pg_restore) against the app's database."""

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import make_url

# Debian installs each server version's client tools here; PATH has one wrapper or none.
VERSIONED_BINARIES = "/usr/lib/postgresql"


def find_tool(name, server_version_num):
    """Return the path of a client tool at least as new as the server (pg_dump refuses older).

    The tool of the server's own major version is preferred, then the newest installed, then
    whatever PATH finds.
    """
    major = int(server_version_num) // 10000
    root = Path(VERSIONED_BINARIES)
    installed = sorted(
        (int(folder.name), folder / "bin" / name)
        for folder in (root.iterdir() if root.is_dir() else [])
        if folder.name.isdigit() and (folder / "bin" / name).exists()
    )
    for found_major, path in installed:
        if found_major == major:
            return str(path)
    if installed and installed[-1][0] >= major:
        return str(installed[-1][1])
    on_path = shutil.which(name)
    if on_path is None:
        raise FileNotFoundError(f"{name} for PostgreSQL {major} is not installed")
    return on_path


def connection_args(url):
    """Turn a SQLAlchemy URL into libpq options and an environment (the password stays out of
    the command line, where any local user could read it)."""
    parsed = make_url(url)
    args = [f"--dbname={parsed.database}"]
    if parsed.host:
        args.append(f"--host={parsed.host}")
    if parsed.port:
        args.append(f"--port={parsed.port}")
    if parsed.username:
        args.append(f"--username={parsed.username}")
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return args, env


class ToolFailed(Exception):
    """A PostgreSQL tool is missing or failed; the message has its error output."""


def run(tool, url, server_version_num, *options):
    """Run pg_dump or pg_restore against the database at url; raise ToolFailed on an error."""
    args, env = connection_args(url)
    try:
        binary = find_tool(tool, server_version_num)
    except FileNotFoundError as error:
        raise ToolFailed(str(error)) from error
    # The binary is found by find_tool; the arguments come from the app's own database URL.
    result = subprocess.run(  # noqa: S603
        [binary, *args, "--no-password", *options],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ToolFailed(f"{tool} failed: {result.stderr.strip()[-2000:]}")
