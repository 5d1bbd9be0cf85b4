"""Committees, meetings and follow-ups with exactly one responsible person."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import FollowUp, FollowUpEvent, Message, Role
from bazaar.services import committees
from tests.conftest import NOW


@pytest.fixture
def team(make_user):
    chair = make_user(role=Role.ORGANISER, name="رئیس", locale="en")
    colleague = make_user(role=Role.ORGANISER, name="همکار", locale="en")
    outsider = make_user(role=Role.ORGANISER, name="بیرونی")
    committee = committees.create_committee(
        chair,
        name="کمیتهٔ بازارچه‌ها",
        mandate="برنامه‌ریزی",
        chair_id=chair.id,
        member_ids=[colleague.id],
        now=NOW,
    )
    return chair, colleague, outsider, committee


def followup(chair, committee, responsible, **changes):
    data = {
        "title": "هماهنگی با شهرداری",
        "responsible_id": responsible.id,
        "due_on": date(2026, 11, 25),
    }
    return committees.create_followup(chair, committee.id, now=NOW, **{**data, **changes})


def test_a_follow_up_without_a_responsible_person_is_impossible(app, team):
    chair, _colleague, _outsider, committee = team
    with pytest.raises(Invalid):
        committees.create_followup(
            chair, committee.id, title="x", responsible_id=None, due_on=date(2026, 12, 1), now=NOW
        )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.add(
            FollowUp(
                committee_id=committee.id, title="x", due_on=date(2026, 12, 1), responsible_id=None
            )
        )
        db.session.flush()
    db.session.rollback()


def test_only_organisers_can_be_responsible(app, team, make_user):
    chair, _colleague, _outsider, committee = team
    citizen = make_user()
    with pytest.raises(Invalid):
        followup(chair, committee, citizen)


def test_meeting_decisions_create_follow_ups_and_tell_the_responsible(app, team):
    chair, colleague, _outsider, committee = team
    meeting = committees.record_meeting(
        chair,
        committee.id,
        held_on=date(2026, 11, 18),
        attendee_ids=[chair.id, colleague.id],
        minutes="…",
        decisions=[
            (
                "آماده‌سازی بوستان",
                [
                    {
                        "title": "بوستان علوی",
                        "responsible_id": colleague.id,
                        "due_on": date(2026, 11, 30),
                    }
                ],
            )
        ],
        now=NOW,
    )
    (decision,) = meeting.decisions
    (item,) = decision.followups
    assert (item.responsible_id, item.status) == (colleague.id, "open")
    assert db.session.scalar(
        db.select(Message).where(
            Message.user_id == colleague.id, Message.subject.like("%بوستان علوی%")
        )
    )
    with pytest.raises(Invalid):
        committees.record_meeting(
            chair,
            committee.id,
            held_on=date(2026, 11, 18),
            attendee_ids=[],
            minutes="",
            decisions=[],
            now=NOW,
        )


def test_reassignment_records_who_handed_it_to_whom_and_why(app, team):
    chair, colleague, outsider, committee = team
    item = followup(chair, committee, colleague)
    committees.reassign(chair, item.id, outsider.id, "همکار در مرخصی است", now=NOW)
    with pytest.raises(Invalid):
        committees.reassign(chair, item.id, colleague.id, " ", now=NOW)
    with pytest.raises(Conflict):
        committees.reassign(chair, item.id, outsider.id, "again", now=NOW)
    event = db.session.scalar(db.select(FollowUpEvent).where(FollowUpEvent.kind == "reassign"))
    assert (event.actor_id, event.from_user_id, event.to_user_id, event.text) == (
        chair.id,
        colleague.id,
        outsider.id,
        "همکار در مرخصی است",
    )
    assert db.session.get(FollowUp, item.id).responsible_id == outsider.id


def test_status_rules_and_history(app, team):
    chair, colleague, _outsider, committee = team
    item = followup(chair, committee, colleague)
    with pytest.raises(Invalid):
        committees.set_status(colleague, item.id, "blocked", now=NOW)
    committees.set_status(colleague, item.id, "blocked", reason="منتظر شهرداری", now=NOW)
    with pytest.raises(Conflict):
        committees.set_status(colleague, item.id, "blocked", reason="again", now=NOW)
    committees.comment(colleague, item.id, "تماس گرفتم", now=NOW)
    committees.set_status(colleague, item.id, "done", now=NOW)
    done = db.session.get(FollowUp, item.id)
    assert (done.status, done.done_at, done.blocked_reason) == ("done", NOW, None)
    assert [e.kind for e in done.events] == ["create", "status", "comment", "status"]
    with pytest.raises(Invalid):
        committees.set_status(colleague, item.id, "finished", now=NOW)


def test_follow_ups_are_seen_by_committee_members_only(app, team):
    chair, colleague, outsider, committee = team
    item = followup(chair, committee, colleague, due_on=date(2026, 11, 10))
    assert [f.id for f in committees.overdue_followups(chair, date(2026, 11, 20))] == [item.id]
    assert committees.overdue_followups(outsider, date(2026, 11, 20)) == []
    with pytest.raises(NotFound):
        committees.get_followup(outsider, item.id)
    assert [f.id for f in committees.my_followups(colleague)] == [item.id]


def test_reminders_once_a_day_for_due_soon_and_overdue(app, team):
    chair, colleague, _outsider, committee = team
    followup(chair, committee, colleague, title="soon", due_on=date(2026, 11, 22))
    followup(chair, committee, colleague, title="late", due_on=date(2026, 11, 15))
    followup(chair, committee, colleague, title="later", due_on=date(2026, 12, 20))
    done = followup(chair, committee, colleague, title="done", due_on=date(2026, 11, 15))
    committees.set_status(colleague, done.id, "done", now=NOW)
    assert committees.remind(now=NOW) == 2
    assert committees.remind(now=NOW + timedelta(hours=3)) == 0  # same day in Tehran
    assert committees.remind(now=NOW + timedelta(days=1)) == 2
    subjects = db.session.scalars(
        db.select(Message.subject).where(Message.user_id == colleague.id)
    ).all()
    assert subjects.count("Due soon: soon") == 2
    assert subjects.count("Overdue: late") == 2


def test_committee_needs_a_name_mandate_and_organiser_chair(app, make_user):
    chair = make_user(role=Role.ORGANISER)
    with pytest.raises(Invalid):
        committees.create_committee(
            chair, name="", mandate="x", chair_id=chair.id, member_ids=[], now=NOW
        )
    with pytest.raises(Invalid):
        committees.create_committee(
            chair, name="x", mandate=" ", chair_id=chair.id, member_ids=[], now=NOW
        )
    with pytest.raises(Invalid):
        committees.create_committee(
            chair, name="x", mandate="y", chair_id=make_user().id, member_ids=[], now=NOW
        )
    committees.create_committee(
        chair, name="x", mandate="y", chair_id=chair.id, member_ids=[], now=NOW
    )
    with pytest.raises(Conflict):
        committees.create_committee(
            chair, name="x", mandate="y", chair_id=chair.id, member_ids=[], now=NOW
        )


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
