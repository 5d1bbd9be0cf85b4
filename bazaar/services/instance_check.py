"""Checking an instance after a restore: the database's own integrity check, and every upload
a row names is on disk."""

from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, text

from bazaar.extensions import db
from bazaar.models import Application, Product, ProductPhoto, Restriction, User, Vendor

COUNTED = {"users": User, "vendors": Vendor, "products": Product, "applications": Application}


def integrity_problems():
    """Return what the database's own check reports (empty when it is sound)."""
    if db.engine.dialect.name != "sqlite":
        db.session.execute(text("SELECT count(*) FROM alembic_version"))
        return []
    found = db.session.scalars(text("PRAGMA integrity_check")).all()
    return [] if found == ["ok"] else found


def named_uploads():
    """Yield (folder, file name) for every upload a row refers to."""
    for filename, thumbnail in db.session.execute(
        select(ProductPhoto.filename, ProductPhoto.thumbnail)
    ):
        yield "products", filename
        yield "products", thumbnail
    for logo in db.session.scalars(select(Vendor.logo).where(Vendor.logo.is_not(None))):
        yield "logos", logo
    for document in db.session.scalars(
        select(Restriction.document).where(Restriction.document.is_not(None))
    ):
        yield "documents", document


def check_instance():
    """Return (row counts of the main tables, problems found)."""
    problems = integrity_problems()
    uploads = Path(current_app.config["UPLOADS_DIR"])
    missing = [
        f"{kind}/{name}" for kind, name in named_uploads() if not (uploads / kind / name).is_file()
    ]
    problems += [f"missing upload: {name}" for name in missing[:20]]
    if len(missing) > 20:
        problems.append(f"… and {len(missing) - 20} more missing uploads")
    counts = {
        name: db.session.scalar(select(func.count()).select_from(model))
        for name, model in COUNTED.items()
    }
    return counts, problems
