"""Control characters never reach a service or the database, whatever form or query brings them."""

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from flask import request
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

import bazaar
from bazaar.extensions import db
from bazaar.forms import AppForm
from bazaar.models import Role
from bazaar.services import accounts
from bazaar.text import strip_controls
from tests.conftest import PASSWORD

NUL = "\x00"
DIRTY = f"a{NUL}b\x1b\x7fc"


def every_form_class():
    """Import every module of the app and return every form class defined in it."""
    for module in pkgutil.walk_packages(bazaar.__path__, "bazaar."):
        importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("bazaar."):
                found.append(subclass)
    return found


def test_every_form_in_the_app_is_built_on_the_cleaning_base():
    forms = every_form_class()
    assert len(forms) > 30
    assert [f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, AppForm)] == []


def test_the_base_strips_controls_and_keeps_lines_only_in_multi_line_fields(app):
    class Sample(AppForm):
        line = StringField()
        text = TextAreaField()

    data = {"line": f"x{NUL}y\tz\n", "text": f"first{NUL}\r\n\tsecond\x7f"}
    with app.test_request_context(method="POST", data=data):
        form = Sample()
        assert (form.line.data, form.text.data) == ("xyz", "first\r\n\tsecond")


def test_query_string_and_form_values_come_without_nul(app):
    with app.test_request_context("/?q=a%00b%1Bc&x%00=1", method="POST", data={"f": DIRTY}):
        assert request.args["q"] == "abc"
        assert request.args["x"] == "1"
        assert request.form["f"] == "abc"


def stored_text_with_controls():
    """Return (table, value) for every stored text value with a NUL or an escape in it."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            found += [
                (table.name, value)
                for value in row
                if isinstance(value, str) and (NUL in value or "\x1b" in value)
            ]
    return found


def test_nul_bytes_in_every_text_field_of_the_public_forms(client, make_user, make_product, now):
    user = make_user(email="owner@example.com")
    product = make_product()
    token = accounts.make_reset_token(user, now)
    posts = {
        "/accounts/register": {
            "name": DIRTY,
            "role": "citizen",
            "email": f"new{NUL}@example.com",
            "mobile": f"0912{NUL}1234567",
            "password": f"{PASSWORD}{NUL}",
            "confirm": f"{PASSWORD}{NUL}",
        },
        "/accounts/login": {"identifier": f"owner{NUL}@example.com", "password": DIRTY},
        "/accounts/reset": {"identifier": f"owner@example.com{NUL}"},
        f"/accounts/reset/{token}": {"password": f"new {DIRTY} pass", "confirm": "other"},
        f"/catalogue/vendors/{product.vendor_id}/inquiry?about={DIRTY}": {
            "sender": DIRTY,
            "contact": DIRTY,
            "text": f"line one{NUL}\nline two\x1b",
        },
    }
    for url, data in posts.items():
        response = client.post(url, data=data)
        assert response.status_code in (200, 302, 400), url
    db.session.rollback()
    assert stored_text_with_controls() == []
    # The cleaned values went through: the account and the question exist, tidied.
    assert accounts.find_user_by_identifier("new@example.com").name == "abc"


@pytest.mark.parametrize(
    "url", ["/catalogue/?q=%00", "/catalogue/?q=a%00b&sort=%00", "/accounts/login?next=%00"]
)
def test_nul_in_a_query_string_is_no_server_error(client, url):
    assert client.get(url).status_code < 500


def test_nul_bytes_in_the_interest_list_form(client, make_bazaar):
    bazaar = make_bazaar()
    for contact in (f"me{NUL}@example.com", f"0912{NUL}1234567", NUL):
        response = client.post(f"/bazaars/{bazaar.id}/interest", data={"contact": contact})
        assert response.status_code in (200, 302, 400)
    db.session.rollback()
    assert stored_text_with_controls() == []


def test_rows_of_a_field_list_are_cleaned_like_any_form(client, login_as):
    from bazaar.models import StallType
    from tests.bazaars.test_manage import bazaar_form

    login_as(Role.ORGANISER)
    data = bazaar_form(**{"stall_types-0-name": "غرفه\r\nX-Injected: 1\t\u202eغذا\x85"})
    assert client.post("/bazaars/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(StallType.name)) == "غرفهX-Injected: 1غذا"


@pytest.mark.parametrize(
    "name", ["stall_types-" + "9" * 5000 + "-name", "caps-" + "9" * 5000 + "-max_stalls"]
)
def test_an_absurd_row_number_in_a_parameter_name_is_ignored(client, login_as, name):
    from tests.bazaars.test_manage import bazaar_form

    login_as(Role.ORGANISER)
    response = client.post("/bazaars/new", data=bazaar_form(**{name: "x"}))
    assert response.status_code == 302


def test_single_lines_lose_bidi_overrides_and_separators_but_keep_persian_joiners():
    assert strip_controls("نان\u200cها \u202eevil\u2028x\u0085") == "نان\u200cها evilx"
    assert strip_controls("a\u2028b\nc\u202d", keep_lines=True) == "a\u2028b\nc"
