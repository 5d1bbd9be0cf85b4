"""Static files: the hashed, compressed build, WhiteNoise's headers, trimmed assets, favicon."""

import re
from pathlib import Path

import pytest
from flask import url_for

from bazaar import create_app
from bazaar.assets import build_static, hashed_name, load_manifest
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
YEAR = "max-age=31536000"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """Build the real static/ once for this module; return the build folder."""
    folder = tmp_path_factory.mktemp("build") / "static"
    build_static(STATIC, folder)
    return folder


@pytest.fixture
def built_app(tmp_path, build):
    """An app that serves the build (no database needed for static files)."""
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite'}")
    return create_app({**config, "STATIC_BUILD_DIR": str(build)})


def fetch(client, url, **kwargs):
    """GET a static file and close it (WhiteNoise streams from an open file)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def test_hashed_name_carries_a_digest_of_the_content():
    assert re.fullmatch(r"css/app\.[0-9a-f]{12}\.css", hashed_name("css/app.css", b"a{}"))
    assert hashed_name("x.css", b"a{}") != hashed_name("x.css", b"b{}")
    assert hashed_name("v/bootstrap.min.css", b"").startswith("v/bootstrap.min.")


def test_build_writes_hashed_copies_compressed_files_and_a_manifest(tmp_path):
    source = tmp_path / "src"
    (source / "css").mkdir(parents=True)
    (source / "fonts").mkdir()
    (source / "fonts" / "f.woff2").write_bytes(b"\x00font")
    (source / "css" / "site.css").write_text(
        '@font-face { src: url("../fonts/f.woff2") format("woff2"); }\n'
        ".a { background: url(data:image/svg+xml,x); }\n" + "body { color: red; }\n" * 50
    )
    manifest = build_static(source, tmp_path / "out")
    assert manifest == load_manifest(tmp_path / "out")
    font, css = manifest["fonts/f.woff2"], manifest["css/site.css"]
    files = tmp_path / "out" / "files"
    built_css = (files / css).read_text()
    # The stylesheet names the font's hashed copy, relative to itself; data: URLs stay.
    assert f'url("../{font}")' in built_css
    assert "url(data:image/svg+xml,x)" in built_css
    assert css == hashed_name("css/site.css", built_css.encode())
    for name in ("css/site.css", css):
        assert (files / (name + ".br")).exists()
        assert (files / (name + ".gz")).exists()
    # A woff2 is compressed already: no .br or .gz beside it.
    assert not (files / (font + ".br")).exists()


def test_a_rebuild_replaces_the_old_build(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.js").write_text("1")
    build_static(source, tmp_path / "out")
    (source / "a.js").unlink()
    (source / "b.js").write_text("2")
    assert list(build_static(source, tmp_path / "out")) == ["b.js"]
    assert not (tmp_path / "out" / "files" / "a.js").exists()


def test_url_for_names_the_hashed_copy_when_built(built_app, build):
    manifest = load_manifest(build)
    with built_app.test_request_context():
        assert url_for("static", filename="css/app.css") == f"/static/{manifest['css/app.css']}"
        # A file the build does not know keeps its name.
        assert url_for("static", filename="nothing.css") == "/static/nothing.css"


def test_pages_link_plain_names_without_a_build(app, client):
    with app.test_request_context():
        assert url_for("static", filename="css/app.css") == "/static/css/app.css"
    assert fetch(client, "/static/css/app.css").status_code == 200


def test_hashed_files_are_immutable_for_a_year(built_app, build):
    name = load_manifest(build)["css/app.css"]
    response = fetch(built_app.test_client(), f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"{YEAR}, public, immutable"
    # The plain name still answers (an old page), but only for a minute.
    plain = fetch(built_app.test_client(), "/static/css/app.css")
    assert plain.headers["Cache-Control"] == "max-age=60, public"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_compressed_copies_are_served_to_browsers_that_accept_them(built_app, build, encoding):
    name = load_manifest(build)["vendor/bootstrap/bootstrap.rtl.min.css"]
    client = built_app.test_client()
    full = fetch(client, f"/static/{name}")
    response = fetch(client, f"/static/{name}", headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(full.data) / 4


def test_identity_is_served_without_accept_encoding(built_app, build):
    name = load_manifest(build)["js/app.js"]
    response = fetch(built_app.test_client(), f"/static/{name}")
    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "js" / "app.js").read_bytes()


def test_favicon_is_served_and_linked(client):
    response = fetch(client, "/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    svg = fetch(client, "/static/favicon.svg")
    assert svg.status_code == 200
    assert svg.data.startswith(b"<svg")


def test_pages_load_the_small_toggle_script_not_bootstraps_bundle(client):
    page = client.get("/").get_data(as_text=True)
    assert "/static/js/toggles.js" in page
    assert "bootstrap.bundle" not in page


# Class names in templates: class="…" attributes, without Jinja expressions.
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def template_classes():
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for value in CLASS_ATTRIBUTE.findall(path.read_text()):
            value = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value)
            found.update(word for word in value.split() if re.fullmatch(r"[a-z][\w-]*", word))
    return found


@pytest.mark.parametrize("css", ["bootstrap.min.css", "bootstrap.rtl.min.css"])
def test_every_bootstrap_class_a_template_uses_survived_the_trim(css):
    """A template using a class the trimmed CSS lacks: re-run scripts/trim-assets.sh."""
    bootstrap = set((ROOT / "scripts" / "bootstrap-classes.txt").read_text().split())
    trimmed = (STATIC / "vendor" / "bootstrap" / css).read_text()
    used = template_classes() & bootstrap
    assert len(used) > 50
    missing = sorted(name for name in used if f".{name}" not in trimmed)
    assert missing == [], "run scripts/trim-assets.sh"


def test_the_font_subset_has_persian_and_latin_and_is_small():
    from fontTools.ttLib import TTFont

    path = STATIC / "vendor" / "vazirmatn" / "Vazirmatn-wght.woff2"
    font = TTFont(path)
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "بازارچهٔ پیگیری گژ ۰۱۲۳۴۵۶۷۸۹ Bazaar 0123456789 «»،؛؟")
    assert 0x200C in cmap  # the zero-width non-joiner of Persian compounds
    assert "fvar" in font  # still the variable font (weights 100–900)
    assert path.stat().st_size < 90_000
