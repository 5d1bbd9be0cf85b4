"""The outbox: delivery once, retries with back-off, failures kept, in-site notices."""

from datetime import timedelta

import pytest

from bazaar.database import write_transaction
from bazaar.errors import NotFound
from bazaar.extensions import db
from bazaar.models import Message
from bazaar.services import delivery, notifications


def outbox_files(app):
    folder = delivery.outbox_dir()
    return sorted(folder.glob("*.txt")) if folder.exists() else []


def test_send_due_messages_writes_each_message_once(app, make_user, now):
    user = make_user(locale="en")
    counts = notifications.send_due_messages(now)
    assert counts == {"sent": 1, "retry": 0, "failed": 0}
    files = outbox_files(app)
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert f"To: {user.email}" in text
    assert "Subject: Welcome to Bazaar" in text
    assert notifications.send_due_messages(now + timedelta(hours=1)) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
    }
    assert len(outbox_files(app)) == 1


def test_failed_delivery_is_retried_with_back_off_then_marked_failed(
    app, make_user, now, monkeypatch
):
    make_user()
    app.config["NOTIFICATION_MAX_ATTEMPTS"] = 3

    def broken(message):
        raise delivery.DeliveryError("gateway down")

    monkeypatch.setitem(delivery.BACKENDS, "file", broken)
    assert notifications.send_due_messages(now)["retry"] == 1
    message = db.session.scalar(db.select(Message))
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "gateway down")
    assert message.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: nothing happens before the back-off ends.
    assert notifications.send_due_messages(now + timedelta(seconds=30))["retry"] == 0
    notifications.send_due_messages(now + timedelta(minutes=1))
    db.session.expire_all()
    assert db.session.get(Message, message.id).next_attempt_at == now + timedelta(minutes=3)
    assert notifications.send_due_messages(now + timedelta(minutes=3))["failed"] == 1
    db.session.expire_all()
    assert db.session.get(Message, message.id).status == "failed"


def test_a_recovered_gateway_delivers_what_was_waiting(app, make_user, now, monkeypatch):
    make_user()
    monkeypatch.setitem(
        delivery.BACKENDS, "file", lambda m: (_ for _ in ()).throw(delivery.DeliveryError("x"))
    )
    notifications.send_due_messages(now)
    monkeypatch.undo()
    assert notifications.send_due_messages(now + timedelta(minutes=5))["sent"] == 1
    assert len(outbox_files(app)) == 1


def test_claim_is_taken_once_and_reclaimed_after_a_crash(app, make_user, now):
    make_user()
    message_id = notifications.find_due_ids(now)[0]
    assert notifications.claim_message(message_id, now)
    assert not notifications.claim_message(message_id, now)
    # The run that claimed it died; after the claim timeout another run takes it over.
    later = now + notifications.CLAIM_TIMEOUT
    assert notifications.find_due_ids(later) == [message_id]
    assert notifications.send_due_messages(later)["sent"] == 1


def test_retry_delay_doubles_and_is_capped():
    assert [notifications.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert notifications.retry_delay(30) == timedelta(hours=6)


def test_smtp_backend_sends_utf8_email(app, make_user, now, smtp):
    app.config.update(MAIL_SERVER="mail.test", MAIL_PORT=2525)
    make_user(locale="fa")
    assert notifications.send_due_messages(now)["sent"] == 1
    assert smtp.servers == [("mail.test", 2525)]
    assert smtp.sent[0]["Subject"] == "به بازارچه خوش آمدید"
    assert smtp.sent[0]["Message-ID"].startswith("<bazaar-1@")


def test_smtp_failure_is_a_retry_not_a_crash(app, make_user, now, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr(delivery.smtplib, "SMTP", refuse)
    app.config["MAIL_BACKEND"] = "smtp"
    make_user()
    assert notifications.send_due_messages(now)["retry"] == 1


def test_notifications_list_unread_and_mark_read(app, make_user, now):
    user, other = make_user(), make_user()
    assert notifications.count_unread(user) == 1
    message = notifications.list_notifications(user, 1, 20).items[0]
    with pytest.raises(NotFound):
        notifications.mark_read(other, message.id, now=now)
    notifications.mark_read(user, message.id, now=now)
    assert notifications.count_unread(user) == 0
    assert notifications.count_unread(other) == 1
    notifications.mark_all_read(other, now=now)
    assert notifications.count_unread(other) == 0


def test_messages_not_for_the_site_are_not_listed(app, make_user, now):
    user = make_user()
    with write_transaction():
        notifications.notify_user(user, "password_changed", now=now, in_site=False)
    assert len(notifications.list_notifications(user, 1, 20).items) == 1


def test_a_subject_with_a_line_break_is_queued_as_one_line(app, now, smtp):
    with write_transaction():
        notifications.notify_address(
            "email",
            "buyer@example.com\r\nBcc: x@evil.example",
            "inquiry",
            now=now,
            subject="ترشی\r\nBcc: x@evil.example\x00",
            sender="x",
            contact="y",
            text="body\nstays\nmultiline",
        )
    message = db.session.scalar(db.select(Message))
    assert message.subject == "پرسشی دربارهٔ ترشی Bcc: x@evil.example"
    assert message.recipient == "buyer@example.com Bcc: x@evil.example"
    assert message.body.endswith("body\nstays\nmultiline")
    assert notifications.send_due_messages(now)["sent"] == 1
    assert smtp.sent[0]["Bcc"] is None
    assert "\n" not in str(smtp.sent[0]["Subject"])


def test_a_delivery_that_raises_anything_is_retried_then_failed_and_the_batch_goes_on(
    app, make_user, now, smtp
):
    smtp.refuse = lambda email: email["To"] == "first@example.com"
    app.config.update(NOTIFICATION_MAX_ATTEMPTS=2)
    first, second = make_user(email="first@example.com"), make_user(email="second@example.com")
    assert notifications.send_due_messages(now) == {"sent": 1, "retry": 1, "failed": 0}
    assert [email["To"] for email in smtp.sent] == [second.email]
    stuck = db.session.scalar(db.select(Message).where(Message.recipient == first.email))
    assert (stuck.status, stuck.attempts) == ("pending", 1)
    assert stuck.next_attempt_at == now + timedelta(minutes=1)
    assert "ValueError" in stuck.last_error
    assert notifications.send_due_messages(now + timedelta(minutes=1))["failed"] == 1
    db.session.expire_all()
    assert db.session.get(Message, stuck.id).status == "failed"
