"""The notifications page."""

from bazaar.extensions import db
from bazaar.models import Message


def test_notifications_show_the_users_messages(client, login_as):
    login_as()
    page = client.get("/notifications/").get_data(as_text=True)
    assert "به بازارچه خوش آمدید" in page
    assert "badge" in client.get("/").get_data(as_text=True)


def test_notifications_empty_state(client, login_as):
    user = login_as()
    db.session.execute(db.delete(Message).where(Message.user_id == user.id))
    db.session.commit()
    assert "هنوز اعلانی ندارید" in client.get("/notifications/").get_data(as_text=True)


def test_mark_read_and_read_all(client, login_as):
    user = login_as()
    message = db.session.scalar(db.select(Message).where(Message.user_id == user.id))
    assert client.post(f"/notifications/{message.id}/read").status_code == 302
    assert db.session.get(Message, message.id).read_at is not None
    assert client.post("/notifications/read-all").status_code == 302


def test_another_users_notification_is_404(client, make_user, login_as):
    other = make_user()
    login_as()
    theirs = db.session.scalar(db.select(Message).where(Message.user_id == other.id))
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert client.post("/notifications/99999/read").status_code == 404
    assert db.session.get(Message, theirs.id).read_at is None


def test_notifications_need_sign_in(client):
    assert client.get("/notifications/").status_code == 302


def test_the_outbox_shows_organisers_what_went_out_and_what_failed(client, login_as, make_user):
    from bazaar.models import Role

    make_user(email="a@example.com")
    failed = db.session.scalar(db.select(Message).where(Message.recipient == "a@example.com"))
    failed.status, failed.attempts, failed.last_error = "failed", 5, "SMTP 550 mailbox unavailable"
    db.session.commit()
    login_as(Role.ORGANISER)
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert 'data-status="failed"' in page
    assert 'data-status="pending"' in page
    assert "SMTP 550 mailbox unavailable" in page
    only_failed = client.get("/notifications/outbox?status=failed").get_data(as_text=True)
    assert only_failed.count('data-testid="outbox-row"') == 1
    assert "ناموفق (۱)" in only_failed
    # A made-up status or page shows everything, never an error.
    assert client.get("/notifications/outbox?status=<x>&page=abc").status_code == 200


def test_citizens_and_vendors_cannot_see_the_outbox(client, login_as):
    login_as()
    assert client.get("/notifications/outbox").status_code == 403


def test_an_action_that_queues_messages_says_they_are_queued(
    client, login_as, make_bazaar, make_vendor
):
    from bazaar.models import Role
    from tests.services.test_stalls import apply, food_and_craft

    bazaar = make_bazaar()
    apply(make_vendor(), bazaar, food_and_craft(bazaar)[1])
    login_as(Role.ORGANISER)
    response = client.post(
        f"/bazaars/{bazaar.id}/cancel", data={"reason": "باران"}, follow_redirects=True
    )
    assert "در صف ارسال: ۱ پیام" in response.get_data(as_text=True)
    # A refused action queued nothing and says nothing about messages.
    again = client.post(f"/bazaars/{bazaar.id}/cancel", data={"reason": "باران"})
    assert "در صف ارسال" not in client.get("/").get_data(as_text=True)
    assert again.status_code in (302, 400)
