"""Static files: hashed, compressed copies built once, served by WhiteNoise for a year.

`flask assets build` copies static/ into the build folder (STATIC_BUILD_DIR): every file under
its own name and under a name carrying a digest of its content, each with .gz and .br
siblings, and a manifest mapping one to the other. When that manifest exists, url_for('static')
gives the hashed name and WhiteNoise answers those with `Cache-Control: immutable`; without it
(a fresh checkout, the unit tests) the plain names are served by Flask's own static route.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath

import click
from flask import Response, current_app
from flask.cli import AppGroup
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

MANIFEST = "manifest.json"
FILES = "files"
ONE_YEAR = 365 * 24 * 3600
# url("...") and url(...) in a stylesheet; data: and absolute URLs are left alone.
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?!data:|https?:|//|#)([^'")?#]+)([^'")]*)\1\s*\)""")


class StaticFiles(WhiteNoise):
    """WhiteNoise whose immutable files are cached for a year, as browsers cap it anyway."""

    FOREVER = ONE_YEAR


def build_dir(app):
    """Return the build folder (relative paths from the project root), or None when off."""
    folder = app.config.get("STATIC_BUILD_DIR")
    if not folder:
        return None
    return Path(app.root_path).parent / folder


def load_manifest(folder):
    """Return {plain name: hashed name} from a build, or {} when there is none."""
    if folder is None:
        return {}
    try:
        return json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return {}


def hashed_name(name, content):
    """Return `css/app.css` as `css/app.<12 hex digits of its MD5>.css`."""
    path = PurePosixPath(name)
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()[:12]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _rewrite_css(name, text, manifest):
    # A stylesheet names its fonts and images relatively; point it at their hashed copies.
    base = PurePosixPath(name).parent

    def replace(match):
        quote, target, tail = match.groups()
        resolved = os.path.normpath(str(base / target)).replace(os.sep, "/")
        if resolved not in manifest:
            return match.group(0)
        relative = os.path.relpath(manifest[resolved], str(base) or ".").replace(os.sep, "/")
        return f"url({quote}{relative}{tail}{quote})"

    return CSS_URL.sub(replace, text)


def build_static(source, target):
    """Build hashed and compressed copies of `source` into `target`; return the manifest."""
    source, target = Path(source), Path(target)
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    files = staging / FILES
    names = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    manifest = {}
    # Stylesheets last: their content (and so their digest) names the other files' digests.
    for name in sorted(names, key=lambda n: n.endswith(".css")):
        content = (source / name).read_bytes()
        if name.endswith(".css"):
            content = _rewrite_css(name, content.decode(), manifest).encode()
        manifest[name] = hashed_name(name, content)
        for output in (name, manifest[name]):
            (files / output).parent.mkdir(parents=True, exist_ok=True)
            (files / output).write_bytes(content)
    compressor = Compressor(quiet=True)
    for path in files.rglob("*"):
        if path.is_file() and compressor.should_compress(path.name):
            compressor.compress(str(path))
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return manifest


def init_app(app):
    """Serve the build through WhiteNoise and give url_for its hashed names, when built."""
    app.cli.add_command(assets_cli)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    folder = build_dir(app)
    serve_build(app, folder, load_manifest(folder))


def serve_build(app, folder, manifest):
    """Serve the build in `folder` with WhiteNoise; make url_for('static') name its copies."""
    app.extensions["static_manifest"] = manifest
    if not manifest:
        return
    prefix = app.static_url_path.rstrip("/") + "/"
    immutable = {prefix + name for name in manifest.values()}
    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=Path(folder) / FILES,
        prefix=prefix,
        immutable_file_test=lambda path, url: url in immutable,
    )

    @app.url_defaults
    def hashed_static_name(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])


def favicon():
    """The icon browsers ask for at /favicon.ico when a page names none (feeds, PDFs)."""
    # 4 KB read whole: no open file left to whoever does not read the response to its end.
    icon = (Path(current_app.static_folder) / "favicon.ico").read_bytes()
    response = Response(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


assets_cli = AppGroup("assets", help="Build the static files served in production.")


@assets_cli.command("build")
def build_command():
    """Copy static/ into the build folder with hashed names, gzip and brotli."""
    folder = build_dir(current_app)
    if folder is None:
        raise click.UsageError("STATIC_BUILD_DIR is empty: nothing to build into.")
    manifest = build_static(current_app.static_folder, folder)
    click.echo(f"Built {len(manifest)} static files into {folder}.")
