"""Follow-ups: one responsible person, status rules, hand-overs, reminders, and who sees them."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import FollowUp, FollowUpEvent, Message, Role
from bazaar.services.followups import service as followups
from tests.conftest import NOW


def followup(chair, committee, responsible, **changes):
    data = {
        "title": "هماهنگی با شهرداری",
        "responsible_id": responsible.id,
        "due_on": date(2026, 11, 25),
    }
    return followups.create_followup(chair, committee.id, now=NOW, **{**data, **changes})


def test_a_follow_up_without_a_responsible_person_is_impossible(app, team):
    chair, _colleague, _outsider, committee = team
    with pytest.raises(Invalid) as refused:
        followups.create_followup(
            chair, committee.id, title="x", responsible_id=None, due_on=date(2026, 12, 1), now=NOW
        )
    assert (refused.value.code, refused.value.params["field"]) == (
        "followup.responsible_required",
        "responsible_id",
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
    with pytest.raises(Invalid) as refused:
        followup(chair, committee, citizen)
    assert (refused.value.code, refused.value.params["field"]) == (
        "committee.not_an_organiser",
        "responsible_id",
    )
    assert db.session.scalar(db.select(db.func.count(FollowUp.id))) == 0


def test_reassignment_records_who_handed_it_to_whom_and_why(app, team):
    chair, colleague, outsider, committee = team
    item = followup(chair, committee, colleague)
    followups.reassign(chair, item.id, outsider.id, "همکار در مرخصی است", now=NOW)
    with pytest.raises(Invalid, match=r"followup\.reason_required"):
        followups.reassign(chair, item.id, colleague.id, " ", now=NOW)
    with pytest.raises(Conflict, match=r"followup\.same_person"):
        followups.reassign(chair, item.id, outsider.id, "again", now=NOW)
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
    with pytest.raises(Invalid, match=r"followup\.reason_required"):
        followups.set_status(colleague, item.id, "blocked", now=NOW)
    followups.set_status(colleague, item.id, "blocked", reason="منتظر شهرداری", now=NOW)
    assert db.session.get(FollowUp, item.id).blocked_reason == "منتظر شهرداری"
    with pytest.raises(Conflict, match=r"followup\.same_status"):
        followups.set_status(colleague, item.id, "blocked", reason="again", now=NOW)
    followups.comment(colleague, item.id, "تماس گرفتم", now=NOW)
    followups.set_status(colleague, item.id, "done", now=NOW)
    done = db.session.get(FollowUp, item.id)
    assert (done.status, done.done_at, done.blocked_reason) == ("done", NOW, None)
    assert [e.kind for e in done.events] == ["create", "status", "comment", "status"]
    with pytest.raises(Invalid, match=r"followup\.bad_status"):
        followups.set_status(colleague, item.id, "finished", now=NOW)
    assert db.session.get(FollowUp, item.id).status == "done"


def test_follow_ups_are_seen_by_committee_members_only(app, team):
    chair, colleague, outsider, committee = team
    item = followup(chair, committee, colleague, due_on=date(2026, 11, 10))
    assert [f.id for f in followups.overdue_followups(chair, date(2026, 11, 20))] == [item.id]
    assert followups.overdue_followups(outsider, date(2026, 11, 20)) == []
    with pytest.raises(NotFound):
        followups.get_followup(outsider, item.id)
    with pytest.raises(NotFound):
        followups.comment(outsider, item.id, "x", now=NOW)
    assert [f.id for f in followups.my_followups(colleague)] == [item.id]
    assert followups.my_followups(chair) == []


def test_one_visibility_rule_for_lists_and_pages(app, team, make_user, make_bazaar):
    chair, colleague, outsider, committee = team
    admin, vendor = make_user(role=Role.ADMIN), make_user(role=Role.VENDOR)
    bazaar = make_bazaar()
    item = followup(chair, committee, colleague, bazaar_id=bazaar.id, due_on=date(2026, 11, 10))
    # Handed to someone outside the committee: they see it (it is theirs); others outside do not.
    handed = followup(chair, committee, colleague, title="سپرده", bazaar_id=bazaar.id)
    followups.reassign(chair, handed.id, outsider.id, "مرخصی", now=NOW)
    today = date(2026, 11, 20)
    seen = {
        user.id: (
            [f.id for f in followups.followups_about(bazaar.id, user)],
            [f.id for f in followups.committee_followups(committee.id, user)],
            [f.id for f in followups.overdue_followups(user, today)],
            [followups.can_see_followup(user, f) for f in (item, handed)],
        )
        for user in (chair, colleague, outsider, admin, vendor)
    }
    both = sorted([item.id, handed.id])
    assert {k: (sorted(a), sorted(b), c, d) for k, (a, b, c, d) in seen.items()} == {
        chair.id: (both, both, [item.id], [True, True]),
        colleague.id: (both, both, [item.id], [True, True]),
        outsider.id: ([handed.id], [handed.id], [], [False, True]),
        admin.id: (both, both, [item.id], [True, True]),
        vendor.id: ([], [], [], [False, False]),
    }


def test_reminders_once_a_day_for_due_soon_and_overdue(app, team):
    chair, colleague, _outsider, committee = team
    followup(chair, committee, colleague, title="soon", due_on=date(2026, 11, 22))
    followup(chair, committee, colleague, title="late", due_on=date(2026, 11, 15))
    followup(chair, committee, colleague, title="later", due_on=date(2026, 12, 20))
    done = followup(chair, committee, colleague, title="done", due_on=date(2026, 11, 15))
    followups.set_status(colleague, done.id, "done", now=NOW)
    assert followups.remind(now=NOW) == 2
    assert followups.remind(now=NOW + timedelta(hours=3)) == 0  # same day in Tehran
    assert followups.remind(now=NOW + timedelta(days=1)) == 2
    subjects = db.session.scalars(
        db.select(Message.subject).where(Message.user_id == colleague.id)
    ).all()
    assert subjects.count("Due soon: soon") == 2
    assert subjects.count("Overdue: late") == 2
    assert "Due soon: later" not in subjects
    assert "Overdue: done" not in subjects
