"""Interest lists: people who asked to be told when a bazaar goes ahead (the gate tells them)."""

import secrets

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.models import Bazaar, Interest
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.listing import get_public_bazaar
from bazaar.text import normalize_email, normalize_mobile


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


def subscribe(bazaar_id, *, now, user=None, email=None, mobile=None, locale="fa"):
    """Add someone to a bazaar's interest list; return (interest, created). No duplicates."""
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
        existing = db.session.scalar(
            db.select(Interest).where(Interest.bazaar_id == bazaar.id, clause)
        )
        if existing is not None:
            return existing, False
        interest = Interest(
            bazaar_id=bazaar.id,
            user_id=user.id if user else None,
            email=None if user else email,
            mobile=None if user else mobile,
            locale=user.locale if user else locale,
            token=secrets.token_urlsafe(32),
            created_at=now,
        )
        db.session.add(interest)
        record_audit("bazaar.subscribe", bazaar, actor=user, now=now)
    return interest, True


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
    return db.session.scalar(
        db.select(db.func.count(Interest.id)).where(Interest.bazaar_id == bazaar_id)
    )
