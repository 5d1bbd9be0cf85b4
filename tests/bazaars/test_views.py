"""Public bazaar pages: the list, the calendar, a bazaar's page, feeds and the interest list."""

import json
import re

import pytest

from bazaar.extensions import db
from bazaar.models import Interest, Message, Region, Role
from bazaar.services import restrictions
from bazaar.services.bazaars import interest, planning
from tests.bazaars.pages import badges, flashes, history, status_words
from tests.conftest import NOW, confirmed_interest, reference_ids


def test_a_published_bazaar_shows_its_derived_status_in_the_badge(client, make_bazaar):
    bazaar = make_bazaar()
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("scheduled", "برنامه‌ریزی‌شده")]
    assert status_words(page).startswith("برنامه‌ریزی‌شده: ")
    assert history(page)[0].endswith(": برنامه‌ریزی‌شده")


def test_a_held_bazaar_says_which_decision_holds_it(client, make_bazaar, make_restriction):
    bazaar = make_bazaar()
    make_restriction(reference="۱۴۰۵/۳۱۲")
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    # The history still says "scheduled" first: only the badge tells the status now.
    assert badges(page) == [("held", "در تعلیق")]
    assert "۱۴۰۵/۳۱۲" in status_words(page)
    assert [line.split(": ", 1)[1].split(" — ")[0] for line in history(page)] == [
        "برنامه‌ریزی‌شده",
        "در تعلیق",
    ]
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["previousStartDate"].startswith("2026-12-10")


def test_status_labels_follow_the_language(client, make_bazaar):
    bazaar = make_bazaar()
    client.get("/language/en")
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("scheduled", "Scheduled")]


def test_a_cancelled_bazaar_takes_no_interest_and_no_application(client, make_bazaar, organiser):
    bazaar = make_bazaar()
    planning.cancel_bazaar(organiser, bazaar.id, "سیل", now=NOW)
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert badges(page) == [("cancelled", "لغوشده")]
    assert f"/bazaars/{bazaar.id}/interest" not in page


def test_drafts_and_unknown_bazaars_are_404(client, make_bazaar):
    draft = make_bazaar(publish=False)
    assert client.get(f"/bazaars/{draft.id}").status_code == 404
    assert client.get(f"/bazaars/{draft.id}.ics").status_code == 404
    assert client.get("/bazaars/999").status_code == 404


def test_list_filters_by_county_and_ignores_a_bad_county(client, make_bazaar):
    make_bazaar(title="قم")
    make_bazaar(county="kahak", title="کهک")
    kahak = reference_ids(Region)["kahak"]
    page = client.get(f"/bazaars/?county={kahak}").get_data(as_text=True)
    assert ">کهک</a>" in page
    assert ">قم</a>" not in page
    everything = client.get("/bazaars/?county=abc").get_data(as_text=True)
    assert ">کهک</a>" in everything
    assert ">قم</a>" in everything
    assert badges(everything) == [("scheduled", "برنامه‌ریزی‌شده")] * 2


def test_calendar_shows_the_month_and_refuses_a_month_that_does_not_exist(client, make_bazaar):
    make_bazaar(title="قم")
    calendar = client.get("/bazaars/calendar?year=1405&month=9").get_data(as_text=True)
    assert "آذر ۱۴۰۵" in calendar
    assert ">قم</a>" in calendar
    assert badges(calendar) == [("scheduled", "برنامه‌ریزی‌شده")]
    assert client.get("/bazaars/calendar?year=1405&month=13").status_code == 404
    assert client.get("/bazaars/calendar?year=99&month=1").status_code == 404


def test_ical_feed_says_tentative_then_cancelled(client, make_bazaar, make_restriction, organiser):
    bazaar = make_bazaar()
    make_restriction()
    feed = client.get(f"/bazaars/{bazaar.id}.ics")
    assert feed.mimetype == "text/calendar"
    body = feed.get_data(as_text=True)
    assert "STATUS:TENTATIVE" in body
    assert f"UID:bazaar-{bazaar.id}@" in body
    planning.cancel_bazaar(organiser, bazaar.id, "flood", now=NOW)
    body = client.get("/bazaars/all.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in body
    assert "SEQUENCE:3" in body  # scheduled, held, cancelled


def test_citizen_subscribes_once_and_bad_contacts_are_refused(client, make_bazaar):
    bazaar = make_bazaar()
    first = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "ali@example.com"}, follow_redirects=True
    )
    again = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "ALI@example.com"}, follow_redirects=True
    )
    # The same answer whether the address was on the list: nobody can read the list back.
    assert (
        flashes(again)
        == flashes(first)
        == ["ایمیل خود را ببینید: پیوندی را که فرستادیم باز کنید و ظرف ۷ روز تأیید کنید."]
    )
    bad = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "0912"}, follow_redirects=True
    )
    assert "شمارهٔ همراه ایرانی" in bad.get_data(as_text=True)
    assert db.session.scalars(db.select(Interest.email)).all() == ["ali@example.com"]
    assert (
        client.post("/bazaars/999/interest", data={"contact": "x@example.com"}).status_code == 404
    )


def test_signed_in_user_subscribes_with_one_click(client, login_as, make_bazaar):
    bazaar = make_bazaar()
    user = login_as()
    client.post(f"/bazaars/{bazaar.id}/interest", data={})
    entry = db.session.scalar(db.select(Interest))
    assert entry.user_id == user.id
    assert entry.confirmed_at is not None  # their account is theirs: no confirmation
    assert interest.count_interest(bazaar.id) == 1


@pytest.fixture
def token(make_bazaar):
    """The unsubscribe token of a citizen on a bazaar's interest list."""
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com")
    return entry.token


def count_interest():
    return db.session.scalar(db.select(db.func.count(Interest.id)))


def test_the_unsubscribe_link_asks_first_and_changes_nothing(client, token):
    page = client.get(f"/bazaars/unsubscribe/{token}")
    assert page.status_code == 200
    assert f'action="/bazaars/unsubscribe/{token}"' in page.get_data(as_text=True)
    client.get(f"/bazaars/unsubscribe/{token}")  # a mail scanner opening the link again
    assert count_interest() == 1


def test_the_confirm_button_unsubscribes_once(client, token):
    assert client.post(f"/bazaars/unsubscribe/{token}").status_code == 200
    assert count_interest() == 0
    assert client.post(f"/bazaars/unsubscribe/{token}").status_code == 404
    assert client.get(f"/bazaars/unsubscribe/{token}").status_code == 404


def test_an_unknown_token_changes_nothing(client, token):
    assert client.get("/bazaars/unsubscribe/not-a-token").status_code == 404
    assert client.post("/bazaars/unsubscribe/not-a-token").status_code == 404
    assert count_interest() == 1


def test_one_click_unsubscribe_needs_no_csrf_token(app, token):
    # RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` and has no CSRF token.
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post(
        f"/bazaars/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert count_interest() == 0


def test_the_confirm_button_still_needs_its_csrf_token(app, token):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.post(f"/bazaars/unsubscribe/{token}").status_code == 400
    assert (
        client.post(
            f"/bazaars/unsubscribe/{token}", data={"List-Unsubscribe": "Two-Clicks"}
        ).status_code
        == 400
    )
    assert count_interest() == 1
    page = client.get(f"/bazaars/unsubscribe/{token}").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(f"/bazaars/unsubscribe/{token}", data={"csrf_token": csrf}).status_code == 200
    )
    assert count_interest() == 0


def test_release_emails_carry_the_one_click_headers(
    app, make_bazaar, make_restriction, organiser, smtp
):
    from bazaar.services import delivery, notifications

    restriction = make_restriction()
    bazaar = make_bazaar()
    entry = confirmed_interest(bazaar.id, now=NOW, email="ali@example.com")
    restrictions.lift_restriction(organiser, restriction.id, now=NOW)
    # The last message to the address: the release notice, after the confirmation link.
    message = db.session.scalar(
        db.select(Message)
        .where(Message.recipient == "ali@example.com")
        .order_by(Message.id.desc())
        .limit(1)
    )
    assert delivery.list_headers(message) == {
        "List-Unsubscribe": f"<{message.list_unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert message.list_unsubscribe.endswith(f"/bazaars/unsubscribe/{entry.token}")
    delivery.deliver_to_file(message)
    written = (delivery.outbox_dir() / f"{message.id:08d}-email.txt").read_text("utf-8")
    assert f"List-Unsubscribe: <{message.list_unsubscribe}>\n" in written
    delivery.deliver_by_smtp(message)
    assert smtp.sent[0]["List-Unsubscribe"] == f"<{message.list_unsubscribe}>"
    assert smtp.sent[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A message from no list carries no such header.
    welcome = notifications.notify_address(
        "email", "new@example.com", "welcome", now=NOW, name="x", identifier="new@example.com"
    )
    db.session.flush()
    delivery.deliver_by_smtp(welcome)
    assert smtp.sent[1]["List-Unsubscribe"] is None


def test_organisers_may_change_a_bazaar_until_it_is_cancelled(
    client, login_as, make_bazaar, organiser
):
    bazaar = make_bazaar()
    assert 'id="manage-title"' not in client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    login_as(Role.ORGANISER)
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert 'id="manage-title"' in page
    assert f"/bazaars/{bazaar.id}/reschedule" in page
    planning.cancel_bazaar(organiser, bazaar.id, "سیل", now=NOW)
    page = client.get(f"/bazaars/{bazaar.id}").get_data(as_text=True)
    assert 'id="manage-title"' in page
    assert f"/bazaars/{bazaar.id}/reschedule" not in page
