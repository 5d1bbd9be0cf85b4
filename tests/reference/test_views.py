"""Admins edit reference data."""

from bazaar.extensions import db
from bazaar.models import Region, Role


def test_admin_adds_a_district_and_sees_it(client, login_as):
    login_as(Role.ADMIN)
    assert "کهک" in client.get("/reference/").get_data(as_text=True)
    qom = db.session.scalar(db.select(Region.id).where(Region.code == "qom"))
    data = {"code": "qom-9", "name_fa": "منطقهٔ ۹", "name_en": "District 9", "parent_id": str(qom)}
    assert client.post("/reference/regions/new", data=data).status_code == 302
    assert db.session.scalar(db.select(Region).where(Region.code == "qom-9")).parent_id == qom


def test_duplicate_code_is_refused(client, login_as):
    login_as(Role.ADMIN)
    region = db.session.scalar(db.select(Region).where(Region.code == "kahak"))
    response = client.post(
        f"/reference/regions/{region.id}",
        data={"code": "qom", "name_fa": "x", "name_en": "x", "parent_id": ""},
    )
    assert response.status_code == 400
    assert "همین کد" in response.get_data(as_text=True)
    assert db.session.get(Region, region.id).code == "kahak"


def test_reference_pages_are_for_admins(client, login_as):
    login_as(Role.ORGANISER)
    assert client.get("/reference/").status_code == 403


def test_unknown_kind_or_item_is_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/reference/planets/new").status_code == 404
    assert client.get("/reference/fields/999").status_code == 404
