"""Restriction pages: record (with bad input), list, lift, set an end date, the document."""

import io
import re
from datetime import date

import pytest

from bazaar.extensions import db
from bazaar.models import Region, Restriction, Role, StatusChange
from bazaar.services import restrictions
from tests.bazaars.pages import badges, status_words
from tests.conftest import NOW, reference_ids
from tests.services.test_stalls import apply, food_and_craft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def restriction_form(**changes):
    data = {
        "body": "ستاد استانی",
        "reference": "۱۴۰۵/۳۱۲",
        "decided_on": "۱۴۰۵/۰۸/۰۱",
        "region": str(reference_ids(Region)["qom"]),
        "starts_on": "۱۴۰۵/۰۸/۰۲",
        "ends_on": "",
        "note": "",
    }
    return {**data, **changes}


LIFTING = {"body": "ستاد استانی", "reference": "۱۴۰۵/۴۰۰", "decided_on": "۱۴۰۵/۰۹/۰۱"}


def states(page):
    """Return the state badge of each restriction listed, in order."""
    return re.findall(r'data-testid="restriction-state" data-state="(\w+)"', page)


def history_statuses(bazaar):
    query = db.select(StatusChange.status).where(StatusChange.bazaar_id == bazaar.id)
    return db.session.scalars(query.order_by(StatusChange.id)).all()


def test_recording_a_restriction_holds_bazaars_and_the_page_says_why(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert client.get("/restrictions/new").status_code == 200
    assert client.post("/restrictions/new", data=restriction_form()).status_code == 302
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("held", "در تعلیق")]
    assert status_words(page).startswith(
        "در تعلیق: تجمع در قم به موجب مصوبهٔ ۱۴۰۵/۳۱۲ ستاد استانی از ۲ آبان ۱۴۰۵ ممنوع است."
    )
    assert states(client.get("/restrictions/").get_data(as_text=True)) == ["in_force"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "۱۴۰۵/۰۷/۰۱"}, "تاریخ پایان نباید پیش از تاریخ شروع"),
        ({"starts_on": "۱۴۰۵/۰۲/۳۲"}, "یک تاریخ شمسی موجود"),
        ({"reference": ""}, "invalid-feedback"),
        ({"region": "999"}, "invalid-feedback"),
        ({"region": ""}, "کل استان یا یک شهرستان را انتخاب کنید"),
    ],
)
def test_restriction_bad_input_saves_nothing(client, login_as, changes, message):
    login_as(Role.ORGANISER)
    response = client.post("/restrictions/new", data=restriction_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0


def test_restriction_document_must_be_a_pdf_or_image(client, login_as):
    login_as(Role.ORGANISER)
    bad = restriction_form(document=(io.BytesIO(b"<html>not a pdf</html>"), "decision.pdf"))
    response = client.post("/restrictions/new", data=bad, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0
    good = restriction_form(document=(io.BytesIO(PDF), "decision.pdf"))
    response = client.post("/restrictions/new", data=good, content_type="multipart/form-data")
    assert response.status_code == 302
    restriction = db.session.scalar(db.select(Restriction))
    download = client.get(f"/restrictions/{restriction.id}/document")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()


def test_a_restriction_without_a_document_has_none_to_download(client, login_as, make_restriction):
    restriction = make_restriction()
    login_as(Role.ORGANISER)
    assert client.get(f"/restrictions/{restriction.id}/document").status_code == 404
    assert client.get("/restrictions/999/document").status_code == 404


def test_lifting_from_the_page_releases_the_bazaar(client, login_as, make_bazaar, make_restriction):
    restriction = make_restriction()
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    assert bazaar.title in client.get(f"/restrictions/{restriction.id}/lift").get_data(as_text=True)
    response = client.post(
        f"/restrictions/{restriction.id}/lift", data=LIFTING, follow_redirects=True
    )
    assert "۱ بازارچه برگزار می‌شود" in response.get_data(as_text=True)
    assert states(response.get_data(as_text=True)) == ["lifted"]
    assert history_statuses(bazaar) == ["scheduled", "held", "scheduled"]
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("scheduled", "برنامه‌ریزی‌شده")]
    again = client.post(f"/restrictions/{restriction.id}/lift", data=LIFTING, follow_redirects=True)
    assert "قبلاً رفع شده" in again.get_data(as_text=True)
    assert history_statuses(bazaar) == ["scheduled", "held", "scheduled"]


def test_lifting_an_unknown_restriction_is_404(client, login_as):
    login_as(Role.ORGANISER)
    assert client.get("/restrictions/999/lift").status_code == 404
    assert client.post("/restrictions/999/lift").status_code == 404


def test_setting_an_end_date_that_has_passed_releases_now(
    client, login_as, make_bazaar, make_restriction
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    # The view reads the real clock: 1405/08/03 (25 October 2026) has passed whenever this runs.
    response = client.post(
        f"/restrictions/{restriction.id}/end", data={"ends_on": "۱۴۰۵/۰۸/۰۳"}, follow_redirects=True
    )
    assert "۱ بازارچه" in response.get_data(as_text=True)
    assert db.session.get(Restriction, restriction.id).ends_on == date(2026, 10, 25)
    assert history_statuses(bazaar) == ["scheduled", "held", "scheduled"]


def test_setting_an_impossible_end_date_is_refused(client, login_as, make_restriction):
    restriction = make_restriction()
    login_as(Role.ORGANISER)
    response = client.post(
        f"/restrictions/{restriction.id}/end", data={"ends_on": "۱۴۰۴/۱۲/۳۰"}, follow_redirects=True
    )
    assert "یک تاریخ شمسی موجود" in response.get_data(as_text=True)
    assert db.session.get(Restriction, restriction.id).ends_on is None
    before_start = client.post(
        f"/restrictions/{restriction.id}/end", data={"ends_on": "۱۴۰۵/۰۷/۰۱"}, follow_redirects=True
    )
    assert "تاریخ پایان نباید پیش از تاریخ شروع" in before_start.get_data(as_text=True)
    assert db.session.get(Restriction, restriction.id).ends_on is None


def test_the_list_tells_lifted_ended_and_in_force_apart(
    client, login_as, make_restriction, organiser
):
    in_force = make_restriction(reference="in-force")
    ended = make_restriction(reference="ended", ends_on=date(2026, 10, 30))
    lifted = make_restriction(reference="lifted")
    restrictions.lift_restriction(organiser, lifted.id, now=NOW)
    login_as(Role.ORGANISER)
    page = client.get("/restrictions/").get_data(as_text=True)
    by_reference = dict(zip(re.findall(r"مصوبهٔ (\S+)</strong>", page), states(page), strict=True))
    assert by_reference == {"in-force": "in_force", "ended": "ended", "lifted": "lifted"}
    assert {in_force.id, ended.id, lifted.id} == {r.id for r in restrictions.list_restrictions()}


def test_citizens_cannot_record_or_lift_restrictions(client, login_as, make_restriction):
    restriction = make_restriction()
    login_as(Role.CITIZEN)
    assert client.get("/restrictions/").status_code == 403
    assert client.post("/restrictions/new", data=restriction_form()).status_code == 403
    assert client.post(f"/restrictions/{restriction.id}/lift").status_code == 403
    assert db.session.get(Restriction, restriction.id).lifted_at is None


def test_the_region_has_no_default_and_the_whole_province_is_a_deliberate_choice(
    client, login_as, make_bazaar
):
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    page = client.get("/restrictions/new").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="region".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option[^>]*value="([^"]*)"', select)[:2] == ["", "province"]
    assert "selected" not in select
    client.get("/language/en")
    response = client.post("/restrictions/new", data=restriction_form(region=""))
    assert "Choose the whole province or one county." in response.get_data(as_text=True)
    assert (
        client.post("/restrictions/new", data=restriction_form(region="province")).status_code
        == 302
    )
    assert db.session.scalar(db.select(Restriction)).region_id is None
    assert history_statuses(bazaar) == ["scheduled", "held"]


def test_preview_counts_the_bazaars_and_vendors_and_records_nothing(
    client, login_as, make_bazaar, make_vendor
):
    bazaar = make_bazaar()
    for _n in range(2):
        apply(make_vendor(), bazaar, food_and_craft(bazaar)[1])
    login_as(Role.ORGANISER)
    response = client.post("/restrictions/new", data=restriction_form(preview="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "۱ بازارچه را در تعلیق می‌گذارد" in page
    assert "۲ فروشندهٔ ثبت‌نام‌کرده" in page
    assert bazaar.title in page
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0
    assert history_statuses(bazaar) == ["scheduled"]


def test_lifting_records_the_decision_and_its_document(
    client, login_as, make_bazaar, make_restriction
):
    restriction = make_restriction()
    login_as(Role.ORGANISER)
    data = {**LIFTING, "document": (io.BytesIO(PDF), "lift.pdf")}
    response = client.post(
        f"/restrictions/{restriction.id}/lift", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    lifted = db.session.get(Restriction, restriction.id)
    assert (lifted.lift_body, lifted.lift_reference) == ("ستاد استانی", "۱۴۰۵/۴۰۰")
    assert lifted.lift_decided_on == date(2026, 11, 22)
    download = client.get(f"/restrictions/{restriction.id}/lifting-document")
    assert download.data == PDF
    download.close()
    page = client.get(f"/restrictions/{restriction.id}/lift").get_data(as_text=True)
    assert 'data-testid="already-lifted"' in page
    assert "۱۴۰۵/۴۰۰" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"body": ""},
        {"reference": ""},
        {"decided_on": "۱۴۰۵/۱۳/۰۱"},
        {"document": (io.BytesIO(b"<html>"), "lift.pdf")},
    ],
)
def test_lifting_bad_input_lifts_nothing(client, login_as, make_bazaar, make_restriction, changes):
    restriction = make_restriction()
    bazaar = make_bazaar()
    login_as(Role.ORGANISER)
    response = client.post(
        f"/restrictions/{restriction.id}/lift",
        data={**LIFTING, **changes},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert db.session.get(Restriction, restriction.id).lifted_at is None
    assert history_statuses(bazaar) == ["scheduled", "held"]
