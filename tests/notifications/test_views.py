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
