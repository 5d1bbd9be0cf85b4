"""Follow-up pages: mine and overdue, one follow-up's page and its forms; who sees what."""

from bazaar.extensions import db
from bazaar.models import FollowUp, FollowUpEvent, Role
from bazaar.services import committees
from bazaar.services.followups import service as followups
from tests.conftest import NOW
from tests.pages import count, field_error


def test_my_follow_ups_and_the_overdue_ones(client, my_committee):
    me, colleague, committee = my_committee
    mine = followups.create_followup(
        me,
        committee.id,
        title="کار من",
        responsible_id=me.id,
        due_on=NOW.date().replace(year=2100),  # the page reads the real clock
        now=NOW,
    )
    late = followups.create_followup(
        me,
        committee.id,
        title="کار دیرکرده",
        responsible_id=colleague.id,
        due_on=NOW.date().replace(day=1),
        now=NOW,
    )
    page = client.get("/followups/").get_data(as_text=True)
    mine_part, overdue_part = page.split("عقب‌افتاده در کمیته‌های من")
    assert f"/followups/{mine.id}" in mine_part
    assert f"/followups/{late.id}" not in mine_part
    assert f"/followups/{late.id}" in overdue_part
    assert f"/followups/{mine.id}" not in overdue_part


def test_follow_up_pages_comment_status_reassign(client, my_committee):
    me, colleague, committee = my_committee
    item = followups.create_followup(
        me, committee.id, title="کار", responsible_id=me.id, due_on=NOW.date(), now=NOW
    )
    url = f"/followups/{item.id}"
    assert "باز</span>" in client.get(url).get_data(as_text=True)  # a state, not «باز کردن»
    empty = client.post(f"{url}/comment", data={"text": ""})
    assert empty.status_code == 400
    assert field_error(empty.get_data(as_text=True), "text")
    no_reason = client.post(f"{url}/status", data={"status": "blocked", "reason": ""})
    assert no_reason.status_code == 400
    assert field_error(no_reason.get_data(as_text=True), "reason") == "دلیل را بنویسید."
    nonsense = client.post(f"{url}/status", data={"status": "nonsense"})
    assert nonsense.status_code == 400
    assert field_error(nonsense.get_data(as_text=True), "status")
    same = client.post(f"{url}/status", data={"status": "open"})
    assert same.status_code == 400
    assert "پیگیری همین وضعیت را دارد" in (field_error(same.get_data(as_text=True), "status"))
    reassign = {"reassign-responsible_id": str(colleague.id), "reassign-reason": ""}
    no_why = client.post(f"{url}/reassign", data=reassign)
    assert no_why.status_code == 400
    assert field_error(no_why.get_data(as_text=True), "reassign-reason")
    assert db.session.get(FollowUp, item.id).status == "open"
    assert count(FollowUpEvent) == 1
    assert client.post(f"{url}/comment", data={"text": "پیگیری شد"}).status_code == 302
    reassign = {"reassign-responsible_id": str(colleague.id), "reassign-reason": "مرخصی"}
    assert client.post(f"{url}/reassign", data=reassign).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "آن را از من به همکار سپرد: مرخصی" in page
    assert db.session.get(FollowUp, item.id).responsible_id == colleague.id


def test_new_follow_up_for_a_bazaar_shows_on_its_page(client, my_committee, make_bazaar):
    _me, colleague, committee = my_committee
    bazaar = make_bazaar()
    data = {
        "title": "چادرها",
        "responsible_id": str(colleague.id),
        "due_on": "۱۴۰۵/۰۹/۱۲",
        "bazaar_id": str(bazaar.id),
    }
    assert client.post(f"/committees/{committee.id}/followups/new", data=data).status_code == 302
    assert "چادرها" in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert "چادرها" in client.get(f"/committees/{committee.id}").get_data(as_text=True)
    bad = client.post(
        f"/committees/{committee.id}/followups/new",
        data={**data, "title": "بی‌مسئول", "responsible_id": ""},
    )
    assert bad.status_code == 400
    assert field_error(bad.get_data(as_text=True), "responsible_id")
    assert count(FollowUp) == 1


def test_an_organiser_outside_the_committee_sees_neither_its_titles_nor_its_page(
    client, make_user, make_bazaar, auth
):
    owner = make_user(role=Role.ORGANISER)
    member = make_user(role=Role.ORGANISER)
    outsider = make_user(role=Role.ORGANISER)
    committee = committees.create_committee(
        owner, name="k", mandate="m", chair_id=owner.id, member_ids=[member.id], now=NOW
    )
    bazaar = make_bazaar()
    item = followups.create_followup(
        owner,
        committee.id,
        title="محرمانهٔ کمیته",
        responsible_id=owner.id,
        due_on=NOW.date().replace(day=1),
        bazaar_id=bazaar.id,
        now=NOW,
    )
    auth.login(outsider.email)
    assert "محرمانهٔ کمیته" not in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert "محرمانهٔ کمیته" not in client.get("/followups/").get_data(as_text=True)
    assert client.get(f"/followups/{item.id}").status_code == 404
    assert client.post(f"/followups/{item.id}/comment", data={"text": "x"}).status_code == 404
    assert client.get(f"/committees/{committee.id}").status_code == 404
    client.post("/accounts/logout")
    auth.login(member.email)
    assert "محرمانهٔ کمیته" in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert "محرمانهٔ کمیته" in client.get("/followups/").get_data(as_text=True)
    assert "محرمانهٔ کمیته" in client.get(f"/followups/{item.id}").get_data(as_text=True)
    assert count(FollowUpEvent) == 1


def test_citizens_and_vendors_are_kept_out(client, make_user, auth, make_bazaar):
    owner = make_user(role=Role.ORGANISER)
    committee = committees.create_committee(
        owner, name="k", mandate="m", chair_id=owner.id, member_ids=[], now=NOW
    )
    bazaar = make_bazaar()
    item = followups.create_followup(
        owner,
        committee.id,
        title="محرمانهٔ کمیته",
        responsible_id=owner.id,
        due_on=NOW.date(),
        bazaar_id=bazaar.id,
        now=NOW,
    )
    assert "محرمانهٔ کمیته" not in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    auth.login(make_user(role=Role.VENDOR).email)
    assert client.get(f"/followups/{item.id}").status_code == 403
    assert client.get("/followups/").status_code == 403
    assert "محرمانهٔ کمیته" not in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
