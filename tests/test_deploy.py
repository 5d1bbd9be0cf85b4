"""The deploy guide's files and commands: nginx accepts the configuration, systemd the units,
every `flask` command the guide names exists, every other command is a line of a deploy script,
and the backup and restore-drill scripts work."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT, server_env

DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
SCRIPTS = sorted(DEPLOY.glob("*.sh"))
BIN = Path(sys.executable).parent


def shell_blocks(text):
    """The command lines of the ```sh blocks in a Markdown text (comments and blanks left out)."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def flask_commands(text):
    """Every `flask NAME [SUBNAME]` in a text, as tuples of the words after `flask`."""
    found = set()
    for match in re.finditer(r"(?:^|[\s/`])flask ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", text):
        found.add(tuple(match.group(1).split()))
    return found


def test_every_flask_command_the_guide_and_scripts_name_exists(app):
    texts = [GUIDE.read_text(), *(p.read_text() for p in SCRIPTS)]
    texts += [p.read_text() for p in (DEPLOY / "systemd").iterdir()]
    named = set().union(*(flask_commands(text) for text in texts))
    assert ("backup",) in named
    assert ("db-copy",) in named
    missing = []
    for words in sorted(named):
        command = app.cli
        ctx = None
        for word in words:
            group = command
            command = group.get_command(ctx, word) if hasattr(group, "get_command") else None
            if command is None:
                break
        if command is None:
            missing.append(" ".join(words))
    assert missing == []


def test_every_command_in_the_guide_is_a_line_of_a_deploy_script_or_a_flask_command():
    script_lines = {line.strip() for p in SCRIPTS for line in p.read_text().splitlines()}
    units = {p.stem for p in (DEPLOY / "systemd").iterdir()}
    loose = []
    for line in shell_blocks(GUIDE.read_text()):
        words = shlex.split(line, posix=True)
        if line in script_lines or words[0] == "flask":
            continue
        if words[0].startswith("deploy/") and (ROOT / words[0]).exists():
            continue
        if words[:1] == ["systemctl"] and words[1] in ("start", "stop") and set(words[2:]) <= units:
            continue
        loose.append(line)
    assert loose == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_deploy_scripts_parse(script):
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert os.access(script, os.X_OK)


def test_nginx_accepts_the_configuration(tmp_path):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is missing: run scripts/test-deps.sh")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=bazaar.example.ir", "-keyout", str(tmp_path / "key.pem")),
            *("-out", str(tmp_path / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "bazaar.conf").read_text()
    for path, replacement in (
        ("/etc/letsencrypt/live/bazaar.example.ir/fullchain.pem", tmp_path / "cert.pem"),
        ("/etc/letsencrypt/live/bazaar.example.ir/privkey.pem", tmp_path / "key.pem"),
        ("/var/log/nginx", tmp_path),
    ):
        assert str(path) in site
        site = site.replace(str(path), str(replacement))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "client_max_body_size 32m;" in site
    for header in ("X-Forwarded-For $remote_addr", "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header};" in site


def test_systemd_accepts_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    (tmp_path / "bazaar.env").write_text("")
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text()
        for path, replacement in (
            ("/srv/bazaar/venv/bin", BIN),
            ("/srv/bazaar/app", ROOT),
            ("/etc/bazaar/bazaar.env", tmp_path / "bazaar.env"),
        ):
            text = text.replace(path, str(replacement))
        text = text.replace("=bazaar\n", "=root\n")  # User and Group: a user this machine has
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.glob("bazaar-*"))
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr


@pytest.mark.sqlite_only("the drill's PostgreSQL scratch database needs its own server role")
def test_backup_script_and_restore_drill_script(app, tmp_path, make_product):
    make_product()
    env = {
        **server_env(app),
        "FLASK": str(BIN / "flask"),
        "BAZAAR_BACKUP_DIR": str(tmp_path / "backups"),
        "FLASK_UPLOADS_DIR": app.config["UPLOADS_DIR"],
    }
    subprocess.run([str(DEPLOY / "backup.sh")], env=env, cwd=ROOT, check=True, capture_output=True)
    (backup,) = (tmp_path / "backups").iterdir()
    assert (backup / "manifest.json").exists()

    drill = subprocess.run(
        [str(DEPLOY / "restore-drill.sh")], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert drill.returncode == 0, drill.stderr
    assert f"Restore drill passed: {backup}" in drill.stdout
    assert "1 products" in drill.stdout

    (backup / "database" / "bazaar.sqlite").write_bytes(b"not a database")
    drill = subprocess.run(
        [str(DEPLOY / "restore-drill.sh"), str(backup)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert drill.returncode != 0
    assert "does not match its checksum" in drill.stderr
