import base64
import hashlib
from datetime import timedelta

import pytest

from bazaar.extensions import db
from bazaar.models import ApiToken, Category, Role
from bazaar.models.types import utcnow
from bazaar.services import accounts
from tests.api.conftest import assert_problem
from tests.conftest import PASSWORD, reference_ids


def basic(identifier, password=PASSWORD):
    raw = f"{identifier}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def test_post_tokens_with_email_and_password_returns_a_bearer_token_stored_hashed(
    client, make_user
):
    user = make_user(role=Role.VENDOR)
    response = client.post("/api/v1/tokens", headers=basic(user.email))
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer"
    assert body["user_id"] == user.id
    assert body["expires_at"].endswith("+03:30")
    stored = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in stored.token_hash
    mine = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {body['token']}"})
    assert mine.status_code == 200


def test_post_tokens_with_a_mobile_number_in_persian_digits(client, make_user):
    make_user(role=Role.VENDOR, mobile="09121234567")
    response = client.post("/api/v1/tokens", headers=basic("۰۹۱۲۱۲۳۴۵۶۷"))
    assert response.status_code == 201


def test_wrong_password_is_a_401_problem_and_counted_like_the_sign_in_page(client, make_user, app):
    user = make_user()
    body = assert_problem(
        client.post("/api/v1/tokens", headers=basic(user.email, "wrong password")), 401
    )
    assert body["type"] == "/api/v1/problems/account.bad_credentials"
    app.config["LOGIN_LOCK_AFTER_FAILURES"] = 2
    client.post("/api/v1/tokens", headers=basic(user.email, "wrong password"))
    locked = client.post("/api/v1/tokens", headers=basic(user.email))  # right password, too late
    assert_problem(locked, 429, "account.locked")
    assert int(locked.headers["Retry-After"]) > 0


def test_post_tokens_without_credentials_asks_for_basic_auth(client):
    response = client.post("/api/v1/tokens")
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_delete_tokens_revokes_the_token(client, make_user, bearer):
    headers = bearer(make_user(role=Role.VENDOR))
    assert client.delete("/api/v1/tokens", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/applications", headers=headers), 401, "unauthorized")
    assert_problem(client.delete("/api/v1/tokens", headers=headers), 401)


def test_an_expired_token_is_refused(client, make_user, bearer):
    headers = bearer(make_user(role=Role.VENDOR))
    db.session.execute(db.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert_problem(client.get("/api/v1/applications", headers=headers), 401)


def test_no_token_and_a_made_up_token_are_refused(client):
    assert_problem(client.get("/api/v1/applications"), 401, "unauthorized")
    made_up = {"Authorization": "Bearer not-a-token"}
    assert_problem(client.get("/api/v1/applications", headers=made_up), 401)


def test_changing_the_password_revokes_every_token(client, make_user, bearer):
    user = make_user(role=Role.VENDOR)
    headers = bearer(user)
    accounts.change_password(user, current=PASSWORD, new="another long passphrase", now=utcnow())
    assert_problem(client.get("/api/v1/applications", headers=headers), 401)


def test_disabling_the_account_revokes_every_token(client, make_user, bearer):
    user, admin = make_user(role=Role.VENDOR), make_user(role=Role.ADMIN)
    headers = bearer(user)
    accounts.set_disabled(admin, user.id, True, now=utcnow())
    accounts.set_disabled(admin, user.id, False, now=utcnow())
    assert_problem(client.get("/api/v1/applications", headers=headers), 401)


def test_a_session_cookie_never_authenticates_the_api(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/accounts/password").status_code == 200  # signed in on the site
    assert_problem(client.get("/api/v1/applications"), 401)
    response = client.post("/api/v1/products", json={"name": "x"})
    assert_problem(response, 401)


@pytest.mark.parametrize("app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_token_writes_need_no_csrf_token_and_cookies_still_cannot_write(
    client, make_vendor, bearer, auth
):
    vendor = make_vendor()
    garments = reference_ids(Category)["garments"]
    product = {"name": "شال", "category_id": garments, "price_toman": 1, "unit": "عدد"}
    created = client.post("/api/v1/products", headers=bearer(vendor.user), json=product)
    assert created.status_code == 201
    client.get("/accounts/login")
    with client.session_transaction() as session:
        session["_user_id"] = vendor.user.get_id()  # a signed-in site session, no token
    assert_problem(client.post("/api/v1/products", json=product), 401)
    assert_problem(client.delete(f"/api/v1/products/{created.get_json()['id']}"), 401)
