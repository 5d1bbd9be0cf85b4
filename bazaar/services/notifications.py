"""The notifications outbox: queue in the causing transaction, deliver afterwards."""

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, func, or_, update

from bazaar.database import write_transaction
from bazaar.errors import NotFound
from bazaar.extensions import db
from bazaar.models import Channel, Delivery, Message
from bazaar.services import delivery
from bazaar.services.message_texts import TEMPLATES
from bazaar.text import single_line

log = logging.getLogger(__name__)

# How long a claimed message may stay "sending" before another run may take it over.
CLAIM_TIMEOUT = timedelta(minutes=10)


def render_message(kind, locale, **params):
    """Return the (subject, body) of a message kind in `locale`."""
    subject, body = TEMPLATES[kind]
    with force_locale(locale):
        return str(subject) % params, str(body) % params


def address_message_rows(kind, locale, now, addressed):
    """Return the column values of messages to addresses, for inserting many in one statement.

    `addressed` yields (channel, recipient, params); the text is translated once for all.
    """
    subject, body = TEMPLATES[kind]
    with force_locale(locale):
        subject, body = str(subject), str(body)
    for channel, recipient, params in addressed:
        yield {
            "created_at": now,
            "user_id": None,
            "in_site": False,
            "channel": channel,
            "recipient": single_line(recipient) or None,
            "locale": locale,
            "subject": single_line(subject % params)[:200],
            "body": body % params,
            "link": None,
            "list_unsubscribe": None,
            "status": Delivery.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
        }


def notify_user(user, kind, *, now, link=None, in_site=True, list_unsubscribe=None, **params):
    """Queue a message of `kind` to `user`, by email if they have one, else by SMS.

    `list_unsubscribe`: the one-click unsubscribe URL of the list the message comes from.
    """
    channel, recipient = (Channel.EMAIL, user.email) if user.email else (Channel.SMS, user.mobile)
    params.setdefault("name", user.name)
    return _queue(
        kind,
        channel,
        recipient,
        user.locale,
        now,
        user=user,
        link=link,
        in_site=in_site,
        list_unsubscribe=list_unsubscribe,
        **params,
    )


def notify_address(
    channel, recipient, kind, *, now, locale="fa", link=None, list_unsubscribe=None, **params
):
    """Queue a message to an address with no account behind it (shown in no site inbox)."""
    return _queue(
        kind,
        Channel(channel),
        recipient,
        locale,
        now,
        user=None,
        link=link,
        in_site=False,
        list_unsubscribe=list_unsubscribe,
        **params,
    )


def _queue(
    kind, channel, recipient, locale, now, *, user, link, in_site, list_unsubscribe, **params
):
    # Subjects carry user text (an inquiry's "about"): a header value is one line, so no
    # parameter can add a header (Bcc:) or break the SMTP backend.
    subject, body = render_message(kind, locale, **params)
    subject, recipient = single_line(subject), single_line(recipient) or None
    message = Message(
        created_at=now,
        user_id=None if user is None else user.id,
        in_site=in_site,
        channel=channel.value,
        recipient=recipient,
        locale=locale,
        subject=subject[:200],
        body=body,
        link=link,
        list_unsubscribe=list_unsubscribe if channel == Channel.EMAIL else None,
        status=Delivery.PENDING.value,
        next_attempt_at=now,
    )
    db.session.add(message)
    # Counted as queued only once the transaction commits (bazaar/notifications/views.py).
    db.session.info["queued"] = db.session.info.get("queued", 0) + 1
    return message


def retry_delay(attempts):
    """Return the back-off before attempt number `attempts + 1`: 1, 2, 4, … minutes, max 6 h."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def find_due_ids(now, limit=100):
    """Return the ids of messages due for delivery (including abandoned claims)."""
    due = or_(
        Message.status == Delivery.PENDING.value,
        Message.status == Delivery.SENDING.value,
    )
    query = (
        db.select(Message.id)
        .where(and_(due, Message.next_attempt_at <= now))
        .order_by(Message.id)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def claim_message(message_id, now):
    """Claim one due message for this run; False when another run got it first."""
    with write_transaction() as session:
        result = session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.status.in_([Delivery.PENDING.value, Delivery.SENDING.value]),
                Message.next_attempt_at <= now,
            )
            .values(status=Delivery.SENDING.value, next_attempt_at=now + CLAIM_TIMEOUT)
        )
        return result.rowcount == 1


def record_delivery(message_id, now, error=None):
    """Mark a claimed message sent, or schedule its retry, or give up after the last attempt."""
    with write_transaction() as session:
        message = session.get(Message, message_id)
        message.attempts += 1
        if error is None:
            message.status = Delivery.SENT.value
            message.sent_at = now
            message.last_error = None
            return
        message.last_error = error[:2000]
        if message.attempts >= current_app.config["NOTIFICATION_MAX_ATTEMPTS"]:
            message.status = Delivery.FAILED.value
        else:
            message.status = Delivery.PENDING.value
            message.next_attempt_at = now + retry_delay(message.attempts)


def send_due_messages(now, progress=None):
    """Deliver every due message once; return counts of sent, retried and failed ones."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message_id in find_due_ids(now, limit=10_000):
        if not claim_message(message_id, now):
            continue
        message = db.session.get(Message, message_id)
        try:
            delivery.deliver(message)
            error = None
        except Exception as exc:  # Any failure is a retry; the rest of the batch still goes.
            error = str(exc) if isinstance(exc, delivery.DeliveryError) else repr(exc)
            log.warning("delivery of message %s failed: %s", message_id, exc)
        record_delivery(message_id, now, error)
        status = db.session.get(Message, message_id).status
        counts["sent" if error is None else ("failed" if status == "failed" else "retry")] += 1
        if progress is not None:
            progress(message_id, error)
    return counts


def list_notifications(user, page, per_page):
    """Return a page of the user's in-site notifications, newest first."""
    query = (
        db.select(Message)
        .where(Message.user_id == user.id, Message.in_site.is_(True))
        .order_by(Message.created_at.desc(), Message.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_unread(user):
    """Return how many in-site notifications the user has not read."""
    query = db.select(func.count(Message.id)).where(
        Message.user_id == user.id, Message.in_site.is_(True), Message.read_at.is_(None)
    )
    return db.session.scalar(query)


def mark_read(user, message_id, *, now):
    """Mark one of the user's notifications read."""
    with write_transaction() as session:
        message = session.get(Message, message_id)
        if message is None or not message.is_accessible_by(user):
            raise NotFound("notification.not_found")
        if message.read_at is None:
            message.read_at = now
        return message


def mark_all_read(user, *, now):
    """Mark every notification of the user read."""
    with write_transaction() as session:
        session.execute(
            update(Message)
            .where(Message.user_id == user.id, Message.read_at.is_(None))
            .values(read_at=now)
        )


def list_outbox(status, page, per_page):
    """Return a page of every message the outbox holds, newest first (organisers' view).

    `status` narrows it to pending, sending, sent or failed; anything else shows all.
    """
    query = db.select(Message).order_by(Message.created_at.desc(), Message.id.desc())
    if status in Delivery.__members__.values():
        query = query.where(Message.status == status)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_outbox():
    """Return {status: how many messages} over the whole outbox."""
    query = db.select(Message.status, func.count(Message.id)).group_by(Message.status)
    return {status.value: 0 for status in Delivery} | dict(db.session.execute(query).all())
