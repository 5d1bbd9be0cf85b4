"""Past plans: search in any spelling, CSV import all or none, citations; public decisions."""

from datetime import date

import pytest

from bazaar.errors import Invalid
from bazaar.models import PublicDecision, PublicFollowUp
from bazaar.services import committees
from bazaar.services.plan import past
from tests.conftest import NOW

ONLINE = {
    "title": "فروش اینترنتی بدون ارسال",
    "agency": "جهاد دانشگاهی",
    "years": "۱۳۹۷",
    "done": "سامانهٔ فروش برخط راه افتاد",
    "outcome": "سفارش کمی رسید؛ ارسال نبود",
    "lesson": "بدون ارسال، فروش برخط کار نمی‌کند",
}


def test_search_finds_every_word_in_any_spelling(organiser):
    plan = past.save_past_plan(organiser, None, now=NOW, **ONLINE)
    past.save_past_plan(organiser, None, now=NOW, **{**ONLINE, "title": "نمایشگاه", "lesson": ""})
    assert (plan.year_from, plan.year_to) == (1397, 1397)
    assert past.search_past_plans("اينترنتي") == [plan]  # Arabic ي
    assert past.search_past_plans("ارسال کار") == [plan]
    assert past.search_past_plans("ارسال 100%") == []
    assert len(past.search_past_plans("")) == 2


def test_a_past_plan_needs_a_title_and_jalali_years(organiser):
    for changes, code in [
        ({"title": ""}, "plan.title_required"),
        ({"years": "97"}, "plan.bad_years"),
    ]:
        with pytest.raises(Invalid) as error:
            past.save_past_plan(organiser, None, now=NOW, **{**ONLINE, **changes})
        assert error.value.code == code


CSV = (
    "\ufefftitle,agency,years,done,outcome,lesson,public\n"
    "بازارچهٔ نوروزی,شهرداری,1398-1399,برگزار شد,فروش خوب,زودتر اعلام شود,بله\n"
    "آموزش بسته‌بندی,فنی و حرفه‌ای,1396,دوره‌ها,,,\n"
)


def test_import_reads_every_row_and_marks_public_ones(organiser):
    report = past.import_past_plans(CSV.encode(), actor=organiser, now=NOW)
    assert (report.ok, report.created) == (True, 2)
    plans = {p.title: p for p in past.search_past_plans()}
    assert plans["بازارچهٔ نوروزی"].public
    assert not plans["آموزش بسته‌بندی"].public
    assert (plans["بازارچهٔ نوروزی"].year_from, plans["بازارچهٔ نوروزی"].year_to) == (1398, 1399)


def test_import_of_a_bad_row_imports_nothing_and_names_the_row(organiser):
    bad = CSV + ",نهاد,1395,,,,\n" + "درست,نهاد,سال,,,,\n"
    report = past.import_past_plans(bad.encode(), actor=organiser, now=NOW)
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (4, "title", "plan.title_required"),
        (5, "years", "plan.bad_years"),
    ]
    assert past.search_past_plans() == []
    missing = past.import_past_plans(b"title,years\nx,1397\n", actor=organiser, now=NOW)
    assert missing.errors[0].code == "import.missing_columns"
    empty = past.import_past_plans(
        b"title,agency,years,done,outcome,lesson\n", actor=organiser, now=NOW
    )
    assert empty.errors[0].code == "import.empty"


def test_a_decision_cites_past_plans_and_shows_publicly_with_chosen_follow_ups(team):
    chair, colleague, _outsider, committee = team
    plan = past.save_past_plan(chair, None, now=NOW, **ONLINE)
    followup = {"title": "پیگیری", "responsible_id": colleague.id, "due_on": date(2027, 1, 1)}
    meeting = committees.record_meeting(
        chair,
        committee.id,
        held_on=date(2026, 11, 19),
        attendee_ids=[],
        minutes="",
        decisions=[("فروش برخط فقط با ارسال", [followup, {**followup, "title": "دوم"}])],
        now=NOW,
    )
    decision = meeting.decisions[0]
    shown, hidden = decision.followups
    past.publish_decision(
        chair,
        decision.id,
        past_plan_ids=[plan.id],
        public=True,
        public_followup_ids=[shown.id],
        now=NOW,
    )
    assert past.decision_citations_of(decision.id) == [plan]
    assert [d.decision for d in past.public_decisions()] == [decision]
    assert past.public_followups() == [shown]
    with pytest.raises(Invalid):
        past.publish_decision(
            chair, decision.id, past_plan_ids=[], public=True, public_followup_ids=[999], now=NOW
        )
    past.publish_decision(
        chair, decision.id, past_plan_ids=[], public=False, public_followup_ids=[], now=NOW
    )
    assert past.decision_citations_of(decision.id) == []
    assert not past.is_public(PublicDecision, decision.id)
    assert not past.is_public(PublicFollowUp, hidden.id)
