"""Accounts: registration, sign-in, throttling, passwords, reset, roles."""

import contextlib
import threading
import time
from datetime import timedelta

import pytest

from bazaar import config as default_config
from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, Throttled
from bazaar.extensions import db
from bazaar.models import LoginThrottle, Message, Role, User
from bazaar.services import accounts, login_throttle
from bazaar.services.audit import list_audit
from bazaar.services.sessions import load_user
from tests.conftest import NOW, PASSWORD


def register(now, **kwargs):
    defaults = {
        "name": "Maryam",
        "email": "maryam@example.com",
        "mobile": None,
        "password": PASSWORD,
        "role": Role.VENDOR,
        "locale": "fa",
        "now": now,
    }
    return accounts.register_user(**{**defaults, **kwargs})


def test_register_user_stores_normalised_identifiers_and_audits(app, now):
    user = register(now, email=" Maryam@Example.COM ", mobile="+98 912 123 4567")
    assert (user.email, user.mobile, user.role) == ("maryam@example.com", "09121234567", "vendor")
    assert [entry.action for entry in list_audit(object_type="users", object_id=user.id)] == [
        "account.register"
    ]


@pytest.mark.parametrize(
    "typed", ["۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+989121234567", "00989121234567", "912 123 4567"]
)
def test_register_user_accepts_mobile_in_any_digits_and_prefix(app, now, typed):
    user = register(now, email=None, mobile=typed)
    assert user.mobile == "09121234567"


def test_register_user_queues_welcome_in_users_language(app, now):
    user = register(now, locale="en")
    message = db.session.scalar(db.select(Message).where(Message.user_id == user.id))
    assert message.subject == "Welcome to Bazaar"
    assert message.channel == "email"
    assert message.recipient == "maryam@example.com"


def test_register_user_writes_persian_message_for_persian_user(app, now):
    user = register(now, locale="fa", email=None, mobile="09121234567")
    message = db.session.scalar(db.select(Message).where(Message.user_id == user.id))
    assert message.channel == "sms"
    assert "بازار" in message.subject


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"email": None, "mobile": None}, "account.identifier_required"),
        ({"email": "not-an-email"}, "account.invalid_email"),
        ({"email": None, "mobile": "0912"}, "account.invalid_mobile"),
        ({"email": None, "mobile": "02112345678"}, "account.invalid_mobile"),
        ({"password": "short1"}, "password.too_short"),
        ({"password": "x" * 129}, "password.too_long"),
        ({"password": "password1"}, "password.common"),
        ({"password": "۱۲۳۴۵۶۷۸۹"}, "password.common"),
        ({"role": "king"}, "account.unknown_role"),
    ],
)
def test_register_user_refuses_bad_input_and_writes_nothing(app, now, kwargs, code):
    with pytest.raises(Invalid) as caught:
        register(now, **kwargs)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_register_user_refuses_taken_email_or_mobile(app, now):
    register(now, email="a@example.com", mobile="09121111111")
    with pytest.raises(Conflict):
        register(now, email="A@example.com")
    with pytest.raises(Conflict):
        register(now, email="b@example.com", mobile="۰۹۱۲۱۱۱۱۱۱۱")


def test_sign_up_with_a_taken_address_creates_nothing_and_tells_each_owner(app, now):
    by_email = register(now, email="a@example.com", locale="en")
    by_mobile = register(now, email=None, mobile="09121111111")
    outsider = register(now, email="c@example.com")
    before = db.session.scalar(db.select(db.func.count(Message.id)))
    signed_up = accounts.sign_up(
        name="Someone",
        email="A@example.com",
        mobile="۰۹۱۲۱۱۱۱۱۱۱",
        password="another passphrase",
        role=Role.CITIZEN,
        locale="fa",
        now=now,
    )
    assert signed_up is None
    assert db.session.scalar(db.select(db.func.count(User.id))) == 3
    told = db.session.scalars(db.select(Message).where(Message.id > before)).all()
    assert sorted(m.user_id for m in told) == sorted([by_email.id, by_mobile.id])
    assert outsider.id not in {m.user_id for m in told}
    english = next(m for m in told if m.user_id == by_email.id)
    assert "someone tried to create a new Bazaar account with a@example.com" in english.body
    assert "/accounts/login" in english.body
    assert "/accounts/reset" in english.body


def test_sign_up_with_a_new_address_creates_the_account(app, now):
    user = accounts.sign_up(
        name="New",
        email="new@example.com",
        mobile=None,
        password=PASSWORD,
        role=Role.VENDOR,
        locale="fa",
        now=now,
    )
    assert db.session.get(User, user.id).email == "new@example.com"


def test_password_policy_allows_long_unicode_passphrases(app):
    accounts.check_password_policy("گل‌های سرخ باغ ما " * 3 + "x" * 10)  # 64+ characters
    accounts.check_password_policy("😀" * 8)


def test_default_hash_method_meets_owasp_scrypt_parameters(app):
    app.config["PASSWORD_HASH_METHOD"] = default_config.PASSWORD_HASH_METHOD
    method, _, _ = accounts.hash_password(PASSWORD).split("$")
    algorithm, n, r, p = method.split(":")
    assert algorithm == "scrypt"
    assert (int(n), int(r), int(p)) >= (2**15, 8, 3)


def test_authenticate_upgrades_an_old_hash(app, make_user, now):
    user = make_user()
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:2000"
    accounts.authenticate(user.email, PASSWORD, now=now)
    assert db.session.get(User, user.id).password_hash.startswith("pbkdf2:sha256:2000$")


def test_authenticate_accepts_mobile_typed_in_persian_digits(app, make_user, now):
    user = make_user(mobile="09121234567", email=None)
    assert accounts.authenticate("۰۹۱۲ ۱۲۳ ۴۵۶۷", PASSWORD, now=now).id == user.id


def test_authenticate_gives_same_error_and_work_for_unknown_user_and_wrong_password(
    app, make_user, now, monkeypatch
):
    make_user(email="known@example.com")
    calls = []
    original = accounts.check_password_hash
    monkeypatch.setattr(
        accounts, "check_password_hash", lambda *a: calls.append(a[0].split("$")[0]) or original(*a)
    )
    errors = []
    for identifier in ("known@example.com", "unknown@example.com"):
        with pytest.raises(Invalid) as caught:
            accounts.authenticate(identifier, "wrong password!", now=now)
        errors.append(caught.value.code)
    assert errors == ["account.bad_credentials", "account.bad_credentials"]
    assert calls == [app.config["PASSWORD_HASH_METHOD"]] * 2


def test_a_disabled_account_learns_it_is_disabled_only_with_the_right_password(app, make_user, now):
    admin, user = make_user(role=Role.ADMIN), make_user()
    accounts.set_disabled(admin, user.id, True, now=now)
    with pytest.raises(Invalid) as caught:
        accounts.authenticate(user.email, "wrong password!", now=now)
    assert caught.value.code == "account.bad_credentials"
    with pytest.raises(Invalid) as caught:
        accounts.authenticate(user.email, PASSWORD, now=now)
    assert caught.value.code == "account.disabled"


ATTACKER, OWNER = "198.51.100.66", "203.0.113.10"


def failures(identifier, client):
    row = db.session.get(LoginThrottle, login_throttle.attempt_keys(identifier, client)[1])
    return None if row is None else row.failures


@pytest.mark.parametrize("known", [True, False])
def test_authenticate_slows_down_the_client_that_keeps_failing(
    app, make_user, now, known, monkeypatch
):
    if known:
        make_user(email="target@example.com")
    app.config["LOGIN_LOCK_AFTER_FAILURES"] = 3
    for _ in range(3):
        with pytest.raises(Invalid):
            accounts.authenticate("target@example.com", "wrong password!", now=now, client=ATTACKER)
    checks = []
    monkeypatch.setattr(accounts, "check_password_hash", lambda *a: checks.append(a) or True)
    with pytest.raises(Throttled):
        later = now + timedelta(minutes=1)
        accounts.authenticate("target@example.com", PASSWORD, now=later, client=ATTACKER)
    assert checks == []  # refused before any password was checked
    assert failures("target@example.com", ATTACKER) == 3


def test_an_attackers_failures_do_not_lock_the_owner_out(app, make_user, now):
    user = make_user(email="target@example.com")
    for _ in range(app.config["LOGIN_LOCK_AFTER_FAILURES"] + 5):
        with pytest.raises((Invalid, Throttled)):
            accounts.authenticate("target@example.com", "wrong password!", now=now, client=ATTACKER)
    with pytest.raises(Throttled):
        accounts.authenticate("target@example.com", PASSWORD, now=now, client=ATTACKER)
    assert accounts.authenticate("target@example.com", PASSWORD, now=now, client=OWNER) == user


def test_a_client_failing_on_many_accounts_is_slowed_down_on_all(app, make_user, now):
    make_user(email="known@example.com")
    app.config["LOGIN_LOCK_AFTER_FAILURES_PER_IP"] = 4
    for n in range(4):
        with pytest.raises(Invalid):
            accounts.authenticate(f"user{n}@example.com", "wrong!", now=now, client=ATTACKER)
    with pytest.raises(Throttled):
        accounts.authenticate("known@example.com", PASSWORD, now=now, client=ATTACKER)
    assert accounts.authenticate("known@example.com", PASSWORD, now=now, client=OWNER)


def test_authenticate_window_passes_and_success_clears_the_pair(app, make_user, now):
    make_user(email="target@example.com")
    app.config["LOGIN_LOCK_AFTER_FAILURES"] = 2
    for _ in range(2):
        with pytest.raises(Invalid):
            accounts.authenticate("target@example.com", "wrong password!", now=now, client=OWNER)
    with pytest.raises(Throttled):
        accounts.authenticate("target@example.com", PASSWORD, now=now, client=OWNER)
    later = now + timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    accounts.authenticate("target@example.com", PASSWORD, now=later, client=OWNER)
    assert failures("target@example.com", OWNER) is None
    # The success is taken back from the client's count: only failures count against it.
    assert db.session.get(LoginThrottle, f"ip:{OWNER}").failures == 0


def test_a_password_reset_frees_every_client_slowed_down_on_the_account(app, make_user, now):
    user = make_user(email="target@example.com", mobile="09121234567")
    app.config["LOGIN_LOCK_AFTER_FAILURES"] = 1
    with pytest.raises(Invalid):
        accounts.authenticate("09121234567", "wrong password!", now=now, client=OWNER)
    with pytest.raises(Throttled):
        accounts.authenticate("09121234567", PASSWORD, now=now, client=OWNER)
    accounts.reset_password(accounts.make_reset_token(user, now), "a new passphrase", now=now)
    assert accounts.authenticate("09121234567", "a new passphrase", now=now, client=OWNER)


def test_end_sessions_makes_old_session_ids_invalid(app, make_user, now):
    user = make_user()
    old_id = user.get_id()
    assert load_user(old_id).id == user.id
    accounts.end_sessions(user, now=now)
    assert load_user(old_id) is None
    assert load_user(db.session.get(User, user.id).get_id()).id == user.id


@pytest.mark.parametrize("session_id", ["", "x:1", "1:", "1:x", "999:1"])
def test_load_user_ignores_malformed_or_unknown_session_ids(app, session_id):
    assert load_user(session_id) is None


def test_change_password_checks_current_and_ends_sessions(app, make_user, now):
    user = make_user()
    with pytest.raises(Invalid) as caught:
        accounts.change_password(user, current="wrong one!", new="a new passphrase", now=now)
    assert caught.value.code == "account.wrong_password"
    old_id = user.get_id()
    accounts.change_password(user, current=PASSWORD, new="a new passphrase", now=now)
    assert load_user(old_id) is None
    assert accounts.authenticate(user.email, "a new passphrase", now=now).id == user.id


def test_change_password_refuses_common_new_password_and_keeps_old(app, make_user, now):
    user = make_user()
    with pytest.raises(Invalid):
        accounts.change_password(user, current=PASSWORD, new="qwertyuiop", now=now)
    assert accounts.authenticate(user.email, PASSWORD, now=now)


def test_password_reset_token_works_once_and_expires(app, make_user, now):
    user = make_user()
    token = accounts.make_reset_token(user, now)
    assert accounts.find_user_by_reset_token(token, now + timedelta(minutes=59)).id == user.id
    assert accounts.find_user_by_reset_token(token, now + timedelta(minutes=61)) is None
    assert accounts.find_user_by_reset_token(token + "x", now) is None
    accounts.reset_password(token, "brand new passphrase", now=now)
    with pytest.raises(Invalid):
        accounts.reset_password(token, "another passphrase", now=now)
    assert accounts.authenticate(user.email, "brand new passphrase", now=now)


def test_request_password_reset_sends_link_only_to_existing_accounts(app, make_user, now):
    user = make_user(email=None, mobile="09121234567")
    accounts.request_password_reset("unknown@example.com", now=now, link_for=lambda t: f"/r/{t}")
    accounts.request_password_reset("09121234567", now=now, link_for=lambda t: f"/r/{t}")
    messages = db.session.scalars(db.select(Message).where(Message.user_id == user.id)).all()
    reset = [m for m in messages if "/r/" in m.body]
    assert len(reset) == 1
    assert (reset[0].channel, reset[0].in_site) == ("sms", False)
    assert db.session.scalar(db.select(db.func.count(Message.id))) == len(messages)


def test_set_role_is_audited_and_refuses_self_change(app, make_user, now):
    admin, user = make_user(role=Role.ADMIN), make_user()
    accounts.set_role(admin, user.id, "organiser", now=now)
    assert db.session.get(User, user.id).role == "organiser"
    entry = list_audit(object_type="users", object_id=user.id)[0]
    assert (entry.action, entry.actor_id, entry.details) == (
        "account.role_change",
        admin.id,
        {"old": "citizen", "new": "organiser"},
    )
    with pytest.raises(Conflict):
        accounts.set_role(admin, admin.id, "citizen", now=now)
    with pytest.raises(Invalid):
        accounts.set_role(admin, user.id, "emperor", now=now)


def test_set_disabled_ends_sessions_and_enable_restores_sign_in(app, make_user, now):
    admin, user = make_user(role=Role.ADMIN), make_user()
    old_id = user.get_id()
    accounts.set_disabled(admin, user.id, True, now=now)
    assert load_user(old_id) is None
    accounts.set_disabled(admin, user.id, False, now=now)
    assert accounts.authenticate(user.email, PASSWORD, now=now).id == user.id
    actions = [e.action for e in list_audit(object_type="users", object_id=user.id)]
    assert actions[:3] == ["account.login", "account.enable", "account.disable"]


def guess_in_parallel(app, monkeypatch, attempts=40):
    """Run `attempts` wrong sign-ins at once from one client; return how many hashes ran."""
    checks = []

    def counted_check(password_hash, password):
        checks.append(1)
        time.sleep(0.005)  # a real hash takes a while: give the others time to overlap
        return False

    monkeypatch.setattr(accounts, "check_password_hash", counted_check)
    barrier = threading.Barrier(attempts)

    def guess():
        with app.app_context():
            barrier.wait()
            with contextlib.suppress(Invalid, Throttled):
                accounts.authenticate("target@example.com", "guess", now=NOW, client=ATTACKER)
            db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(checks)


def test_the_limit_holds_when_many_guesses_run_at_once(app, make_user, monkeypatch):
    make_user(email="target@example.com")
    db.session.commit()
    limit = app.config["LOGIN_LOCK_AFTER_FAILURES"]
    assert guess_in_parallel(app, monkeypatch) == limit
    assert failures("target@example.com", ATTACKER) == limit


def test_control_a_read_then_write_counter_lets_parallel_guesses_through(
    app, make_user, monkeypatch
):
    """Proves the test above can catch the race: the old read-then-write count overshoots."""
    make_user(email="target@example.com")
    db.session.commit()
    limit = app.config["LOGIN_LOCK_AFTER_FAILURES"]

    def read_then_write(identifier, client, now):
        key = login_throttle.attempt_keys(identifier, client)[1]
        row = db.session.get(LoginThrottle, key)
        if row is not None and row.failures >= limit:
            raise Throttled("account.locked")
        time.sleep(0.02)
        with write_transaction() as session:
            session.get(LoginThrottle, key).failures += 1

    # The row exists up front: the race is the lost count, not two first inserts colliding.
    key = login_throttle.attempt_keys("target@example.com", ATTACKER)[1]
    db.session.add(LoginThrottle(key=key, failures=0, first_failure_at=NOW))
    db.session.commit()
    monkeypatch.setattr(login_throttle, "claim_attempt", read_then_write)
    assert guess_in_parallel(app, monkeypatch) > limit
