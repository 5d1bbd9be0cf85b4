"""The plan's pages: each form's happy path and bad input; the public page and its feed."""

from datetime import date, timedelta
from xml.etree import ElementTree as ET

import pytest

from bazaar.models import (
    BazaarVisits,
    Obstacle,
    PastPlan,
    PublicDecision,
    Region,
    Role,
    Target,
)
from bazaar.services import committees
from bazaar.services.plan import past, snapshots, targets
from tests.conftest import NOW, reference_ids
from tests.pages import count, field_error

TARGET = {
    "metric_key": "vendors_by_county",
    "value": "۳۰۰",
    "due_on": "۱۴۰۵/۱۲/۲۹",
    "note": "",
}


def target_form(committee, **changes):
    return {"committee_id": committee.id, **TARGET, **changes}


def test_an_organiser_sets_a_target_and_sees_it_with_its_trend(client, my_committee):
    _me, _colleague, committee = my_committee
    qom = reference_ids(Region)["qom"]
    response = client.post("/plan/targets/new", data=target_form(committee, county_id=qom))
    assert response.status_code == 302
    target = targets.list_targets()[0]
    assert (target.value, target.due_on, target.county_id) == (300, date(2027, 3, 20), qom)
    page = client.get(response.location).get_data(as_text=True)
    assert "<svg" in page
    assert 'class="target-line"' in page
    assert "<desc" in page


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"value": "سیصد"}, "value", 400),
        ({"value": ""}, "value", 400),
        ({"value": "-3"}, "value", 400),
        ({"due_on": "۱۴۰۵/۱۳/۰۱"}, "due_on", 400),
        ({"due_on": "۱۴۰۵/۰۱/۰۱"}, "due_on", 400),  # passed
        ({"metric_key": "nonsense"}, "metric_key", 400),
        ({"field_id": "1"}, "field_id", 400),  # a field on the figure by county
        ({"committee_id": "999"}, "committee_id", 400),
    ],
)
def test_a_bad_target_is_shown_on_its_field(client, my_committee, changes, field, status):
    _me, _colleague, committee = my_committee
    response = client.post("/plan/targets/new", data=target_form(committee, **changes))
    assert response.status_code == status
    assert field_error(response.get_data(as_text=True), field)
    assert count(Target) == 0


def test_revising_keeps_the_history_and_bad_input_changes_nothing(client, my_committee):
    me, _colleague, committee = my_committee
    target = targets.set_target(
        me,
        committee_id=committee.id,
        metric_key="valid_licences",
        value=5,
        due_on=date(2027, 3, 20),
        now=NOW,
    )
    bad = client.post(f"/plan/targets/{target.id}", data={"value": "x", "due_on": "۱۴۰۵/۱۲/۲۹"})
    assert bad.status_code == 400
    assert field_error(bad.get_data(as_text=True), "value")
    good = client.post(
        f"/plan/targets/{target.id}", data={"value": "۸", "due_on": "۱۴۰۵/۱۲/۲۹", "public": "y"}
    )
    assert good.status_code == 302
    assert [r.value for r in targets.get_target(target.id).revisions] == [5, 8]
    assert client.post(f"/plan/targets/{target.id}/withdraw").status_code == 302
    assert targets.get_target(target.id).withdrawn_at is not None
    assert client.get("/plan/targets/999").status_code == 404


def test_the_register_takes_an_entry_and_refuses_bad_input(client, my_committee):
    _me, colleague, committee = my_committee
    url = f"/plan/committees/{committee.id}/register"
    data = {
        "kind": "obstacle",
        "title": "انتظار سه‌ماهه",
        "responsible_id": colleague.id,
        "status": "open",
        "due_on": "",
    }
    for changes, field in [
        ({"responsible_id": ""}, "responsible_id"),
        ({"kind": "wish"}, "kind"),
        ({"title": ""}, "title"),
        ({"due_on": "فردا"}, "due_on"),
        ({"agency_ids": "999"}, "agency_ids"),
    ]:
        response = client.post(url, data={**data, **changes})
        assert response.status_code == 400
        assert field_error(response.get_data(as_text=True), field), changes
    assert count(Obstacle) == 0
    assert client.post(url, data=data).status_code == 302
    entry = Obstacle.query.one()
    assert client.post(f"{url}/{entry.id}", data={**data, "status": "resolved"}).status_code == 302
    assert Obstacle.query.one().status == "resolved"
    assert "انتظار سه‌ماهه" in client.get(url).get_data(as_text=True)


def test_a_non_member_cannot_open_a_committee_register(client, login_as, make_user):
    chair = make_user(role=Role.ORGANISER)
    other = committees.create_committee(
        chair, name="دیگر", mandate="m", chair_id=chair.id, member_ids=[], now=NOW
    )
    login_as(Role.ORGANISER)
    assert client.get(f"/plan/committees/{other.id}/register").status_code == 404


def test_past_plans_are_added_searched_and_imported(client, my_committee):
    data = {"title": "فروش برخط", "agency": "جهاد", "years": "۱۳۹۷", "lesson": "ارسال لازم است"}
    bad = client.post("/plan/past", data={**data, "years": "97"})
    assert bad.status_code == 400
    assert field_error(bad.get_data(as_text=True), "years")
    assert client.post("/plan/past", data={**data, "title": ""}).status_code == 400
    assert client.post("/plan/past", data=data).status_code == 302
    assert "فروش برخط" in client.get("/plan/past?q=برخط").get_data(as_text=True)
    assert "فروش برخط" not in client.get("/plan/past?q=نمایشگاه").get_data(as_text=True)
    import io

    good = "title,agency,years,done,outcome,lesson\nنمایشگاه,شهرداری,1398,,,\n".encode()
    response = client.post("/plan/past/import", data={"file": (io.BytesIO(good), "p.csv")})
    assert response.status_code == 302
    assert count(PastPlan) == 2
    broken = b"title,years\nx,1397\n"
    response = client.post("/plan/past/import", data={"file": (io.BytesIO(broken), "p.csv")})
    assert response.status_code == 400
    assert count(PastPlan) == 2
    assert client.post("/plan/past/import", data={}).status_code == 400


def test_a_decision_is_made_public_and_cites_a_past_plan(client, my_committee):
    me, _colleague, committee = my_committee
    plan = past.save_past_plan(me, None, now=NOW, title="قبلی", years="1397")
    meeting = committees.record_meeting(
        me,
        committee.id,
        held_on=date(2026, 11, 19),
        attendee_ids=[],
        minutes="",
        decisions=[("بازارچه هر ماه", [])],
        now=NOW,
    )
    decision = meeting.decisions[0]
    bad = client.post(f"/plan/decisions/{decision.id}", data={"past_plan_ids": "999"})
    assert bad.status_code == 400
    assert field_error(bad.get_data(as_text=True), "past_plan_ids")
    ok = client.post(
        f"/plan/decisions/{decision.id}", data={"past_plan_ids": plan.id, "public": "y"}
    )
    assert ok.status_code == 302
    assert count(PublicDecision) == 1
    assert "بازارچه هر ماه" in client.get("/plan/progress").get_data(as_text=True)


def test_reports_form_refuses_a_missing_meeting_or_snapshot(client, my_committee):
    assert client.get("/plan/reports").status_code == 200
    response = client.post("/plan/reports", data={"meeting_id": "", "snapshot_id": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_error(html, "meeting_id")
    assert field_error(html, "snapshot_id")


def test_visitors_are_recorded_for_an_ended_bazaar_only(
    client, my_committee, make_bazaar, monkeypatch
):
    monkeypatch.setattr("bazaar.plan.public.utcnow", lambda: NOW + timedelta(days=10))
    ended = make_bazaar(day=date(2026, 11, 25))
    coming = make_bazaar()
    for data, field in [
        ({"bazaar_id": coming.id, "visitors": "۱۲۰"}, "bazaar_id"),
        ({"bazaar_id": ended.id, "visitors": "بسیار"}, "visitors"),
        ({"bazaar_id": "", "visitors": "3"}, "bazaar_id"),
    ]:
        response = client.post("/plan/visitors", data=data)
        assert response.status_code == 400
        assert field_error(response.get_data(as_text=True), field)
    response = client.post("/plan/visitors", data={"bazaar_id": ended.id, "visitors": "۱۲۰"})
    assert response.status_code == 302
    assert BazaarVisits.query.one().visitors == 120
    assert 'data-figure="visitors">۱۲۰<' in client.get("/plan/progress").get_data(as_text=True)


def test_the_public_page_needs_no_sign_in_and_shows_public_targets(client, app, team):
    chair, _colleague, _outsider, committee = team
    targets.set_target(
        chair,
        committee_id=committee.id,
        metric_key="valid_licences",
        value=9,
        due_on=date(2027, 3, 20),
        public=True,
        now=NOW,
    )
    targets.set_target(
        chair,
        committee_id=committee.id,
        metric_key="stalls_offered",
        value=9,
        due_on=date(2027, 3, 20),
        now=NOW,
    )
    taken = snapshots.take_monthly(now=NOW)
    for language in ("fa", "en"):
        client.set_cookie("lang", language)
        page = client.get("/plan/progress").get_data(as_text=True)
        assert 'class="target-line"' in page
        assert f'id="target-{targets.list_targets(public=True)[0].id}"' in page
        assert 'id="target-2"' not in page  # not public
        assert "progress.atom" in page
    assert str(taken.id) in page


def test_the_feed_is_atom_with_public_news(client, team):
    chair, _colleague, _outsider, committee = team
    targets.set_target(
        chair,
        committee_id=committee.id,
        metric_key="valid_licences",
        value=9,
        due_on=date(2027, 3, 20),
        public=True,
        now=NOW,
    )
    snapshots.take_monthly(now=NOW + timedelta(days=3))
    response = client.get("/plan/progress.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314  (our own feed)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    ids = [e.find(f"{atom}id").text for e in root.findall(f"{atom}entry")]
    assert any(i.endswith("#target-1") for i in ids)
    assert any("#snapshot-" in i for i in ids)


def test_trends_draw_every_metric(client, my_committee):
    snapshots.take_monthly(now=NOW)
    page = client.get("/plan/trends").get_data(as_text=True)
    assert page.count('class="trend-line"') == 0  # one snapshot: a dot, no line yet
    assert page.count("<svg") >= 18
    assert page.count("<table") >= 18
    snapshots.take_monthly(now=NOW + timedelta(days=3))
    page = client.get("/plan/trends").get_data(as_text=True)
    assert page.count('class="trend-line"') == page.count("<svg") >= 18
    assert client.get("/plan/trends/valid_licences").status_code == 200
    assert client.get("/plan/trends/nonsense").status_code == 404


def test_the_committee_page_shows_its_share(client, my_committee):
    me, _colleague, committee = my_committee
    targets.set_target(
        me,
        committee_id=committee.id,
        metric_key="valid_licences",
        value=9,
        due_on=date(2027, 3, 20),
        now=NOW,
    )
    page = client.get(f"/committees/{committee.id}").get_data(as_text=True)
    assert 'id="share"' in page
    assert 'class="target-line"' in page


def test_plan_pages_are_for_organisers(client, login_as):
    login_as(Role.VENDOR)
    for url in ("/plan/", "/plan/trends", "/plan/past", "/plan/reports", "/plan/visitors"):
        assert client.get(url).status_code in (302, 403), url
    assert client.get("/plan/progress").status_code == 200
