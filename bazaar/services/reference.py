"""Reference data: fields, categories and regions; seeded from JSON, edited by admins."""

import json
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Category, Field, Region
from bazaar.services.audit import record_audit
from bazaar.services.catalogue_version import catalogue_version
from bazaar.text import normalize_search

DATA = Path(__file__).resolve().parent.parent / "data"
KINDS = {"fields": Field, "categories": Category, "regions": Region}


def regions_file():
    """Return the JSON file with the province's counties and districts."""
    return Path(current_app.config["REGIONS_FILE"] or DATA / "qom.json")


def _upsert(model, code, **values):
    item = db.session.scalar(db.select(model).where(model.code == code))
    if item is None:
        item = model(code=code, **values)
        db.session.add(item)
        return item, 1
    for key, value in values.items():
        setattr(item, key, value)
    return item, 0


def seed_reference(*, now, regions=None):
    """Create or update fields, categories and regions by code; return how many were new."""
    reference = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))
    province = json.loads(Path(regions or regions_file()).read_text(encoding="utf-8"))
    created = 0
    with write_transaction():
        for item in reference["fields"]:
            _, new = _upsert(
                Field,
                item["code"],
                name_fa=item["name_fa"],
                name_en=item["name_en"],
                starred=item["starred"],
            )
            created += new
        for parent in reference["categories"]:
            top, new = _upsert(
                Category,
                parent["code"],
                name_fa=parent["name_fa"],
                name_en=parent["name_en"],
                parent=None,
            )
            created += new
            for child in parent["children"]:
                created += _upsert(
                    Category,
                    child["code"],
                    name_fa=child["name_fa"],
                    name_en=child["name_en"],
                    parent=top,
                )[1]
        for county in province["counties"]:
            top, new = _upsert(
                Region,
                county["code"],
                name_fa=county["name_fa"],
                name_en=county["name_en"],
                kind="county",
                parent=None,
            )
            created += new
            for district in county["districts"]:
                created += _upsert(
                    Region,
                    district["code"],
                    name_fa=district["name_fa"],
                    name_en=district["name_en"],
                    kind="district",
                    parent=top,
                )[1]
        record_audit("reference.seed", ("reference", None), now=now, created=created)
    return created


def list_fields():
    return db.session.scalars(db.select(Field).order_by(Field.id)).all()


def list_top_categories():
    """Top-level categories with their children loaded."""
    query = (
        db.select(Category)
        .where(Category.parent_id.is_(None))
        .order_by(Category.id)
        .options(selectinload(Category.children))
    )
    return db.session.scalars(query).all()


def category_tree(language):
    """[((id, name), [(id, name), …]) for each top category], cached per catalogue version.

    Every form with a category select reads this; it changes only when reference data does.
    """
    cache = current_app.extensions.setdefault("category_tree", {})
    key = (language, catalogue_version())
    if key not in cache:
        for stale in [k for k in cache if k[1] != key[1]]:
            del cache[stale]
        cache[key] = [
            (
                (top.id, top.name_in(language)),
                [(child.id, child.name_in(language)) for child in top.children],
            )
            for top in list_top_categories()
        ]
    return cache[key]


def list_counties():
    return db.session.scalars(
        db.select(Region).where(Region.kind == "county").order_by(Region.id)
    ).all()


def list_districts():
    return db.session.scalars(
        db.select(Region).where(Region.kind == "district").order_by(Region.id)
    ).all()


def category_ids_under(category_id):
    """Return the category and its children's ids (a filter on a parent shows all of it)."""
    ids = [category_id]
    ids += db.session.scalars(db.select(Category.id).where(Category.parent_id == category_id)).all()
    return ids


def reference_lookup():
    """Map normalised names and codes to ids, per kind; an import builds it once."""
    tables = {}
    for kind, model in KINDS.items():
        rows = db.session.execute(
            db.select(model.id, model.code, model.name_fa, model.name_en)
        ).all()
        table = {}
        for row in rows:
            for key in (row.code, row.name_fa, row.name_en):
                table[normalize_search(key).replace(" ", "")] = row.id
        tables[kind] = table
    return tables


def find_reference_id(lookup, kind, text):
    """Return the id of the field, category or region named or coded `text`, or None."""
    return lookup[kind].get(normalize_search(text or "").replace(" ", ""))


def get_reference_item(kind, item_id):
    """Return one reference item or raise NotFound."""
    item = db.session.get(KINDS[kind], item_id)
    if item is None:
        raise NotFound("reference.not_found")
    return item


def save_reference_item(
    actor, kind, item_id, *, code, name_fa, name_en, starred=False, parent_id=None, now
):
    """Create (item_id None) or update a field, category or region."""
    model = KINDS[kind]
    code = code.strip().lower()
    if not code or not name_fa.strip() or not name_en.strip():
        raise Invalid("reference.incomplete")
    with write_transaction():
        item = model() if item_id is None else get_reference_item(kind, item_id)
        clash = db.session.scalar(
            db.select(model.id).where(model.code == code, model.id != (item_id or 0))
        )
        if clash is not None:
            raise Conflict("reference.code_taken")
        item.code, item.name_fa, item.name_en = code, name_fa.strip(), name_en.strip()
        if kind == "fields":
            item.starred = bool(starred)
        elif parent_id is not None and parent_id == item_id:
            raise Invalid("reference.bad_parent")
        else:
            if parent_id is not None and db.session.get(model, parent_id) is None:
                raise Invalid("reference.bad_parent")
            item.parent_id = parent_id
            if kind == "regions":
                item.kind = "district" if parent_id else "county"
        db.session.add(item)
        record_audit(
            f"reference.{'create' if item_id is None else 'update'}",
            item,
            actor=actor,
            now=now,
            kind=kind,
        )
    return item
