"""Figures an operator watches (bazaar/metrics.py exports them to Prometheus)."""

import sqlalchemy as sa

from bazaar.extensions import db
from bazaar.models import Message
from bazaar.models.notifications import Delivery

UNSENT = (Delivery.PENDING.value, Delivery.SENDING.value)


def outbox_backlog(now):
    """Count the messages waiting in the outbox (pending or being sent)."""
    return db.session.scalar(sa.select(sa.func.count()).where(Message.status.in_(UNSENT)))


def oldest_unsent_age(now):
    """Return the seconds the oldest unsent message has waited (0 when none waits)."""
    oldest = db.session.scalar(
        sa.select(sa.func.min(Message.created_at)).where(Message.status.in_(UNSENT))
    )
    return max((now - oldest).total_seconds(), 0) if oldest else 0
