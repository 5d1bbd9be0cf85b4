"""Organisers browse, filter and export the audit log; each filter keeps out what it should."""

import csv
import io
import re
from datetime import UTC, datetime

from bazaar.extensions import db
from bazaar.models import Role
from bazaar.services.audit import record_audit


def rows(html):
    """The log's rows as (who, action, object)."""
    return re.findall(
        r'<tr><td>[^<]*</td><td>([^<]*)</td><td dir="ltr">([^<]*)</td>'
        r'<td dir="ltr">([^<]*)</td></tr>',
        html,
    )


def exported(response):
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_actor_and_type_filters_keep_out_everyone_else(client, login_as, make_user):
    organiser = login_as(Role.ORGANISER, name="برگزارکننده")
    other = make_user(name="دیگری")
    record_audit("committee.create", ("committees", 7), actor=other, now=datetime.now(UTC))
    db.session.commit()
    everything = rows(client.get("/audit/").get_data(as_text=True))
    assert ("دیگری", "account.register", f"users {other.id}") in everything
    assert ("دیگری", "committee.create", "committees 7") in everything
    mine = rows(client.get(f"/audit/?actor={organiser.id}").get_data(as_text=True))
    assert {who for who, _action, _obj in mine} == {"برگزارکننده"}
    assert {"account.register", "account.login"} <= {action for _who, action, _obj in mine}
    users_only = rows(client.get("/audit/?type=users").get_data(as_text=True))
    assert {obj.split()[0] for _who, _action, obj in users_only} == {"users"}
    assert ("دیگری", "account.register", f"users {other.id}") in users_only


def test_the_export_applies_the_same_filters(client, login_as, make_user):
    organiser = login_as(Role.ORGANISER)
    other = make_user()
    table = exported(client.get(f"/audit/export.csv?actor={organiser.id}"))
    assert {row[2] for row in table[1:]} >= {"account.register", "account.login"}
    assert {row[1] for row in table[1:]} == {organiser.name}
    assert [other.name, "account.register"] in [
        row[1:3] for row in exported(client.get("/audit/export.csv"))
    ]


def test_the_date_filter_uses_whole_days_in_tehran(client, login_as):
    login_as(Role.ORGANISER)
    # 1404/12/29 ends and 1405/01/01 begins at 20:30 UTC on 20 March 2026.
    for action, at in (
        ("test.before", datetime(2026, 3, 20, 20, 0, tzinfo=UTC)),
        ("test.first_day", datetime(2026, 3, 20, 21, 0, tzinfo=UTC)),
        ("test.second_day", datetime(2026, 3, 22, 20, 0, tzinfo=UTC)),
        ("test.after", datetime(2026, 3, 22, 21, 0, tzinfo=UTC)),
    ):
        record_audit(action, ("tests", 1), now=at)
    db.session.commit()
    response = client.get("/audit/?since=۱۴۰۵/۰۱/۰۱&until=۱۴۰۵/۰۱/۰۲")
    assert response.status_code == 200
    assert [action for _who, action, _obj in rows(response.get_data(as_text=True))] == [
        "test.second_day",
        "test.first_day",
    ]
    table = exported(client.get("/audit/export.csv?since=۱۴۰۵/۰۱/۰۱&until=۱۴۰۵/۰۱/۰۲"))
    assert [row[2] for row in table[1:]] == ["test.second_day", "test.first_day"]


def test_an_impossible_date_is_explained(client, login_as):
    login_as(Role.ORGANISER)
    response = client.get("/audit/?since=۱۴۰۴/۱۲/۳۰")
    assert response.status_code == 400
    assert "تاریخ شمسی موجودی نیست" in response.get_data(as_text=True)


def test_audit_log_is_for_organisers(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
