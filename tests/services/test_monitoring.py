"""The figures an operator watches: the outbox backlog and its oldest unsent message."""

from datetime import timedelta

from bazaar.extensions import db
from bazaar.models import Message
from bazaar.services.monitoring import oldest_unsent_age, outbox_backlog


def add_message(status, created_at):
    db.session.add(
        Message(
            subject="s",
            body="b",
            recipient="a@example.com",
            status=status,
            created_at=created_at,
            next_attempt_at=created_at,
        )
    )
    db.session.commit()


def test_an_empty_outbox_has_no_backlog_and_no_age(app, now):
    assert outbox_backlog(now) == 0
    assert oldest_unsent_age(now) == 0


def test_backlog_counts_pending_and_sending_but_not_sent_or_failed(app, now):
    add_message("pending", now - timedelta(minutes=5))
    add_message("sending", now - timedelta(minutes=2))
    add_message("sent", now - timedelta(hours=3))
    add_message("failed", now - timedelta(hours=4))
    assert outbox_backlog(now) == 2
    # The oldest *unsent* one: sent and failed messages are older but not waiting.
    assert oldest_unsent_age(now) == 300
