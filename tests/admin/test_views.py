"""Administration pages: roles and disabling accounts."""

import pytest

from bazaar.extensions import db
from bazaar.models import Role, User


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.VENDOR, Role.ORGANISER])
def test_admin_pages_are_forbidden_to_other_roles(client, login_as, role):
    login_as(role)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "اجازهٔ دیدن این صفحه را ندارید" in response.get_data(as_text=True)


def test_admin_pages_send_anonymous_users_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login?next=")


def test_admin_lists_and_searches_accounts(client, login_as, make_user):
    login_as(Role.ADMIN, name="Admin")
    make_user(name="زهرا", mobile="09121234567", email=None)
    make_user(name="Ali")
    page = client.get("/admin/users", query_string={"q": "۰۹۱۲۱۲۳"}).get_data(as_text=True)
    assert "زهرا" in page
    assert "Ali" not in page
    assert "هیچ حسابی" in client.get("/admin/users?q=nobody-matches").get_data(as_text=True)


def test_admin_list_paginates(client, login_as, make_user, app):
    app.config["ITEMS_PER_PAGE"] = 2
    login_as(Role.ADMIN)
    for _ in range(4):
        make_user()
    first, third = client.get("/admin/users"), client.get("/admin/users?page=3")
    assert 'aria-current="page"' in first.get_data(as_text=True)
    assert third.status_code == 200
    assert client.get("/admin/users?page=99").status_code == 200


def test_admin_changes_a_role(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user()
    response = client.post(
        f"/admin/users/{user.id}/role", data={"role": "organiser"}, follow_redirects=True
    )
    assert "برگزارکننده" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).role == "organiser"


def test_a_role_change_asks_first_and_keeps_the_lists_search(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user(name="زهرا احمدی")
    page = client.get("/admin/users?q=زهرا").get_data(as_text=True)
    assert 'data-confirm="نقش زهرا احمدی تغییر کند؟ دسترسی‌های او همان لحظه' in page
    assert '<input type="hidden" name="q" value="زهرا">' in page
    response = client.post(
        f"/admin/users/{user.id}/role", data={"role": "organiser", "q": "زهرا", "page": "2"}
    )
    assert response.headers["Location"] == "/admin/users?q=%D8%B2%D9%87%D8%B1%D8%A7&page=2"
    plain = client.post(f"/admin/users/{user.id}/role", data={"role": "vendor"})
    assert plain.headers["Location"] == "/admin/users"


@pytest.mark.parametrize("role", ["emperor", ""])
def test_admin_role_change_refuses_unknown_roles(client, login_as, make_user, role):
    login_as(Role.ADMIN)
    user = make_user()
    response = client.post(
        f"/admin/users/{user.id}/role", data={"role": role}, follow_redirects=True
    )
    assert "یکی از نقش‌های فهرست" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).role == "citizen"


def test_admin_cannot_demote_themself(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "citizen"}, follow_redirects=True
    )
    assert "نمی‌توانید نقش خودتان" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).role == "admin"


def test_unknown_account_is_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.post("/admin/users/999/role", data={"role": "vendor"}).status_code == 404
    assert client.get("/admin/users/999/disable").status_code == 404


def test_disabling_asks_first_then_ends_the_users_sessions(client, app, login_as, make_user, auth):
    user = make_user()
    victim = app.test_client()
    victim.post(
        "/accounts/login", data={"identifier": user.email, "password": "correct horse battery"}
    )
    assert victim.get("/notifications/").status_code == 200
    login_as(Role.ADMIN)
    confirm = client.get(f"/admin/users/{user.id}/disable").get_data(as_text=True)
    assert "غیرفعال شود؟" in confirm
    assert db.session.get(User, user.id).is_active
    client.post(f"/admin/users/{user.id}/disable")
    assert not db.session.get(User, user.id).is_active
    assert victim.get("/notifications/").status_code == 302
    client.post(f"/admin/users/{user.id}/enable")
    assert db.session.get(User, user.id).is_active


def test_disable_with_a_forged_form_changes_nothing(app, make_user, login_as, client):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    admin = make_user(role=Role.ADMIN)
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
        session["_fresh"] = True
    response = client.post(f"/admin/users/{user.id}/disable")
    assert response.status_code == 400
    assert db.session.get(User, user.id).is_active
