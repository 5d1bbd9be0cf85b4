"""The layers of CONTRIBUTING.md hold: models and services never reach up into the web layer."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "bazaar"
BLUEPRINTS = sorted(p.parent.name for p in ROOT.glob("*/views.py"))
# What only a request has: a service that reads it could not be called from the CLI or a task.
REQUEST_ONLY = {"request", "session", "g", "flash", "redirect", "url_for", "abort"}


def imports_of(path):
    """Yield (module, name) for every import in a file (name None for `import module`)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name


def modules(folder):
    return sorted((ROOT / folder).rglob("*.py"))


def test_there_are_blueprints_and_services_to_check():
    assert {"catalogue", "bazaars", "stalls"} <= set(BLUEPRINTS)
    assert len(modules("services")) > 10


@pytest.mark.parametrize("path", modules("models") + modules("services"), ids=str)
def test_models_and_services_import_no_view_form_or_request(path):
    bad = [
        f"{module}.{name}" if name else module
        for module, name in imports_of(path)
        if module.split(".")[:2] in (["bazaar", bp] for bp in BLUEPRINTS)
        or (module == "flask" and name in REQUEST_ONLY)
        or (module == "flask_login" and name == "current_user")
    ]
    assert bad == []


@pytest.mark.parametrize("path", modules("models"), ids=str)
def test_models_import_no_service(path):
    assert [m for m, _ in imports_of(path) if m.startswith("bazaar.services")] == []


@pytest.mark.parametrize("path", sorted(ROOT.rglob("rules.py")), ids=str)
def test_rules_modules_are_pure(path):
    bad = [
        module
        for module, name in imports_of(path)
        if module in ("flask", "bazaar.extensions", "bazaar.database", "sqlalchemy")
        or module.startswith(("bazaar.services", "sqlalchemy."))
        or (module == "bazaar.i18n" and name != "N_")
    ]
    assert bad == []
