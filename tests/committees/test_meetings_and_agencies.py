"""Meeting pages with guests, signed minutes, invitations and added rows; agency pages."""

import io
import re

import pytest

from bazaar.extensions import db
from bazaar.models import Agency, FollowUp, Guest, Meeting, Message, Role, User
from bazaar.services import agencies
from tests.committees.test_views import meeting_data
from tests.conftest import NOW, PASSWORD
from tests.pages import count, field_error

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def health(make_user):
    return agencies.save_agency(make_user(role=Role.ADMIN), name_fa="شبکهٔ بهداشت", now=NOW)


def test_add_buttons_give_one_more_row_and_save_nothing(client, my_committee):
    _me, colleague, committee = my_committee
    url = f"/committees/{committee.id}/meetings/new"
    page = client.get(url).get_data(as_text=True)
    assert page.count('data-testid="decision"') == 2
    more = client.post(url, data={**meeting_data(colleague), "add": "decision"})
    assert more.status_code == 200
    html = more.get_data(as_text=True)
    assert html.count('data-testid="decision"') == 3
    assert "هماهنگی با شهرداری" in html  # what was typed stays
    rows = client.post(url, data={**meeting_data(colleague), "add": "followup-0"})
    assert 'name="decisions-0-followups-1-title"' in rows.get_data(as_text=True)
    guest = client.post(url, data={**meeting_data(colleague), "add": "guest"})
    assert guest.get_data(as_text=True).count('data-testid="guest-row"') == 2
    # A forged button adds nothing and breaks nothing.
    assert (
        client.post(url, data={**meeting_data(colleague), "add": "followup-99"}).status_code == 200
    )
    assert count(Meeting) == 0


def test_a_meeting_with_two_decisions_guests_and_signed_minutes(client, my_committee, health):
    _me, colleague, committee = my_committee
    data = meeting_data(
        colleague,
        **{
            "decisions-1-text": "فهرست غرفه‌ها تهیه شود",
            "decisions-1-followups-0-title": "فهرست غرفه‌ها",
            "decisions-1-followups-0-responsible_id": str(colleague.id),
            "decisions-1-followups-0-due_on": "۱۴۰۵/۰۹/۱۵",
            "guests-0-name": "دکتر رضایی",
            "guests-0-agency_id": str(health.id),
            "guests-0-role": "کارشناس بهداشت",
            "minutes_document": (io.BytesIO(PDF), "minutes.pdf"),
        },
    )
    response = client.post(
        f"/committees/{committee.id}/meetings/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    assert len(meeting.decisions) == 2
    assert [(g.name, g.agency_id) for g in meeting.guests] == [("دکتر رضایی", health.id)]
    page = client.get(f"/committees/{committee.id}").get_data(as_text=True)
    assert page.count('data-testid="meeting-decision"') == 2
    assert "دکتر رضایی (شبکهٔ بهداشت، کارشناس بهداشت)" in page
    download = client.get(f"/committees/meetings/{meeting.id}/minutes")
    assert download.data == PDF
    download.close()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes_document": (io.BytesIO(b"<html>"), "minutes.pdf")}, "minutes_document"),
        ({"guests-0-name": "", "guests-0-role": "کارشناس"}, "guests-0-name"),
        ({"guests-0-name": "کسی", "guests-0-agency_id": "999"}, "guests-0-agency_id"),
        (
            {
                "decisions-0-followups-0-responsible_id": "",
                "decisions-0-followups-0-invite_name": "آقای کریمی",
                "decisions-0-followups-0-invite_contact": "0912",
            },
            "decisions-0-followups-0-invite_contact",
        ),
        (
            {
                "decisions-0-followups-0-responsible_id": "",
                "decisions-0-followups-0-invite_contact": "09121110000",
            },
            "decisions-0-followups-0-invite_name",
        ),
    ],
)
def test_meeting_bad_input_records_nothing(client, my_committee, health, changes, field):
    _me, colleague, committee = my_committee
    users = count(User)
    response = client.post(
        f"/committees/{committee.id}/meetings/new",
        data=meeting_data(colleague, **changes),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field)
    assert (count(Meeting), count(FollowUp), count(Guest), count(User)) == (0, 0, 0, users)


def test_an_invited_responsible_person_claims_the_account_from_the_message(
    client, my_committee, health
):
    _me, colleague, committee = my_committee
    data = meeting_data(
        colleague,
        **{
            "decisions-0-followups-0-responsible_id": "",
            "decisions-0-followups-0-invite_name": "آقای کریمی",
            "decisions-0-followups-0-invite_contact": "karimi@example.com",
            "decisions-0-followups-0-invite_agency_id": str(health.id),
        },
    )
    assert client.post(f"/committees/{committee.id}/meetings/new", data=data).status_code == 302
    invited = db.session.scalar(db.select(User).where(User.email == "karimi@example.com"))
    assert db.session.scalar(db.select(FollowUp)).responsible_id == invited.id
    (message,) = db.session.scalars(db.select(Message).where(Message.user_id == invited.id))
    path = re.search(r"http://[^/]+(/committees/invitation/\S+)", message.body).group(1)
    client.post("/accounts/logout")
    form = client.get(path)
    assert form.status_code == 200
    assert "شبکهٔ بهداشت" in form.get_data(as_text=True)
    mismatch = client.post(path, data={"name": "علی", "password": PASSWORD, "confirm": "x"})
    assert mismatch.status_code == 400
    assert db.session.get(User, invited.id).invited_at is not None
    done = client.post(path, data={"name": "علی کریمی", "password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302
    assert "هماهنگی با شهرداری" in client.get("/followups/").get_data(as_text=True)
    # The link is spent: it says so and does nothing more.
    client.post("/accounts/logout")
    assert client.get(path).status_code == 302
    assert (
        client.post(path, data={"name": "x", "password": PASSWORD, "confirm": PASSWORD}).status_code
        == 404
    )
    assert client.get("/committees/invitation/forged").status_code == 302


def test_admins_rename_retire_and_delete_agencies(client, login_as, make_user, health):
    login_as(Role.ADMIN)
    form = client.get(f"/committees/agencies/{health.id}/edit").get_data(as_text=True)
    assert 'value="شبکهٔ بهداشت"' in form
    renamed = client.post(
        f"/committees/agencies/{health.id}/edit", data={"name_fa": "شبکهٔ بهداشت قم", "name_en": ""}
    )
    assert renamed.status_code == 302
    assert db.session.get(Agency, health.id).name_fa == "شبکهٔ بهداشت قم"
    blank = client.post(f"/committees/agencies/{health.id}/edit", data={"name_fa": ""})
    assert blank.status_code == 400
    assert db.session.get(Agency, health.id).name_fa == "شبکهٔ بهداشت قم"
    organiser = make_user(role=Role.ORGANISER)
    organiser.agency_id = health.id
    db.session.commit()
    refused = client.post(f"/committees/agencies/{health.id}/delete", follow_redirects=True)
    assert "غیرفعالش کنید" in refused.get_data(as_text=True)
    assert db.session.get(Agency, health.id) is not None
    client.post(f"/committees/agencies/{health.id}/retire")
    page = client.get("/committees/agencies").get_data(as_text=True)
    assert 'data-retired="yes"' in page
    client.post(f"/committees/agencies/{health.id}/reinstate")
    assert db.session.get(Agency, health.id).retired_at is None
    spare_id = agencies.save_agency(None, name_fa="اشتباهی", now=NOW).id
    client.post(f"/committees/agencies/{spare_id}/delete")
    db.session.expire_all()
    assert db.session.get(Agency, spare_id) is None
    assert client.post("/committees/agencies/999/retire").status_code == 404


def test_organisers_cannot_change_agencies(client, login_as, health):
    login_as(Role.ORGANISER)
    assert client.post(f"/committees/agencies/{health.id}/retire").status_code == 403
    assert client.post(f"/committees/agencies/{health.id}/delete").status_code == 403
    assert db.session.get(Agency, health.id).retired_at is None
