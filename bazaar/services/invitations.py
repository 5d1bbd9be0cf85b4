"""Invitations: a follow-up's responsible person who has no account yet.

The organiser names them, their mobile or email and their agency; an organiser account is
created at once with no usable password (`invited_at` set), so follow-ups are theirs from the
start. The message they get is the claim link: it lets them choose their name and password
once, as an imported vendor's claim link does (services/claims.py).
"""

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.links import external_url
from bazaar.models import Role, User
from bazaar.services.accounts import (
    _clean_identifiers,
    _ensure_free,
    check_password_policy,
    hash_password,
    parse_identifier,
)
from bazaar.services.agencies import require_active_agency
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user

INVITATION_MAX_AGE = timedelta(days=14)


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt="responsible-invitation")


def make_invitation_token(user, now):
    """Sign a token naming the invited account and the time it was made."""
    return _serializer().dumps({"u": user.id, "t": int(now.timestamp())})


def invite_person(actor, *, name, contact, agency_id, now):
    """Create the account of someone invited into an agency (no password yet); return it."""
    if not (name or "").strip():
        raise Invalid("invitation.name_required", field="invite_name")
    email, mobile = parse_identifier(contact)
    if not email and not mobile:
        code = (
            "account.invalid_mobile" if (contact or "").strip() else "account.identifier_required"
        )
        raise Invalid(code, field="invite_contact")
    try:
        email, mobile = _clean_identifiers(email, mobile)
    except Invalid as error:
        error.params["field"] = "invite_contact"
        raise
    agency = require_active_agency(agency_id, field="invite_agency_id")
    # A password nobody knows: the account cannot sign in until the invitation is used.
    unusable = hash_password(secrets.token_urlsafe(32))
    with write_transaction():
        try:
            _ensure_free(email, mobile)
        except Conflict as error:
            raise Conflict("invitation.account_exists", field="invite_contact") from error
        user = User(
            name=name.strip()[:120],
            email=email,
            mobile=mobile,
            password_hash=unusable,
            role=Role.ORGANISER.value,
            agency_id=agency.id,
            invited_at=now,
            created_at=now,
        )
        db.session.add(user)
        db.session.flush()
        record_audit("account.invite", user, actor=actor, now=now, agency=agency.id)
    return user


def send_invitation(user, titles, *, now):
    """Queue the invitation: the follow-ups that are theirs, and the link to claim the account."""
    link = external_url("committees.invitation_form", token=make_invitation_token(user, now))
    notify_user(
        user,
        "invitation",
        now=now,
        in_site=False,
        agency=user.agency.name_in(user.locale),
        followups="، ".join(titles) if user.locale == "fa" else ", ".join(titles),
        url=link,
    )


def find_invited_user(token, now):
    """Return the account a valid, unused invitation names, or None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if now.timestamp() - data.get("t", 0) > INVITATION_MAX_AGE.total_seconds():
        return None
    user = db.session.get(User, data["u"])
    return user if user is not None and user.invited_at is not None else None


def accept_invitation(token, *, name, password, now):
    """Claim an invited account: choose the name shown and a password; the link then dies."""
    if find_invited_user(token, now) is None:
        raise Invalid("invitation.invalid")
    check_password_policy(password)
    password_hash = hash_password(password)
    with write_transaction():
        user = find_invited_user(token, now)
        if user is None:
            raise Invalid("invitation.invalid")
        if (name or "").strip():
            user.name = name.strip()[:120]
        user.password_hash, user.invited_at = password_hash, None
        record_audit("account.accept_invitation", user, actor=user, now=now)
    return user
