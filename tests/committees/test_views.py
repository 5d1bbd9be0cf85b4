"""Committee and follow-up pages: every form with bad input changes nothing."""

import pytest

from bazaar.extensions import db
from bazaar.models import Agency, Committee, FollowUp, FollowUpEvent, Meeting, Role
from bazaar.services import committees
from tests.conftest import NOW


@pytest.fixture
def setup(make_user, login_as):
    me = login_as(Role.ORGANISER, name="من")
    colleague = make_user(role=Role.ORGANISER, name="همکار")
    committee = committees.create_committee(
        me, name="کمیته", mandate="m", chair_id=me.id, member_ids=[colleague.id], now=NOW
    )
    return me, colleague, committee


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_create_committee_and_bad_input(client, setup):
    me, colleague, _committee = setup
    assert (
        client.post(
            "/committees/new", data={"name": "", "mandate": "x", "chair_id": str(me.id)}
        ).status_code
        == 400
    )
    bad_chair = client.post(
        "/committees/new", data={"name": "b", "mandate": "x", "chair_id": "999"}
    )
    assert bad_chair.status_code == 400
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


def test_record_a_meeting_whose_decision_makes_a_follow_up(client, setup):
    _me, colleague, committee = setup
    assert (
        client.post(
            f"/committees/{committee.id}/meetings/new", data=meeting_data(colleague)
        ).status_code
        == 302
    )
    item = db.session.scalar(db.select(FollowUp))
    assert (item.responsible_id, item.decision.text) == (colleague.id, "بوستان آماده شود")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "۱۴۰۴/۱۲/۳۰"}, "یک تاریخ شمسی موجود"),
        ({"decisions-0-text": ""}, "مصوبه‌ای را که پیگیری از آن می‌آید"),
        ({"decisions-0-followups-0-responsible_id": ""}, "هر پیگیری باید یک مسئول"),
        (
            {
                "decisions-0-text": "",
                "decisions-0-followups-0-title": "",
                "decisions-0-followups-0-responsible_id": "",
                "decisions-0-followups-0-due_on": "",
            },
            "دست‌کم یک مصوبه",
        ),
        ({"decisions-0-followups-0-due_on": ""}, "برای پیگیری مهلت"),
    ],
)
def test_meeting_bad_input_saves_nothing(client, setup, changes, message):
    _me, colleague, committee = setup
    response = client.post(
        f"/committees/{committee.id}/meetings/new", data=meeting_data(colleague, **changes)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert (count(Meeting), count(FollowUp)) == (0, 0)


def test_follow_up_pages_comment_status_reassign(client, setup, make_user):
    me, colleague, committee = setup
    item = committees.create_followup(
        me, committee.id, title="کار", responsible_id=me.id, due_on=NOW.date(), now=NOW
    )
    assert "کار" in client.get("/followups/").get_data(as_text=True)
    url = f"/followups/{item.id}"
    assert client.post(f"{url}/comment", data={"text": ""}).status_code == 400
    assert client.post(f"{url}/status", data={"status": "blocked", "reason": ""}).status_code == 400
    assert client.post(f"{url}/status", data={"status": "nonsense"}).status_code == 400
    reassign = {"reassign-responsible_id": str(colleague.id), "reassign-reason": ""}
    assert client.post(f"{url}/reassign", data=reassign).status_code == 400
    assert db.session.get(FollowUp, item.id).status == "open"
    assert count(FollowUpEvent) == 1
    assert client.post(f"{url}/comment", data={"text": "پیگیری شد"}).status_code == 302
    reassign = {"reassign-responsible_id": str(colleague.id), "reassign-reason": "مرخصی"}
    assert client.post(f"{url}/reassign", data=reassign).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "آن را از من به همکار سپرد: مرخصی" in page


def test_new_follow_up_for_a_bazaar_shows_on_its_page(client, setup, make_bazaar):
    _me, colleague, committee = setup
    bazaar = make_bazaar()
    data = {
        "title": "چادرها",
        "responsible_id": str(colleague.id),
        "due_on": "۱۴۰۵/۰۹/۱۲",
        "bazaar_id": str(bazaar.id),
    }
    assert client.post(f"/committees/{committee.id}/followups/new", data=data).status_code == 302
    assert "چادرها" in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    bad = client.post(
        f"/committees/{committee.id}/followups/new", data={**data, "responsible_id": ""}
    )
    assert bad.status_code == 400


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
    assert (
        client.post(
            "/committees/agencies", data={"name_fa": "شبکهٔ بهداشت", "name_en": "Health network"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/committees/agencies", data={"name_fa": "شبکهٔ بهداشت", "name_en": "x"}
        ).status_code
        == 400
    )
    assert (
        client.post("/committees/agencies", data={"name_fa": "", "name_en": ""}).status_code == 400
    )
    assert count(Agency) == 1


def test_one_decision_can_make_two_follow_ups(client, setup):
    me, colleague, committee = setup
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


def test_edit_committee_members(client, setup, make_user):
    me, colleague, committee = setup
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
    assert (
        client.post(f"/committees/{committee.id}/edit", data={**data, "mandate": ""}).status_code
        == 400
    )
    assert db.session.get(Committee, committee.id).mandate == "m2"
    assert colleague.id not in [m.id for m in saved.members]
