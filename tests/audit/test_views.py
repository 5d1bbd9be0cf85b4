"""Organisers browse, filter and export the audit log."""

import csv
import io

from bazaar.models import Role


def test_audit_log_filters_and_exports(client, login_as, make_user):
    organiser = login_as(Role.ORGANISER)
    make_user(name="دیگری")
    page = client.get("/audit/").get_data(as_text=True)
    assert "account.register" in page
    mine = client.get(f"/audit/?actor={organiser.id}&type=users").get_data(as_text=True)
    assert "account.login" in mine
    exported = client.get(f"/audit/export.csv?actor={organiser.id}")
    assert exported.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row[2] for row in rows[1:]} >= {"account.register", "account.login"}
    assert len(client.get("/audit/?since=۱۴۰۵/۰۱/۰۱&until=۱۴۰۵/۰۱/۰۲").get_data(as_text=True)) > 0


def test_an_impossible_date_is_explained(client, login_as):
    login_as(Role.ORGANISER)
    response = client.get("/audit/?since=۱۴۰۴/۱۲/۳۰")
    assert response.status_code == 400
    assert "تاریخ شمسی موجودی نیست" in response.get_data(as_text=True)


def test_audit_log_is_for_organisers(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/audit/").status_code == 403
