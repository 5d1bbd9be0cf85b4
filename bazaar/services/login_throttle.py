"""Failed sign-ins, counted in the database per (account, client address) and per client address.

Never per account alone: a stranger's wrong guesses slow down that stranger and leave the owner
alone. Each attempt is claimed before its password is checked, by one statement that adds it
unless the window is full, so parallel attempts cannot read "below the limit" together.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, literal, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bazaar.database import write_transaction
from bazaar.errors import Throttled
from bazaar.extensions import db
from bazaar.models import LoginThrottle
from bazaar.models.types import UTCDateTime
from bazaar.text import normalize_email, normalize_mobile, to_ascii_digits


def throttle_key(text):
    """Return the account name under which attempts with `text` are counted, known or not."""
    text = (text or "").strip()
    if "@" in text:
        return normalize_email(text)
    return normalize_mobile(text) or to_ascii_digits(text.casefold())[:254]


def _account_part(identifier):
    # Hashed, so that an identifier of any length fits the key column next to an address.
    return hashlib.sha256(throttle_key(identifier).encode()).hexdigest()[:32]


def attempt_keys(identifier, client):
    """Return the keys of a sign-in attempt: (per client address, per account and address)."""
    client = (client or "-")[:64]
    return f"ip:{client}", f"acct:{_account_part(identifier)}|{client}"


def _insert(session):
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _claim(session, key, limit, now):
    """Add one attempt under `key`; return False (adding nothing) if the window is full."""
    table = LoginThrottle.__table__
    window = timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    expired = table.c.first_failure_at < now - window
    statement = (
        _insert(session)(table)
        .values(key=key, failures=1, first_failure_at=now)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "first_failure_at": case(
                    (expired, literal(now, UTCDateTime())), else_=table.c.first_failure_at
                ),
            },
            where=or_(expired, table.c.failures < limit),
        )
        .returning(table.c.failures)
    )
    return session.execute(statement).first() is not None


def claim_attempt(identifier, client, now):
    """Count a sign-in attempt before its password is checked, or raise Throttled past a limit."""
    config = current_app.config
    per_client, per_account = attempt_keys(identifier, client)
    with write_transaction() as session:
        claimed = _claim(
            session, per_client, config["LOGIN_LOCK_AFTER_FAILURES_PER_IP"], now
        ) and _claim(session, per_account, config["LOGIN_LOCK_AFTER_FAILURES"], now)
        if not claimed:
            # Leaving the block by an exception rolls back whatever was counted.
            raise Throttled("account.locked")


def release_attempt(identifier, client):
    """Take back a successful attempt: the pair starts afresh, the client's count drops by one."""
    per_client, per_account = attempt_keys(identifier, client)
    with write_transaction() as session:
        session.execute(db.delete(LoginThrottle).where(LoginThrottle.key == per_account))
        session.execute(
            db.update(LoginThrottle)
            .where(LoginThrottle.key == per_client, LoginThrottle.failures > 0)
            .values(failures=LoginThrottle.failures - 1)
        )


def forget_account(*identifiers):
    """Drop every client's count on the account these identifiers name."""
    with write_transaction() as session:
        for identifier in filter(None, identifiers):
            prefix = f"acct:{_account_part(identifier)}|"
            session.execute(db.delete(LoginThrottle).where(LoginThrottle.key.startswith(prefix)))
