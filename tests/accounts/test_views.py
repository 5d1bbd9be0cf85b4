"""Account pages: register, sign in and out, passwords, throttling, redirects."""

import re

import pytest
from flask import current_app

from bazaar.extensions import db
from bazaar.models import Message, User
from bazaar.services import accounts
from tests.conftest import PASSWORD

REGISTRATION = {
    "name": "مریم",
    "role": "vendor",
    "email": "maryam@example.com",
    "mobile": "",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


def user_count():
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_register_form_is_persian_by_default(client):
    page = client.get("/accounts/register").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    assert "ساخت حساب کاربری" in page
    assert "bootstrap.rtl.min.css" in page


def test_the_home_pages_vendor_sign_up_opens_with_vendor_chosen(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/accounts/register?role=vendor"' in home
    page = client.get("/accounts/register?role=vendor").get_data(as_text=True)
    assert re.search(r'<input checked[^>]* value="vendor">', page)
    assert not re.search(r'<input checked[^>]* value="citizen">', page)
    plain = client.get("/accounts/register?role=admin").get_data(as_text=True)
    assert re.search(r'<input checked[^>]* value="citizen">', plain)


def test_register_creates_account_and_signs_in(client):
    response = client.post("/accounts/register", data=REGISTRATION)
    assert response.status_code == 302
    user = db.session.scalar(db.select(User))
    assert (user.email, user.role, user.locale) == ("maryam@example.com", "vendor", "fa")
    assert "مریم" in client.get("/").get_data(as_text=True)


def test_register_in_english_remembers_the_language(client):
    client.get("/language/en")
    client.post("/accounts/register", data=REGISTRATION)
    assert db.session.scalar(db.select(User)).locale == "en"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"confirm": "something else"}, "دو گذرواژه یکسان نیستند"),
        ({"email": "", "mobile": ""}, "ایمیل یا شمارهٔ همراه را وارد کنید"),
        ({"mobile": "12345"}, "شمارهٔ همراه ایرانی وارد کنید"),
        ({"password": "12345678", "confirm": "12345678"}, "بیش از حد رایج"),
        ({"password": "short", "confirm": "short"}, "دست‌کم"),
        ({"role": "admin"}, "invalid-feedback"),
        ({"name": ""}, "invalid-feedback"),
    ],
)
def test_register_refuses_bad_input_with_a_message_and_creates_nothing(client, change, message):
    response = client.post("/accounts/register", data={**REGISTRATION, **change})
    assert response.status_code == 400
    assert user_count() == 0
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "taken",
    [{"email": "maryam@example.com"}, {"email": None, "mobile": "09121234567"}],
)
def test_register_with_a_taken_address_answers_as_for_a_new_one_and_tells_the_owner(
    app, make_user, taken
):
    owner = make_user(**taken)
    bystander = make_user(email="other@example.com")
    data = {**REGISTRATION, "mobile": "09121234567"} if "mobile" in taken else REGISTRATION
    fresh = app.test_client().post(
        "/accounts/register", data={**REGISTRATION, "email": "new@example.com"}
    )
    client = app.test_client()
    response = client.post("/accounts/register", data=data)
    assert (response.status_code, response.headers["Location"]) == (
        fresh.status_code,
        fresh.headers["Location"],
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "حساب شما آماده است" in page
    assert "از قبل وجود دارد" not in page
    assert user_count() == 3  # the owner, the bystander and the fresh account: no new one
    told = db.session.scalars(
        db.select(Message).where(Message.user_id == owner.id, Message.in_site.is_(False))
    ).all()
    assert len(told) == 1
    assert current_app.config["PUBLIC_BASE_URL"] + "/accounts/reset" in told[0].body
    assert not db.session.scalars(
        db.select(Message).where(Message.user_id == bystander.id, Message.in_site.is_(False))
    ).all()


@pytest.mark.parametrize("typed", ["09121234567", "+989121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧"])
def test_login_with_mobile_in_any_form(client, make_user, auth, typed):
    make_user(mobile="09121234567", email=None)
    response = auth.login(typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_answers_unknown_user_and_wrong_password_alike(client, make_user, auth):
    make_user(email="known@example.com")
    wrong = auth.login("known@example.com", "not the password")
    unknown = auth.login("nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 400

    def strip(response):
        return response.get_data(as_text=True).replace("known@", "").replace("nobody@", "")

    assert strip(wrong) == strip(unknown)
    assert "ایمیل/شمارهٔ همراه یا گذرواژه درست نیست" in strip(wrong)


def test_login_with_empty_form_is_a_clear_error(client):
    response = client.post("/accounts/login", data={})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)


EVIL_TARGETS = [
    "//evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "https:evil.com",
    "https://evil.com/",
    "/%09/evil.com",
    "/\t/evil.com",
    "/%0d%0aSet-Cookie:x=1",
    "%2F%2Fevil.com",
    "/%5Cevil.com",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/accounts/login",
        query_string={"next": target},
        data={"identifier": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next(client, make_user):
    user = make_user()
    response = client.post(
        "/accounts/login",
        query_string={"next": "/notifications/?page=2"},
        data={"identifier": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/notifications/?page=2"


def test_login_reissues_the_session(client, make_user, auth):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()
        assert session.permanent


def test_logout_kills_a_copied_session_cookie(client, app, make_user, auth):
    user = make_user()
    auth.login(user.email)
    stolen = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login" in response.headers["Location"]


def test_logout_needs_post(client, login_as):
    login_as()
    assert client.get("/accounts/logout").status_code == 405


def test_change_password_keeps_this_session_and_kills_others(client, app, make_user, auth):
    user = make_user()
    auth.login(user.email)
    other_device = client.get_cookie("session").value
    response = client.post(
        "/accounts/password",
        data={
            "current": PASSWORD,
            "password": "a fresh passphrase",
            "confirm": "a fresh passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/notifications/").status_code == 200
    replay = app.test_client()
    replay.set_cookie("session", other_device)
    assert replay.get("/notifications/").status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "current": "wrong!!!!",
                "password": "a fresh passphrase",
                "confirm": "a fresh passphrase",
            },
            "گذرواژهٔ فعلی درست نیست",
        ),
        (
            {"current": PASSWORD, "password": "a fresh passphrase", "confirm": "different"},
            "یکسان نیستند",
        ),
        ({"current": PASSWORD, "password": "password", "confirm": "password"}, "رایج"),
    ],
)
def test_change_password_refuses_bad_input(client, make_user, auth, data, message):
    user = make_user()
    auth.login(user.email)
    response = client.post("/accounts/password", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert auth.login(user.email, PASSWORD).status_code == 302


def test_change_password_needs_sign_in(client):
    response = client.get("/accounts/password")
    assert response.status_code == 302
    assert "next=" in response.headers["Location"]


# Even where every Host is let in (TRUSTED_HOSTS off), links never come from the request.
@pytest.mark.parametrize("app", [{"TRUSTED_HOSTS": None}], indirect=True)
def test_reset_link_ignores_a_forged_host_header(client, make_user):
    user = make_user(locale="en")
    client.post(
        "/accounts/reset", data={"identifier": user.email}, headers={"Host": "evil.example"}
    )
    body = db.session.scalar(db.select(Message).where(Message.in_site.is_(False))).body
    assert "evil.example" not in body
    assert current_app.config["PUBLIC_BASE_URL"] + "/accounts/reset/" in body


def test_password_reset_by_link_from_the_outbox(client, make_user, auth):
    user = make_user(locale="en")
    response = client.post("/accounts/reset", data={"identifier": user.email})
    assert response.status_code == 302
    body = db.session.scalar(db.select(Message).where(Message.in_site.is_(False))).body
    base = re.escape(current_app.config["PUBLIC_BASE_URL"])
    link = re.search(rf"{base}(/accounts/reset/\S+)", body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(
        link, data={"password": "my new passphrase", "confirm": "my new passphrase"}
    )
    assert response.status_code == 302
    assert auth.login(user.email, "my new passphrase").status_code == 302
    # The link works once.
    assert client.get(link).status_code == 302
    reused = client.post(
        link, data={"password": "another passphrase", "confirm": "another passphrase"}
    )
    assert reused.status_code == 400


def test_password_reset_for_unknown_account_says_the_same_and_sends_nothing(client, make_user):
    make_user()
    response = client.post(
        "/accounts/reset", data={"identifier": "nobody@example.com"}, follow_redirects=True
    )
    assert "پیوند بازنشانی" in response.get_data(as_text=True)
    assert (
        db.session.scalar(db.select(db.func.count(Message.id)).where(Message.in_site.is_(False)))
        == 0
    )


def test_password_reset_with_a_forged_token_is_refused(client):
    assert client.get("/accounts/reset/forged-token").status_code == 302
    response = client.post(
        "/accounts/reset/forged-token", data={"password": "x" * 12, "confirm": "x" * 12}
    )
    assert response.status_code == 400
    assert "نامعتبر" in response.get_data(as_text=True)


def test_password_reset_request_with_empty_form_is_a_clear_error(client):
    assert client.post("/accounts/reset", data={"identifier": ""}).status_code == 400


@pytest.mark.parametrize(
    "app", [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"}], indirect=True
)
@pytest.mark.parametrize(
    ("language", "message"), [("fa", "بیش از حد تلاش"), ("en", "too many times")]
)
def test_login_is_rate_limited_per_account(client, make_user, auth, language, message):
    make_user(email="target@example.com")
    client.get(f"/language/{language}")
    for _ in range(3):
        assert auth.login("target@example.com", "wrong password").status_code == 400
    response = auth.login("target@example.com", PASSWORD)
    assert response.status_code == 429
    assert message in response.get_data(as_text=True)
    # Another account from the same address is not blocked by this limit.
    assert auth.login("other@example.com", "wrong password").status_code == 400


@pytest.mark.parametrize(
    "app", [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_IP": "4 per minute"}], indirect=True
)
def test_login_is_rate_limited_per_address(client, auth):
    for n in range(4):
        assert auth.login(f"user{n}@example.com", "wrong password").status_code == 400
    assert auth.login("user9@example.com", "wrong password").status_code == 429


def sign_in_from(client, address, identifier, password):
    return client.post(
        "/accounts/login",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"}],
    indirect=True,
)
def test_an_attacker_cannot_lock_the_owner_out(client, app, make_user):
    make_user(email="target@example.com")
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_LOCK_AFTER_FAILURES"] + 3):
        sign_in_from(attacker, "198.51.100.66", "target@example.com", "wrong password")
    blocked = sign_in_from(attacker, "198.51.100.66", "target@example.com", PASSWORD)
    assert blocked.status_code == 429
    owner = sign_in_from(client, "203.0.113.10", "target@example.com", PASSWORD)
    assert owner.status_code == 302


def test_a_disabled_account_is_told_so_only_after_the_right_password(client, make_user, now):
    admin, user = make_user(role="admin"), make_user(locale="en")
    accounts.set_disabled(admin, user.id, True, now=now)
    client.get("/language/en")
    wrong = client.post("/accounts/login", data={"identifier": user.email, "password": "nope!"})
    assert "disabled" not in wrong.get_data(as_text=True)
    assert "password is not correct" in wrong.get_data(as_text=True)
    right = client.post("/accounts/login", data={"identifier": user.email, "password": PASSWORD})
    assert right.status_code == 400
    assert "This account is disabled" in right.get_data(as_text=True)


@pytest.mark.parametrize("app", [{"LOGIN_LOCK_AFTER_FAILURES": 2}], indirect=True)
def test_database_counter_locks_across_workers(client, make_user, auth):
    """The per-account-and-client count lives in the database, so every worker sees it."""
    make_user(email="target@example.com")
    for _ in range(2):
        auth.login("target@example.com", "wrong password")
    response = auth.login("target@example.com", PASSWORD)
    assert response.status_code == 429
    assert "چند دقیقهٔ دیگر" in response.get_data(as_text=True)


def post_from(client, address, url, data):
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "REGISTER_LIMIT_PER_IP": "3 per minute"}],
    indirect=True,
)
def test_registration_is_limited_per_client_address(client):
    for n in range(3):
        data = {**REGISTRATION, "email": f"u{n}@example.com"}
        assert post_from(client, "198.51.100.1", "/accounts/register", data).status_code == 302
    data = {**REGISTRATION, "email": "u9@example.com"}
    assert post_from(client, "198.51.100.1", "/accounts/register", data).status_code == 429
    assert post_from(client, "198.51.100.2", "/accounts/register", data).status_code == 302


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "REGISTER_LIMIT_PER_TARGET": "2 per minute"}],
    indirect=True,
)
@pytest.mark.parametrize("field", ["email", "mobile"])
def test_registration_is_limited_per_address_registered(client, make_user, field):
    owner = make_user(email="maryam@example.com", mobile="09121234567")
    data = {**REGISTRATION, "mobile": "09121234567"}
    if field == "mobile":
        data["email"] = "someone-else@example.com"
    for n in range(2):
        assert post_from(client, f"198.51.100.{n}", "/accounts/register", data).status_code == 302
    assert post_from(client, "198.51.100.9", "/accounts/register", data).status_code == 429
    told = db.session.scalars(
        db.select(Message).where(Message.user_id == owner.id, Message.in_site.is_(False))
    ).all()
    assert len(told) == 2  # the owner's inbox is not flooded
    other = {**REGISTRATION, "email": "free@example.com"}
    assert post_from(client, "198.51.100.9", "/accounts/register", other).status_code == 302


@pytest.mark.parametrize(
    "app", [{"RATELIMIT_ENABLED": True, "RESET_MESSAGES_PER_HOUR": 2}], indirect=True
)
def test_reset_links_per_account_are_capped_but_the_owner_is_never_refused(client, make_user):
    user = make_user(mobile="09121234567", email=None)
    for n, typed in enumerate(["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+989121234567"]):
        data = {"identifier": typed}
        assert post_from(client, f"198.51.100.{n}", "/accounts/reset", data).status_code == 302
    sent = db.session.scalars(db.select(Message).where(Message.user_id == user.id)).all()
    assert len([m for m in sent if "/accounts/reset/" in m.body]) == 2
    other = {"identifier": "other@example.com"}
    assert post_from(client, "198.51.100.9", "/accounts/reset", other).status_code == 302


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "RESET_LIMIT_PER_IP": "3 per minute"}],
    indirect=True,
)
def test_reset_requests_are_limited_per_client_address(client):
    for n in range(3):
        data = {"identifier": f"u{n}@example.com"}
        assert post_from(client, "198.51.100.1", "/accounts/reset", data).status_code == 302
    data = {"identifier": "u9@example.com"}
    assert post_from(client, "198.51.100.1", "/accounts/reset", data).status_code == 429
    assert post_from(client, "198.51.100.2", "/accounts/reset", data).status_code == 302


@pytest.mark.parametrize(
    "app", [{"PROXY_FIX_X_FOR": 1, "LOGIN_LOCK_AFTER_FAILURES": 2}], indirect=True
)
def test_behind_a_proxy_each_forwarded_client_is_counted_on_its_own(client, make_user):
    make_user(email="target@example.com")

    def sign_in(forwarded_for, password):
        return client.post(
            "/accounts/login",
            data={"identifier": "target@example.com", "password": password},
            headers={"X-Forwarded-For": forwarded_for},
        )

    for _ in range(2):
        assert sign_in("198.51.100.66", "wrong password").status_code == 400
    assert sign_in("198.51.100.66", PASSWORD).status_code == 429
    assert sign_in("203.0.113.10", PASSWORD).status_code == 302
