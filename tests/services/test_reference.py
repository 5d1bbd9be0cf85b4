"""Reference data: seeding, lookup by name or code, admin edits."""

import json

import pytest

from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.models import Field, Region, Role
from bazaar.services import reference


def test_seed_is_idempotent_and_qom_has_its_counties(app, now):
    assert reference.seed_reference(now=now) == 0
    names = [county.name_fa for county in reference.list_counties()]
    assert names == ["قم", "کهک", "جعفرآباد", "سلفچگان"]
    assert len(reference.list_districts()) == 8
    assert db.session.scalar(db.select(Field.starred).where(Field.code == "home-food")) is True


def test_another_province_brings_its_own_regions(app, now, tmp_path):
    regions = {
        "counties": [{"code": "kashan", "name_fa": "کاشان", "name_en": "Kashan", "districts": []}]
    }
    path = tmp_path / "isfahan.json"
    path.write_text(json.dumps(regions), encoding="utf-8")
    assert reference.seed_reference(now=now, regions=path) == 1
    assert "کاشان" in [c.name_fa for c in reference.list_counties()]


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("regions", "كهك", "kahak"),
        ("regions", "Kahak", "kahak"),
        ("fields", "ترشیجات، شوریجات و مربا", "pickles-jam"),
        ("fields", "ترشي‌جات، شوريجات و مربا", "pickles-jam"),
        ("categories", "ترشی و شور", "pickles"),
        ("categories", "chador-scarf", "chador-scarf"),
    ],
)
def test_find_reference_id_by_name_or_code(app, kind, text, code):
    model = reference.KINDS[kind]
    expected = db.session.scalar(db.select(model.id).where(model.code == code))
    assert reference.find_reference_id(reference.reference_lookup(), kind, text) == expected


def test_admin_edits_reference_items(app, make_user, now):
    admin = make_user(role=Role.ADMIN)
    item = reference.save_reference_item(
        admin,
        "regions",
        None,
        code="Qom-9",
        name_fa="منطقهٔ ۹",
        name_en="District 9",
        parent_id=1,
        now=now,
    )
    assert (item.code, item.kind, item.parent_id) == ("qom-9", "district", 1)
    with pytest.raises(Conflict):
        reference.save_reference_item(
            admin, "regions", None, code="kahak", name_fa="x", name_en="x", now=now
        )
    with pytest.raises(Invalid):
        reference.save_reference_item(
            admin, "regions", item.id, code="qom-9", name_fa="", name_en="x", now=now
        )
    with pytest.raises(Invalid):
        reference.save_reference_item(
            admin,
            "regions",
            item.id,
            code="qom-9",
            name_fa="x",
            name_en="x",
            parent_id=item.id,
            now=now,
        )
    field = db.session.scalar(db.select(Field).where(Field.code == "sewing"))
    reference.save_reference_item(
        admin,
        "fields",
        field.id,
        code="sewing",
        name_fa="خیاطی",
        name_en="Sewing",
        starred=True,
        now=now,
    )
    assert db.session.get(Field, field.id).starred
    assert db.session.get(Region, item.id).name_en == "District 9"
