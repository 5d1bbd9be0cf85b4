"""Layout, language switch, security headers, cookies and error pages."""

import pytest

from bazaar import create_app
from bazaar.extensions import db
from bazaar.models import User
from tests.conftest import PASSWORD, base_config


def test_home_page_is_persian_rtl_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in page
    assert "بازارچه‌های مشاغل خانگی قم" in page


def test_language_switch_to_english_and_back(client):
    response = client.get("/language/en", query_string={"next": "/accounts/login"})
    assert response.headers["Location"] == "/accounts/login"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "bootstrap.min.css" in page
    assert "Home-business bazaars of Qom" in page
    client.get("/language/fa")
    assert 'lang="fa"' in client.get("/").get_data(as_text=True)


def test_language_switch_saves_the_choice_on_the_account(client, login_as):
    user = login_as()
    response = client.post("/language/en", data={"next": "/accounts/password"})
    assert response.headers["Location"] == "/accounts/password"
    assert db.session.get(User, user.id).locale == "en"
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_a_get_switches_the_page_language_but_writes_nothing(client, login_as):
    user = login_as()
    assert client.get("/language/en").status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    assert db.session.get(User, user.id).locale == "fa"


def test_the_menu_switch_is_a_form_posting_back_to_the_page(client):
    page = client.get("/accounts/login?next=/x").get_data(as_text=True)
    assert 'action="/language/en"' in page
    assert 'name="next" value="/accounts/login?next=/x"' in page
    assert "/language/en?" not in page


def test_the_language_post_needs_the_csrf_token(app, client, login_as):
    user = login_as()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/language/en").status_code == 400
    assert db.session.get(User, user.id).locale == "fa"


def test_unknown_language_is_404_and_unsafe_next_goes_home(client):
    assert client.get("/language/de").status_code == 404
    assert client.get("/language/en?next=//evil.com").headers["Location"] == "/"


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    for url in ("/", "/accounts/login", "/accounts/register", "/accounts/reset", "/nope"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page
        assert "<style" not in page
        assert " style=" not in page
        assert "https://" not in page  # nothing from a CDN


def test_session_cookie_flags(client, make_user, auth):
    auth.login(make_user().email)
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure
    assert cookie.expires is not None


def test_session_cookie_is_secure_over_https(app, make_user):
    user = make_user()
    client = app.test_client()
    client.post(
        "/accounts/login",
        base_url="https://localhost",
        data={"identifier": user.email, "password": PASSWORD},
    )
    assert client.get_cookie("session", domain="localhost").secure


@pytest.mark.parametrize("app", [{"PROXY_FIX_X_PROTO": 1}], indirect=True)
@pytest.mark.parametrize(("proto", "secure"), [("https", True), ("http", False)])
def test_behind_a_proxy_the_forwarded_scheme_decides_the_secure_cookie(
    app, make_user, proto, secure
):
    user = make_user()
    client = app.test_client()
    client.post(
        "/accounts/login",
        headers={"X-Forwarded-Proto": proto},
        data={"identifier": user.email, "password": PASSWORD},
    )
    assert client.get_cookie("session", domain="localhost").secure is secure


def test_forged_post_is_refused_with_csrf_on(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    client = app.test_client()
    response = client.post("/accounts/login", data={"identifier": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "فرم منقضی شده" in response.get_data(as_text=True)
    assert client.get_cookie("session") is None or "_user_id" not in str(
        client.get_cookie("session")
    )


def test_post_with_a_valid_csrf_token_works(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    client = app.test_client()
    page = client.get("/accounts/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/accounts/login",
        data={"identifier": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(("language", "text"), [("fa", "صفحه پیدا نشد"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, language, text):
    client.get(f"/language/{language}")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert text in page
    assert 'class="navbar' in page


def test_405_page(client):
    assert client.post("/").status_code == 405


def test_413_for_an_oversized_request(client, app):
    response = client.post(
        "/accounts/login", data={"identifier": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    )
    assert response.status_code == 413
    assert "۵ مگابایت" in response.get_data(as_text=True)


def test_413_for_a_signed_in_user_too(client, app, login_as):
    # The layout's forms (sign out, language) must not read the oversized body.
    login_as()
    response = client.post("/language/en", data={"next": "x" * app.config["MAX_CONTENT_LENGTH"]})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("language", "text"), [("fa", "در سامانه خطایی رخ داد"), ("en", "Something went wrong")]
)
def test_500_page_in_both_languages(tmp_path, migrated_sqlite, language, text):
    app = create_app(
        {**base_config(tmp_path, f"sqlite:///{migrated_sqlite}"), "PROPAGATE_EXCEPTIONS": False}
    )

    def boom():
        raise RuntimeError("bug")

    app.add_url_rule("/boom", view_func=boom)
    client = app.test_client()
    client.set_cookie("lang", language)
    response = client.get("/boom")
    assert response.status_code == 500
    assert text in response.get_data(as_text=True)
