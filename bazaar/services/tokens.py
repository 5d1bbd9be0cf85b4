"""Bearer tokens of the JSON API: issued after a sign-in, stored hashed, revoked for good.

A token dies when it expires, when its owner revokes it, and when the account's password
changes or the account is disabled (accounts.py calls `revoke_user_tokens` then).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import ApiToken
from bazaar.services.audit import record_audit


def hash_token(secret):
    """Return the stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user, *, now):
    """Return (secret, token row) for a new token of a user who has just signed in."""
    secret = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    with write_transaction():
        token = ApiToken(
            user_id=user.id,
            token_hash=hash_token(secret),
            created_at=now,
            expires_at=now + lifetime,
        )
        db.session.add(token)
        record_audit("account.api_token", user, actor_id=user.id, now=now)
    return secret, token


def find_token(secret, *, now):
    """Return the live token with this secret (its account active), or None."""
    if not secret or len(secret) > 200:
        return None
    digest = hash_token(secret)
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token


def revoke_token(token_id, *, now):
    """Revoke one token (its owner signs out of the API)."""
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is not None and token.revoked_at is None:
            token.revoked_at = now
            record_audit("account.api_token_revoke", token.user, actor_id=token.user_id, now=now)


def revoke_user_tokens(user_id, *, now):
    """Revoke every live token of an account; call it inside the account's write transaction."""
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
