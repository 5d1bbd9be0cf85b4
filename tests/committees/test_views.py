"""Committee pages: every form with bad input changes nothing and says what is wrong where."""

import re

import pytest

from bazaar.extensions import db
from bazaar.models import Agency, Committee, FollowUp, Meeting, Role
from bazaar.services import committees
from tests.conftest import NOW
from tests.pages import count, field_error


def test_create_committee_and_bad_input(client, my_committee, make_user):
    me, colleague, _committee = my_committee
    no_name = client.post(
        "/committees/new", data={"name": "", "mandate": "x", "chair_id": str(me.id)}
    )
    assert no_name.status_code == 400
    assert field_error(no_name.get_data(as_text=True), "name")
    citizen = make_user(name="شهروند")
    citizen_member = client.post(
        "/committees/new",
        data={"name": "b", "mandate": "x", "chair_id": str(me.id), "member_ids": [citizen.id]},
    )
    assert citizen_member.status_code == 400
    assert field_error(citizen_member.get_data(as_text=True), "member_ids")
    bad_chair = client.post(
        "/committees/new", data={"name": "b", "mandate": "x", "chair_id": "999"}
    )
    assert bad_chair.status_code == 400
    assert field_error(bad_chair.get_data(as_text=True), "chair_id")
    assert count(Committee) == 1
    good = client.post(
        "/committees/new",
        data={
            "name": "کمیتهٔ آمار",
            "mandate": "آمار",
            "chair_id": str(colleague.id),
            "member_ids": [str(me.id)],
        },
    )
    assert good.status_code == 302
    assert count(Committee) == 2


def meeting_data(colleague, **changes):
    data = {
        "held_on": "۱۴۰۵/۰۸/۲۸",
        "attendee_ids": [],
        "minutes": "صورت‌جلسه",
        "decisions-0-text": "بوستان آماده شود",
        "decisions-0-followups-0-title": "هماهنگی با شهرداری",
        "decisions-0-followups-0-responsible_id": str(colleague.id),
        "decisions-0-followups-0-due_on": "۱۴۰۵/۰۹/۱۰",
    }
    return {**data, **changes}


def test_record_a_meeting_whose_decision_makes_a_follow_up(client, my_committee):
    _me, colleague, committee = my_committee
    assert (
        client.post(
            f"/committees/{committee.id}/meetings/new", data=meeting_data(colleague)
        ).status_code
        == 302
    )
    item = db.session.scalar(db.select(FollowUp))
    assert (item.responsible_id, item.decision.text) == (colleague.id, "بوستان آماده شود")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": "۱۴۰۴/۱۲/۳۰"}, "held_on", "یک تاریخ شمسی موجود"),
        ({"decisions-0-text": ""}, "decisions-0-text", "مصوبه‌ای را که پیگیری از آن می‌آید"),
        (
            {"decisions-0-followups-0-responsible_id": ""},
            "decisions-0-followups-0-responsible_id",
            "هر پیگیری باید یک مسئول",
        ),
        (
            {"decisions-0-followups-0-title": ""},
            "decisions-0-followups-0-title",
            "برای پیگیری عنوان",
        ),
        (
            {"decisions-0-followups-0-due_on": ""},
            "decisions-0-followups-0-due_on",
            "برای پیگیری مهلت",
        ),
        (
            {
                "decisions-1-text": "تصمیم دوم",
                "decisions-1-followups-0-title": "",
                "decisions-1-followups-0-responsible_id": "",
                "decisions-1-followups-0-due_on": "",
                "decisions-1-followups-1-title": "چادر",
                "decisions-1-followups-1-responsible_id": "",
                "decisions-1-followups-1-due_on": "۱۴۰۵/۰۹/۱۲",
            },
            "decisions-1-followups-1-responsible_id",
            "هر پیگیری باید یک مسئول",
        ),
    ],
)
def test_meeting_bad_input_shows_the_error_on_its_row_and_saves_nothing(
    client, my_committee, changes, field, message
):
    _me, colleague, committee = my_committee
    response = client.post(
        f"/committees/{committee.id}/meetings/new", data=meeting_data(colleague, **changes)
    )
    assert response.status_code == 400
    assert message in (field_error(response.get_data(as_text=True), field) or "")
    assert (count(Meeting), count(FollowUp)) == (0, 0)


def test_a_meeting_without_any_decision_says_so(client, my_committee):
    _me, colleague, committee = my_committee
    blank = {
        "decisions-0-text": "",
        "decisions-0-followups-0-title": "",
        "decisions-0-followups-0-responsible_id": "",
        "decisions-0-followups-0-due_on": "",
    }
    response = client.post(
        f"/committees/{committee.id}/meetings/new", data=meeting_data(colleague, **blank)
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'class="alert alert-danger"[^>]*>دست‌کم یک مصوبه', page)
    assert (count(Meeting), count(FollowUp)) == (0, 0)


def test_outsiders_and_citizens_are_kept_out(client, make_user, auth):
    owner = make_user(role=Role.ORGANISER)
    committee = committees.create_committee(
        owner, name="k", mandate="m", chair_id=owner.id, member_ids=[], now=NOW
    )
    item = committees.create_followup(
        owner, committee.id, title="t", responsible_id=owner.id, due_on=NOW.date(), now=NOW
    )
    outsider = make_user(role=Role.ORGANISER)
    auth.login(outsider.email)
    assert client.get(f"/committees/{committee.id}").status_code == 404
    assert client.get(f"/followups/{item.id}").status_code == 404
    client.post("/accounts/logout")
    auth.login(make_user().email)
    assert client.get("/committees/").status_code == 403


def test_admins_add_agencies(client, login_as):
    login_as(Role.ADMIN)
    health = {"name_fa": "شبکهٔ بهداشت", "name_en": "Health network"}
    assert client.post("/committees/agencies", data=health).status_code == 302
    again = client.post("/committees/agencies", data={**health, "name_en": "x"})
    assert again.status_code == 400
    assert field_error(again.get_data(as_text=True), "name_fa") == "این دستگاه از قبل ثبت شده است."
    empty = client.post("/committees/agencies", data={"name_fa": "", "name_en": ""})
    assert empty.status_code == 400
    html = empty.get_data(as_text=True)
    assert field_error(html, "name_fa")
    assert field_error(html, "name_en") is None  # the English name is optional (issue 14)
    assert count(Agency) == 1


def test_one_decision_can_make_two_follow_ups(client, my_committee):
    me, colleague, committee = my_committee
    data = meeting_data(
        colleague,
        **{
            "decisions-0-followups-1-title": "تهیهٔ چادر",
            "decisions-0-followups-1-responsible_id": str(me.id),
            "decisions-0-followups-1-due_on": "۱۴۰۵/۰۹/۱۲",
        },
    )
    assert client.post(f"/committees/{committee.id}/meetings/new", data=data).status_code == 302
    assert sorted(f.responsible_id for f in db.session.scalars(db.select(FollowUp))) == sorted(
        [colleague.id, me.id]
    )


def test_edit_committee_members(client, my_committee, make_user):
    me, colleague, committee = my_committee
    newcomer = make_user(role=Role.ORGANISER, name="تازه")
    assert "همکار" in client.get(f"/committees/{committee.id}/edit").get_data(as_text=True)
    data = {
        "name": "کمیته",
        "mandate": "m2",
        "chair_id": str(me.id),
        "member_ids": [str(newcomer.id)],
    }
    assert client.post(f"/committees/{committee.id}/edit", data=data).status_code == 302
    saved = db.session.get(Committee, committee.id)
    assert sorted(m.id for m in saved.members) == sorted([me.id, newcomer.id])
    no_mandate = client.post(f"/committees/{committee.id}/edit", data={**data, "mandate": ""})
    assert no_mandate.status_code == 400
    assert field_error(no_mandate.get_data(as_text=True), "mandate")
    assert db.session.get(Committee, committee.id).mandate == "m2"
    assert colleague.id not in [m.id for m in saved.members]


def test_an_attendee_who_is_no_organiser_is_refused_on_the_attendees(
    client, my_committee, make_user
):
    _me, colleague, committee = my_committee
    citizen = make_user()
    response = client.post(
        f"/committees/{committee.id}/meetings/new",
        data=meeting_data(colleague, attendee_ids=[str(citizen.id)]),
    )
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "attendee_ids")
    assert (count(Meeting), count(FollowUp)) == (0, 0)
