"""Meetings a council can use: many decisions, guests, signed minutes; invitations; agencies."""

from datetime import date, timedelta

import pytest

from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.models import Agency, FollowUp, Guest, Meeting, Message, Role, User
from bazaar.services import accounts, agencies, committees, invitations
from tests.conftest import NOW, PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def agency(make_user):
    return agencies.save_agency(make_user(role=Role.ADMIN), name_fa="شبکهٔ بهداشت", now=NOW)


def followup(responsible=None, title="بازدید بهداشت", **changes):
    data = {"title": title, "due_on": date(2026, 12, 5), **changes}
    if responsible is not None:
        data["responsible_id"] = responsible.id
    return data


def record(chair, committee, decisions, **extra):
    return committees.record_meeting(
        chair,
        committee.id,
        held_on=date(2026, 11, 18),
        attendee_ids=[chair.id],
        minutes="",
        decisions=decisions,
        now=NOW,
        **extra,
    )


def test_a_meeting_takes_any_number_of_decisions_each_with_any_number_of_follow_ups(app, team):
    chair, colleague, _outsider, committee = team
    decisions = [
        (f"مصوبهٔ {n}", [followup(colleague, title=f"پیگیری {n}-{m}") for m in range(n % 4)])
        for n in range(12)
    ]
    meeting = record(chair, committee, decisions)
    assert len(meeting.decisions) == 12
    assert [len(d.followups) for d in meeting.decisions] == [n % 4 for n in range(12)]


def test_guests_and_signed_minutes_are_kept_with_the_meeting(app, team, agency):
    chair, _colleague, _outsider, committee = team
    guests = [
        {"name": "دکتر رضایی", "agency_id": agency.id, "role": "کارشناس"},
        {"name": "خانم احمدی", "agency_id": None, "role": ""},
    ]
    meeting = record(chair, committee, [("مصوبه", [])], guests=guests, minutes_document=PDF)
    stored = db.session.get(Meeting, meeting.id)
    assert [(g.name, g.agency_id, g.role) for g in stored.guests] == [
        ("دکتر رضایی", agency.id, "کارشناس"),
        ("خانم احمدی", None, ""),
    ]
    assert stored.minutes_document.endswith(".pdf")


@pytest.mark.parametrize(
    "extra",
    [
        {"minutes_document": b"<html>not signed minutes</html>"},
        {"guests": [{"name": " ", "agency_id": None, "role": ""}]},
        {"guests": [{"name": "کسی", "agency_id": 999, "role": ""}]},
    ],
)
def test_bad_minutes_or_guests_record_nothing(app, team, extra):
    chair, colleague, _outsider, committee = team
    with pytest.raises(Invalid):
        record(chair, committee, [("مصوبه", [followup(colleague)])], **extra)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0
    assert db.session.scalar(db.select(db.func.count(FollowUp.id))) == 0


def invite(name="آقای کریمی", contact="09121110000", agency_id=None):
    return {"name": name, "contact": contact, "agency_id": agency_id}


def test_a_follow_up_is_an_invited_persons_from_the_start_and_the_invitation_claims_it(
    app, team, agency, client
):
    chair, _colleague, _outsider, committee = team
    meeting = record(
        chair,
        committee,
        [
            ("مصوبهٔ اول", [followup(title="گزارش بازدید", invite=invite(agency_id=agency.id))]),
            ("مصوبهٔ دوم", [followup(title="فهرست غرفه‌ها", invite=invite(agency_id=agency.id))]),
        ],
    )
    person = db.session.scalar(db.select(User).where(User.mobile == "09121110000"))
    assert (person.role, person.agency_id, person.invited_at) == ("organiser", agency.id, NOW)
    owned = [f.responsible_id for d in meeting.decisions for f in d.followups]
    assert owned == [person.id, person.id]  # one person, invited once, owns both
    (message,) = db.session.scalars(db.select(Message).where(Message.user_id == person.id))
    assert message.channel == "sms"
    assert "گزارش بازدید" in message.body
    assert "فهرست غرفه‌ها" in message.body
    token = message.body.split("/committees/invitation/", 1)[1].split()[0]
    assert invitations.find_invited_user(token, NOW) == person
    # Until then the account cannot sign in.
    with pytest.raises(Invalid, match="bad_credentials"):
        accounts.authenticate("09121110000", PASSWORD, now=NOW)
    invitations.accept_invitation(token, name="علی کریمی", password=PASSWORD, now=NOW)
    user = accounts.authenticate("09121110000", PASSWORD, now=NOW)
    assert (user.id, user.name, user.invited_at) == (person.id, "علی کریمی", None)
    # The link is spent.
    with pytest.raises(Invalid):
        invitations.accept_invitation(token, name="", password=PASSWORD + "x", now=NOW)


def test_an_invitation_expires_and_a_forged_one_names_nobody(app, team, agency):
    chair, _colleague, _outsider, committee = team
    record(chair, committee, [("مصوبه", [followup(invite=invite(agency_id=agency.id))])])
    person = db.session.scalar(db.select(User).where(User.mobile == "09121110000"))
    token = invitations.make_invitation_token(person, NOW)
    assert invitations.find_invited_user(token, NOW + timedelta(days=15)) is None
    assert invitations.find_invited_user(token + "x", NOW) is None


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"contact": ""},
        {"contact": "0912"},
        {"contact": "not@an@email"},
        {"agency_id": None},
        {"agency_id": 999},
        {"contact": "existing@example.com"},
    ],
)
def test_a_bad_invitation_records_nothing(app, team, agency, make_user, bad):
    chair, _colleague, _outsider, committee = team
    make_user(email="existing@example.com")
    users = db.session.scalar(db.select(db.func.count(User.id)))
    with pytest.raises((Invalid, Conflict)) as refused:
        record(
            chair,
            committee,
            [("مصوبه", [followup(invite={**invite(agency_id=agency.id), **bad})])],
        )
    assert refused.value.params.get("decision") == 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == users
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_agencies_rename_retire_and_are_not_deleted_with_history(app, make_user, agency):
    admin, organiser = make_user(role=Role.ADMIN), make_user(role=Role.ORGANISER)
    assert agency.name_en is None
    assert agency.name_in("en") == "شبکهٔ بهداشت"  # no English name: the Persian one is shown
    agencies.rename_agency(
        admin, agency.id, name_fa="شبکهٔ بهداشت قم", name_en="Qom Health Network", now=NOW
    )
    assert db.session.get(Agency, agency.id).name_in("en") == "Qom Health Network"
    committees.set_agency(admin, organiser.id, agency.id, now=NOW)
    with pytest.raises(Conflict) as refused:
        agencies.delete_agency(admin, agency.id, now=NOW)
    assert refused.value.code == "agency.has_history"
    agencies.retire_agency(admin, agency.id, retired=True, now=NOW)
    other = make_user(role=Role.ORGANISER)
    with pytest.raises(Invalid):
        committees.set_agency(admin, other.id, agency.id, now=NOW)
    assert db.session.get(User, organiser.id).agency_id == agency.id  # its people stay
    assert agency not in agencies.list_agencies(include_retired=False)
    agencies.retire_agency(admin, agency.id, retired=False, now=NOW)
    committees.set_agency(admin, other.id, agency.id, now=NOW)


def test_an_agency_without_history_can_be_deleted_and_names_stay_unique(app, make_user, agency):
    admin = make_user(role=Role.ADMIN)
    spare = agencies.save_agency(admin, name_fa="اشتباهی", now=NOW)
    with pytest.raises(Conflict):
        agencies.rename_agency(admin, spare.id, name_fa="شبکهٔ بهداشت", now=NOW)
    with pytest.raises(Invalid):
        agencies.rename_agency(admin, spare.id, name_fa=" ", now=NOW)
    agencies.delete_agency(admin, spare.id, now=NOW)
    assert db.session.get(Agency, spare.id) is None
    assert db.session.scalar(db.select(db.func.count(Guest.id))) == 0
