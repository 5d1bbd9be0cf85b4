"""Interest lists: people who asked to be told when a bazaar goes ahead (the gate tells them).

A signed-in user's entry counts at once. An entry by email or mobile counts, is shown in the
counts and is told of the release only once its contact followed the confirmation link sent
to it; an unconfirmed entry is ignored after CONFIRM_WITHIN, and signing up again re-sends the
link on the same row. Whoever signs up gets the same answer, so the list cannot be read back.
"""

import secrets
from datetime import timedelta

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.links import external_url
from bazaar.models import Bazaar, Interest
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.listing import get_public_bazaar
from bazaar.services.notifications import notify_address
from bazaar.text import normalize_email, normalize_mobile

# How long a confirmation link works; an entry left unconfirmed longer is ignored.
CONFIRM_WITHIN = timedelta(days=7)


def _clean_contact(email, mobile):
    email = normalize_email(email) or None
    mobile_clean = normalize_mobile(mobile) if mobile and mobile.strip() else None
    if mobile and mobile.strip() and mobile_clean is None:
        raise Invalid("account.invalid_mobile", field="contact")
    if email is not None and ("@" not in email or len(email) > 254):
        raise Invalid("account.invalid_email", field="contact")
    if email is None and mobile_clean is None:
        raise Invalid("account.identifier_required", field="contact")
    return email, mobile_clean


def _is_expired(interest, now):
    sent = interest.confirm_sent_at
    return sent is None or now - sent > CONFIRM_WITHIN


def subscribe(bazaar_id, *, now, user=None, email=None, mobile=None, locale="fa"):
    """Add someone to a bazaar's interest list; return (interest, created). No duplicates.

    A signed-in user is confirmed at once. An email or mobile is sent a confirmation link (or,
    if already confirmed, a reminder that it is on the list): the same answer either way.
    """
    if user is None:
        email, mobile = _clean_contact(email, mobile)
    with write_transaction():
        bazaar = get_public_bazaar(bazaar_id)
        if bazaar.cancelled_at is not None:
            raise Conflict("bazaar.cancelled")
        if user is not None:
            clause = Interest.user_id == user.id
        elif email:
            clause = Interest.email == email
        else:
            clause = Interest.mobile == mobile
        interest = db.session.scalar(
            db.select(Interest).where(Interest.bazaar_id == bazaar.id, clause)
        )
        created = interest is None
        if created:
            interest = Interest(
                bazaar_id=bazaar.id,
                user_id=user.id if user else None,
                email=None if user else email,
                mobile=None if user else mobile,
                locale=user.locale if user else locale,
                token=secrets.token_urlsafe(32),
                created_at=now,
                confirmed_at=now if user else None,
            )
            db.session.add(interest)
            record_audit("bazaar.subscribe", bazaar, actor=user, now=now)
        if user is None:
            _ask_to_confirm(interest, bazaar, now, locale)
    return interest, created


def _ask_to_confirm(interest, bazaar, now, locale):
    # A confirmed entry keeps its owner's language: whoever signs it up again changes nothing.
    if interest.confirmed_at is not None:
        _send(interest, "interest_already", now, title=bazaar.title)
        return
    interest.locale = locale
    if interest.confirm_token is None or _is_expired(interest, now):
        interest.confirm_token = secrets.token_urlsafe(32)
    interest.confirm_sent_at = now
    url = external_url("bazaars.confirm_interest_form", token=interest.confirm_token)
    _send(interest, "interest_confirm", now, title=bazaar.title, url=url)


def _send(interest, kind, now, **params):
    unsubscribe = external_url("bazaars.unsubscribe", token=interest.token)
    channel, recipient = ("email", interest.email) if interest.email else ("sms", interest.mobile)
    notify_address(
        channel, recipient, kind, now=now, locale=interest.locale, unsubscribe=unsubscribe, **params
    )


def find_pending_interest(confirm_token, now):
    """Return the unconfirmed entry a confirmation link names, or None (unknown or expired)."""
    interest = db.session.scalar(db.select(Interest).where(Interest.confirm_token == confirm_token))
    if interest is None or interest.confirmed_at is not None or _is_expired(interest, now):
        return None
    return interest


def confirm_interest(confirm_token, *, now):
    """Confirm the entry a confirmation link names; return its bazaar, or None if not valid.

    The link works once: it is forgotten when used.
    """
    with write_transaction():
        interest = find_pending_interest(confirm_token, now)
        if interest is None:
            return None
        interest.confirmed_at = now
        interest.confirm_token = None
        record_audit("bazaar.interest_confirm", ("bazaars", interest.bazaar_id), now=now)
    return db.session.get(Bazaar, interest.bazaar_id)


def find_interest_by_token(token):
    """Return the interest-list entry an unsubscribe link names, or None."""
    return db.session.scalar(db.select(Interest).where(Interest.token == token))


def unsubscribe(token, *, now):
    """Remove an interest-list entry by its token; return the bazaar, or None if unknown."""
    with write_transaction():
        interest = find_interest_by_token(token)
        if interest is None:
            return None
        bazaar = interest.bazaar_id
        db.session.delete(interest)
        record_audit("bazaar.unsubscribe", ("bazaars", bazaar), now=now)
    return db.session.get(Bazaar, bazaar)


def find_interest(bazaar_id, user):
    """Return the signed-in user's entry on a bazaar's interest list, or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(Interest).where(Interest.bazaar_id == bazaar_id, Interest.user_id == user.id)
    )


def count_interest(bazaar_id):
    """Count the confirmed entries on a bazaar's interest list."""
    return db.session.scalar(
        db.select(db.func.count(Interest.id)).where(
            Interest.bazaar_id == bazaar_id, Interest.confirmed_at.is_not(None)
        )
    )
