"""The interest-list pages: confirming a sign-up by its link, and the limits on sign-ups."""

from datetime import timedelta

import pytest

from bazaar.extensions import db
from bazaar.models import Interest, Message
from bazaar.models.types import utcnow
from bazaar.services.bazaars import interest
from tests.bazaars.pages import flashes


def sign_up(client, bazaar_id, contact, address="198.51.100.1"):
    return client.post(
        f"/bazaars/{bazaar_id}/interest",
        data={"contact": contact},
        environ_base={"REMOTE_ADDR": address},
    )


def entry_for(email):
    return db.session.scalar(db.select(Interest).where(Interest.email == email))


def confirmations_to(address):
    return db.session.scalar(
        db.select(db.func.count(Message.id)).where(
            Message.recipient == address, Message.body.contains("/interest/confirm/")
        )
    )


def test_a_sign_up_by_mobile_says_to_check_the_phone_and_sends_a_link(client, make_bazaar):
    bazaar = make_bazaar()
    response = client.post(
        f"/bazaars/{bazaar.id}/interest", data={"contact": "۰۹۱۲۱۲۳۴۵۶۷"}, follow_redirects=True
    )
    assert flashes(response) == [
        "پیامک‌های گوشی خود را ببینید: پیوندی را که فرستادیم باز کنید و ظرف ۷ روز تأیید کنید."
    ]
    assert confirmations_to("09121234567") == 1
    page = response.get_data(as_text=True)
    assert "۰ نفر منتظر این بازارچه‌اند" in page  # not counted before it is confirmed


def test_the_confirm_link_asks_first_and_the_button_confirms_once(client, make_bazaar):
    bazaar = make_bazaar()
    sign_up(client, bazaar.id, "ali@example.com")
    token = entry_for("ali@example.com").confirm_token
    message = db.session.scalar(db.select(Message).where(Message.recipient == "ali@example.com"))
    assert f"/bazaars/interest/confirm/{token}" in message.body
    for _scan in range(2):  # a mail scanner or a link preview opens it, twice
        page = client.get(f"/bazaars/interest/confirm/{token}")
        assert page.status_code == 200
        assert f'action="/bazaars/interest/confirm/{token}"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert entry_for("ali@example.com").confirmed_at is None
    assert interest.count_interest(bazaar.id) == 0
    done = client.post(f"/bazaars/interest/confirm/{token}")
    assert done.status_code == 200
    assert bazaar.title in done.get_data(as_text=True)
    db.session.expire_all()
    assert entry_for("ali@example.com").confirmed_at is not None
    assert interest.count_interest(bazaar.id) == 1
    assert client.post(f"/bazaars/interest/confirm/{token}").status_code == 404
    assert client.get(f"/bazaars/interest/confirm/{token}").status_code == 404


def test_an_expired_or_unknown_confirm_link_changes_nothing(client, make_bazaar):
    bazaar = make_bazaar()
    week_ago = utcnow() - interest.CONFIRM_WITHIN - timedelta(minutes=1)
    entry, _created = interest.subscribe(bazaar.id, now=week_ago, email="ali@example.com")
    token = entry.confirm_token
    assert client.get(f"/bazaars/interest/confirm/{token}").status_code == 404
    assert client.post(f"/bazaars/interest/confirm/{token}").status_code == 404
    assert client.post("/bazaars/interest/confirm/not-a-token").status_code == 404
    db.session.expire_all()
    assert entry_for("ali@example.com").confirmed_at is None
    assert interest.count_interest(bazaar.id) == 0


def test_the_confirm_button_needs_its_csrf_token(app, make_bazaar):
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=utcnow(), email="ali@example.com")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    token = entry.confirm_token
    assert client.post(f"/bazaars/interest/confirm/{token}").status_code == 400
    db.session.expire_all()
    assert entry_for("ali@example.com").confirmed_at is None
    page = client.get(f"/bazaars/interest/confirm/{token}").get_data(as_text=True)
    csrf = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/bazaars/interest/confirm/{token}", data={"csrf_token": csrf})
    assert response.status_code == 200
    db.session.expire_all()
    assert entry_for("ali@example.com").confirmed_at is not None


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INTEREST_LIMIT_PER_TARGET": "3 per hour"}],
    indirect=True,
)
def test_a_burst_of_sign_ups_for_one_contact_is_refused_after_the_limit(client, make_bazaar):
    bazaars = [make_bazaar(), make_bazaar()]
    # From many addresses, for two bazaars, in any spelling: the contact is what is counted.
    spellings = ["victim@example.com", "VICTIM@example.com", " victim@example.com "]
    for n, contact in enumerate(spellings):
        assert sign_up(client, bazaars[n % 2].id, contact, f"198.51.100.{n}").status_code == 302
    for n in range(10, 50):
        assert (
            sign_up(client, bazaars[n % 2].id, "victim@example.com", f"198.51.100.{n}").status_code
            == 429
        )
    assert confirmations_to("victim@example.com") == 3
    assert sign_up(client, bazaars[0].id, "other@example.com", "198.51.100.60").status_code == 302
    assert confirmations_to("other@example.com") == 1


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INTEREST_LIMIT_PER_TARGET": "2 per hour"}],
    indirect=True,
)
def test_a_burst_for_one_mobile_is_refused_however_it_is_typed(client, make_bazaar):
    bazaar = make_bazaar()
    assert sign_up(client, bazaar.id, "09121234567", "198.51.100.1").status_code == 302
    assert sign_up(client, bazaar.id, "۰۹۱۲۱۲۳۴۵۶۷", "198.51.100.2").status_code == 302
    assert sign_up(client, bazaar.id, "+989121234567", "198.51.100.3").status_code == 429
    assert confirmations_to("09121234567") == 2


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INTEREST_LIMIT_PER_IP": "2 per hour"}],
    indirect=True,
)
def test_sign_ups_are_limited_per_client_address(client, make_bazaar):
    bazaar = make_bazaar()
    assert sign_up(client, bazaar.id, "a@example.com").status_code == 302
    assert sign_up(client, bazaar.id, "b@example.com").status_code == 302
    assert sign_up(client, bazaar.id, "c@example.com").status_code == 429
    assert sign_up(client, bazaar.id, "c@example.com", "198.51.100.2").status_code == 302


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INTEREST_LIMIT_PER_BAZAAR": "2 per hour"}],
    indirect=True,
)
def test_sign_ups_are_limited_per_bazaar_but_not_for_signed_in_users(client, make_bazaar, login_as):
    flooded, other = make_bazaar(), make_bazaar()
    assert sign_up(client, flooded.id, "a@example.com", "198.51.100.1").status_code == 302
    assert sign_up(client, flooded.id, "b@example.com", "198.51.100.2").status_code == 302
    assert sign_up(client, flooded.id, "c@example.com", "198.51.100.3").status_code == 429
    assert sign_up(client, other.id, "c@example.com", "198.51.100.3").status_code == 302
    user = login_as()
    assert client.post(f"/bazaars/{flooded.id}/interest", data={}).status_code == 302
    entry = db.session.scalar(db.select(Interest).where(Interest.user_id == user.id))
    assert entry.confirmed_at is not None
