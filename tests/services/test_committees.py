"""Committees, their members and agencies; a meeting's decisions create follow-ups."""

from datetime import date

import pytest

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import FollowUp, Meeting, Message, Role
from bazaar.services import committees
from tests.conftest import NOW
from tests.pages import count


def meeting(chair, committee, decisions):
    return committees.record_meeting(
        chair,
        committee.id,
        held_on=date(2026, 11, 18),
        attendee_ids=[chair.id],
        minutes="…",
        decisions=decisions,
        now=NOW,
    )


def park(responsible, **changes):
    return {
        "title": "بوستان علوی",
        "responsible_id": responsible.id,
        "due_on": date(2026, 11, 30),
        **changes,
    }


def test_meeting_decisions_create_follow_ups_and_tell_the_responsible(app, team):
    chair, colleague, _outsider, committee = team
    recorded = meeting(chair, committee, [("آماده‌سازی بوستان", [park(colleague)])])
    (decision,) = recorded.decisions
    (item,) = decision.followups
    assert (item.responsible_id, item.status) == (colleague.id, "open")
    assert db.session.scalar(
        db.select(Message).where(
            Message.user_id == colleague.id, Message.subject.like("%بوستان علوی%")
        )
    )


def test_a_meeting_needs_a_decision(app, team):
    chair, _colleague, _outsider, committee = team
    with pytest.raises(Invalid) as refused:
        meeting(chair, committee, [])
    assert (refused.value.code, refused.value.params["field"]) == (
        "committee.decision_required",
        "decisions",
    )


def test_a_follow_up_needs_the_decision_it_comes_from(app, team):
    chair, colleague, _outsider, committee = team
    with pytest.raises(Invalid) as refused:
        meeting(chair, committee, [("تصمیم", []), (" ", [park(colleague)])])
    assert refused.value.code == "committee.decision_text_required"
    assert (refused.value.params["field"], refused.value.params["decision"]) == ("text", 1)
    assert (count(Meeting), count(FollowUp)) == (0, 0)


def test_a_refused_follow_up_names_its_row_and_saves_nothing(app, team):
    chair, colleague, _outsider, committee = team
    decisions = [
        ("تصمیم یک", [park(colleague)]),
        ("تصمیم دو", [park(colleague), park(colleague, responsible_id=None)]),
    ]
    with pytest.raises(Invalid) as refused:
        meeting(chair, committee, decisions)
    assert refused.value.code == "followup.responsible_required"
    assert refused.value.params == {"field": "responsible_id", "decision": 1, "followup": 1}
    assert (count(Meeting), count(FollowUp)) == (0, 0)


def test_outsiders_cannot_record_a_meeting(app, team):
    _chair, colleague, outsider, committee = team
    with pytest.raises(NotFound):
        meeting(outsider, committee, [("تصمیم", [park(colleague)])])


def test_committee_needs_a_name_mandate_and_organiser_chair(app, make_user):
    chair = make_user(role=Role.ORGANISER)
    cases = [
        ({"name": ""}, "committee.name_required", "name"),
        ({"mandate": " "}, "committee.mandate_required", "mandate"),
        ({"chair_id": make_user().id}, "committee.not_an_organiser", "chair_id"),
        ({"member_ids": [make_user().id]}, "committee.not_an_organiser", "member_ids"),
    ]
    fields = {"name": "x", "mandate": "y", "chair_id": chair.id, "member_ids": []}
    for changes, code, field in cases:
        with pytest.raises(Invalid) as refused:
            committees.create_committee(chair, now=NOW, **{**fields, **changes})
        assert (refused.value.code, refused.value.params["field"]) == (code, field)
    committees.create_committee(chair, now=NOW, **fields)
    with pytest.raises(Conflict) as refused:
        committees.create_committee(chair, now=NOW, **fields)
    assert refused.value.code == "committee.name_taken"


def test_agencies(app, make_user):
    admin, organiser = make_user(role=Role.ADMIN), make_user(role=Role.ORGANISER)
    agency = committees.save_agency(
        admin, name_fa="جهاد دانشگاهی", name_en="University Jihad", now=NOW
    )
    with pytest.raises(Conflict):
        committees.save_agency(admin, name_fa="جهاد دانشگاهی", name_en="x", now=NOW)
    committees.set_agency(admin, organiser.id, agency.id, now=NOW)
    assert organiser.agency.name_en == "University Jihad"
    with pytest.raises(Invalid):
        committees.set_agency(admin, organiser.id, 999, now=NOW)
    assert organiser.agency_id == agency.id
