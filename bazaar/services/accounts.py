"""Accounts: registration, sign-in (throttled by login_throttle), passwords, roles, sessions."""

import functools
import hmac
import unicodedata
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_
from werkzeug.security import check_password_hash, generate_password_hash

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.links import external_url
from bazaar.models import AuditEntry, Role, User
from bazaar.services import login_throttle
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user
from bazaar.services.tokens import revoke_user_tokens
from bazaar.text import normalize_email, normalize_mobile, to_ascii_digits

PUBLIC_ROLES = (Role.CITIZEN, Role.VENDOR)


# --- passwords ---------------------------------------------------------------------------


@functools.cache
def _common_passwords():
    # zxcvbn ships the 30,000 most common leaked passwords; loaded on first use only.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_policy(password):
    """Refuse a password that is too short, too long or among the common ones."""
    config = current_app.config
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        raise Invalid("password.too_short", min=config["PASSWORD_MIN_LENGTH"])
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        raise Invalid("password.too_long", max=config["PASSWORD_MAX_LENGTH"])
    # "۱۲۳۴۵۶۷۸" is as guessable as "12345678".
    if to_ascii_digits(password).casefold() in _common_passwords():
        raise Invalid("password.common")


def _prepare(password):
    # The same password typed on another keyboard may arrive in another Unicode form.
    return unicodedata.normalize("NFKC", password)


def hash_password(password):
    """Hash a password with the configured method (scrypt p=3 by default)."""
    return generate_password_hash(
        _prepare(password), method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def needs_rehash(password_hash):
    """Tell whether a stored hash uses other parameters than the configured method."""
    return password_hash.split("$", 1)[0] != current_app.config["PASSWORD_HASH_METHOD"]


def verify_password(user, password):
    """Check a password against the user's hash."""
    return check_password_hash(user.password_hash, _prepare(password))


@functools.cache
def _dummy_hash(method):
    return generate_password_hash("not a real password", method=method)


def _spend_equal_work(password):
    # An unknown account costs the same hash as a wrong password, so timing tells nothing.
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), _prepare(password))


# --- identifiers -------------------------------------------------------------------------


def parse_identifier(text):
    """Split what a user typed into (email, mobile); one of them is None."""
    text = (text or "").strip()
    if "@" in text:
        return normalize_email(text), None
    return None, normalize_mobile(text)


def find_user_by_identifier(text):
    """Return the user with this email or mobile number, or None."""
    email, mobile = parse_identifier(text)
    if email:
        return db.session.scalar(db.select(User).where(User.email == email))
    if mobile:
        return db.session.scalar(db.select(User).where(User.mobile == mobile))
    return None


def _clean_identifiers(email, mobile):
    email = normalize_email(email) or None
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise Invalid("account.invalid_email") from exc
    if mobile and mobile.strip():
        normalized = normalize_mobile(mobile)
        if normalized is None:
            raise Invalid("account.invalid_mobile")
        mobile = normalized
    else:
        mobile = None
    if email is None and mobile is None:
        raise Invalid("account.identifier_required")
    return email, mobile


def _holds(email, mobile):
    # Only the identifiers given: `User.mobile == None` would match every account without one.
    clauses = []
    if email:
        clauses.append(User.email == email)
    if mobile:
        clauses.append(User.mobile == mobile)
    return or_(*clauses)


def _ensure_free(email, mobile):
    if db.session.scalar(db.select(User.id).where(_holds(email, mobile)).limit(1)) is not None:
        raise Conflict("account.identifier_taken")


# --- registration and sign-in ------------------------------------------------------------


def register_user(*, name, email, mobile, password, role, locale, now, actor=None):
    """Create an account and send a welcome message; return the user."""
    if role not in Role.__members__.values():
        raise Invalid("account.unknown_role")
    email, mobile = _clean_identifiers(email, mobile)
    check_password_policy(password)
    password_hash = hash_password(password)
    with write_transaction():
        _ensure_free(email, mobile)
        user = User(
            name=name.strip(),
            email=email,
            mobile=mobile,
            password_hash=password_hash,
            role=Role(role).value,
            locale=locale,
            created_at=now,
        )
        db.session.add(user)
        record_audit("account.register", user, actor=actor or user, now=now, role=user.role)
        notify_user(user, "welcome", now=now, identifier=user.identifier)
    return user


def sign_up(*, name, email, mobile, password, role, locale, now):
    """Register from the public form; return the new user, or None if the address is taken.

    A taken email or mobile number is not revealed to whoever typed it: the caller answers
    as for a new account, and the owner is told by a message (with the way to sign in or
    reset the password), in case it was them.
    """
    try:
        return register_user(
            name=name,
            email=email,
            mobile=mobile,
            password=password,
            role=role,
            locale=locale,
            now=now,
        )
    except Conflict as error:
        if error.code != "account.identifier_taken":
            raise
    email, mobile = _clean_identifiers(email, mobile)
    with write_transaction() as session:
        owners = session.scalars(db.select(User).where(_holds(email, mobile))).all()
        for owner in owners:
            notify_user(
                owner,
                "registration_attempt",
                now=now,
                in_site=False,
                identifier=owner.email if owner.email == email else owner.mobile,
                sign_in=external_url("accounts.login_form"),
                reset=external_url("accounts.reset_request_form"),
            )
            record_audit("account.register_attempt", owner, actor=None, now=now)
    return None


def authenticate(identifier, password, *, now, client=None):
    """Return the user these credentials belong to, or raise the same error for any miss.

    Unknown accounts and wrong passwords cost the same work and give the same answer; only
    the right password learns that an account is disabled. Each attempt is counted, before
    the password is checked, per client address and per account and client address.
    """
    login_throttle.claim_attempt(identifier, client, now)
    user = find_user_by_identifier(identifier)
    if user is None:
        _spend_equal_work(password)
        raise Invalid("account.bad_credentials")
    if not verify_password(user, password):
        raise Invalid("account.bad_credentials")
    if not user.is_active:
        raise Invalid("account.disabled")
    with write_transaction() as session:
        login_throttle.release_attempt(identifier, client)
        user = session.get(User, user.id)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = now
        record_audit("account.login", user, actor=user, now=now)
    return user


def end_sessions(user, *, now, reason="logout"):
    """End every session of the user: older session cookies stop working."""
    with write_transaction() as session:
        user = session.get(User, user.id)
        user.session_version += 1
        record_audit(f"account.{reason}", user, actor=user, now=now)
    return user


def change_password(user, *, current, new, now):
    """Change the password after checking the current one; end every other session."""
    if not verify_password(user, current):
        raise Invalid("account.wrong_password")
    check_password_policy(new)
    new_hash = hash_password(new)
    with write_transaction() as session:
        user = session.get(User, user.id)
        user.password_hash = new_hash
        user.session_version += 1
        revoke_user_tokens(user.id, now=now)
        record_audit("account.password_change", user, actor=user, now=now)
        notify_user(user, "password_changed", now=now)
    return user


# --- password reset ----------------------------------------------------------------------


def _reset_serializer():
    return URLSafeSerializer(current_app.secret_key, salt="password-reset")


def make_reset_token(user, now):
    """Return a signed token that resets this user's password once, within the max age."""
    return _reset_serializer().dumps(
        {"u": user.id, "v": user.session_version, "t": int(now.timestamp())}
    )


def find_user_by_reset_token(token, now):
    """Return the user a still-valid reset token belongs to, or None."""
    try:
        data = _reset_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not {"u", "v", "t"} <= data.keys():
        return None
    if now.timestamp() - data["t"] > current_app.config["PASSWORD_RESET_MAX_AGE"]:
        return None
    user = db.session.get(User, data["u"])
    # A used token is dead: resetting bumps the session version it was signed with.
    if (
        user is None
        or not user.is_active
        or not hmac.compare_digest(str(user.session_version), str(data["v"]))
    ):
        return None
    return user


def request_password_reset(identifier, *, now, link_for, most_per_hour=3):
    """Send a reset link to the account, if there is one; say nothing either way.

    At most `most_per_hour` links go to one account in an hour, whoever asks: a stranger cannot
    flood the owner's inbox, and the owner is never refused (the links already sent work).
    """
    user = find_user_by_identifier(identifier)
    if user is None or not user.is_active:
        return
    link = link_for(make_reset_token(user, now))
    with write_transaction():
        recent = db.select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "account.password_reset_request",
            AuditEntry.object_type == User.__tablename__,
            AuditEntry.object_id == str(user.id),
            AuditEntry.at > now - timedelta(hours=1),
        )
        if db.session.scalar(recent) >= most_per_hour:
            return
        notify_user(user, "password_reset", now=now, in_site=False, url=link)
        record_audit("account.password_reset_request", user, actor=None, now=now)


def reset_password(token, new_password, *, now):
    """Set a new password through a reset token; end every session."""
    if find_user_by_reset_token(token, now) is None:
        raise Invalid("account.reset_link_invalid")
    check_password_policy(new_password)
    new_hash = hash_password(new_password)
    with write_transaction():
        # Read again under the write lock: two clicks on one link reset the password once.
        user = find_user_by_reset_token(token, now)
        if user is None:
            raise Invalid("account.reset_link_invalid")
        user.password_hash = new_hash
        user.session_version += 1
        revoke_user_tokens(user.id, now=now)
        # The owner proved control of the account: no client stays slowed down on it.
        login_throttle.forget_account(user.email, user.mobile)
        record_audit("account.password_reset", user, actor=user, now=now)
    return user


# --- administration ----------------------------------------------------------------------


def get_user(user_id):
    """Return the user with this id or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("account.not_found")
    return user


def set_role(actor, user_id, role, *, now):
    """Give a user another role."""
    if role not in Role.__members__.values():
        raise Invalid("account.unknown_role")
    with write_transaction():
        user = get_user(user_id)
        if user.id == actor.id:
            raise Conflict("account.cannot_change_self")
        previous, user.role = user.role, Role(role).value
        record_audit("account.role_change", user, actor=actor, now=now, old=previous, new=user.role)
    return user


def set_disabled(actor, user_id, disabled, *, now):
    """Disable an account (ending its sessions) or enable it again."""
    with write_transaction():
        user = get_user(user_id)
        if user.id == actor.id:
            raise Conflict("account.cannot_change_self")
        if disabled and user.disabled_at is None:
            user.disabled_at = now
            user.session_version += 1
            revoke_user_tokens(user.id, now=now)
            record_audit("account.disable", user, actor=actor, now=now)
        elif not disabled and user.disabled_at is not None:
            user.disabled_at = None
            record_audit("account.enable", user, actor=actor, now=now)
    return user


def set_locale(user, locale, *, now):
    """Remember the user's language for pages and messages."""
    if user.locale == locale:
        return user
    with write_transaction() as session:
        user = session.get(User, user.id)
        user.locale = locale
    return user


def search_users(query_text, page, per_page):
    """Return a page of users whose name, email or mobile contains the text."""
    query = db.select(User).order_by(User.id.desc())
    text = (query_text or "").strip()
    if text:
        like = f"%{to_ascii_digits(text)}%"
        query = query.where(
            or_(User.name.ilike(like), User.email.ilike(like), User.mobile.ilike(like))
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
