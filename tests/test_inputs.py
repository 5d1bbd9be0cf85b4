"""Numbers, one way everywhere: URL parts, query strings, form fields (bazaar/inputs.py)."""

import pytest
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from bazaar.extensions import db
from bazaar.forms import IdSelectField, LocalizedIntegerField
from bazaar.inputs import MAX_PAGE
from bazaar.models import Role, User
from bazaar.text import INT64_MAX, INT64_MIN, find_int, parse_int, to_persian_digits

# Digits that str.isdigit() (and often int()) accept but the app must not: superscripts,
# other scripts' digits, full-width forms.
ODD = ["²", "1²", "१२", "１２", "𝟏𝟐", "½", "1.5", "1e3", "0x10", "", " ", "--1", "1 2"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("۱۲", 12),
        ("١٢", 12),
        (" 0042 ", 42),
        ("-7", -7),
        ("+7", 7),
        (str(INT64_MAX), INT64_MAX),
        (str(INT64_MIN), INT64_MIN),
    ],
)
def test_parse_int_reads_ascii_persian_and_arabic_digits(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text", [*ODD, str(INT64_MAX + 1), str(INT64_MIN - 1), "9" * 5000])
def test_parse_int_refuses_other_digits_and_values_past_64_bits(text):
    with pytest.raises(ValueError):  # noqa: PT011 (the reader's one error type)
        parse_int(text)
    assert find_int(text) is None


def test_parse_int_bounds_and_grouping():
    assert parse_int("۱٬۲۵۰٬۰۰۰", grouping=True) == 1_250_000
    assert parse_int("1,250,000", grouping=True) == 1_250_000
    assert find_int("1,250,000") is None
    assert find_int("5", min=6) is None
    assert find_int("11", max=10) is None
    assert find_int("10", min=0, max=10) == 10


@pytest.mark.parametrize("odd", [str(2**70), str(2**63), "²", "१२", "-1"])
def test_an_odd_integer_in_a_url_is_404(client, make_bazaar, odd):
    make_bazaar()
    assert client.get(f"/bazaars/{odd}").status_code == 404
    assert client.get(f"/bazaars/{odd}.ics").status_code == 404


def test_a_persian_id_in_a_url_finds_the_object(app, client, make_bazaar):
    bazaar = make_bazaar(title="یلدا")
    persian = client.get(f"/bazaars/{to_persian_digits(bazaar.id)}")
    assert "یلدا" in persian.get_data(as_text=True)
    assert client.get(f"/bazaars/{INT64_MAX}").status_code == 404
    # Ids are 32-bit columns on PostgreSQL: one past that is no id, not a database error.
    assert client.get(f"/bazaars/{2**31}").status_code == 404
    assert client.get(f"/catalogue/?county={2**31}").status_code == 200
    with app.test_request_context():
        from flask import url_for

        assert url_for("bazaars.view", bazaar_id=bazaar.id).endswith(f"/{bazaar.id}")


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/?page=²",
        f"/catalogue/?county={2**70}",
        "/catalogue/?price_min=١٢x",
        f"/bazaars/?county={2**70}",
        "/bazaars/calendar?year=²",
        f"/notifications/?page={MAX_PAGE + 1}",
        "/admin/users?page=0",
        "/audit/?actor=²",
        "/vendors/queue?page=१",
    ],
)
def test_a_bad_number_in_a_query_is_said_not_silently_dropped(client, login_as, url):
    login_as(Role.ADMIN)
    response = client.get(url)
    assert response.status_code == 200
    assert "عدد صحیحی نیست" in response.get_data(as_text=True)


def test_an_empty_number_in_a_query_is_the_same_as_none(client):
    response = client.get("/catalogue/?county=&category=&page=")
    assert response.status_code == 200
    assert "عدد صحیحی نیست" not in response.get_data(as_text=True)


def test_a_good_number_in_a_query_is_used(client, login_as, make_user):
    login_as(Role.ADMIN)
    for n in range(3):
        make_user(name=f"نفر {n}")
    response = client.get("/admin/users?page=۱")
    assert response.status_code == 200
    assert "عدد صحیحی نیست" not in response.get_data(as_text=True)


def test_a_bad_number_in_a_form_post_is_refused_and_changes_nothing(client, login_as, make_user):
    login_as(Role.ADMIN)
    target = make_user(role=Role.ORGANISER)
    response = client.post(
        f"/admin/users/{target.id}/agency", data={"agency_id": "²"}, follow_redirects=True
    )
    assert "عدد صحیحی نیست" in response.get_data(as_text=True)
    assert db.session.get(User, target.id).agency_id is None


class NumberForm(Form):
    count = LocalizedIntegerField()
    choice = IdSelectField(choices=[SelectChoice("", "-"), SelectChoice("12", "twelve")])


class Post(dict):
    """Form data as WTForms reads it."""

    def getlist(self, key):
        return [self[key]] if key in self else []


@pytest.mark.parametrize("odd", [*ODD[:-3], str(2**64), "1,2,3.5"])
def test_localized_integer_field_gives_a_field_error_for_odd_input(app, odd):
    form = NumberForm(Post(count=odd))
    assert form.count.data is None
    if odd.strip():
        assert form.count.process_errors


def test_localized_integer_field_reads_persian_with_separators(app):
    assert NumberForm(Post(count="۱۲۵٬۰۰۰")).count.data == 125_000


@pytest.mark.parametrize("odd", ["²", "१२", str(2**70)])
def test_id_select_refuses_odd_digits(app, odd):
    form = NumberForm(Post(choice=odd))
    assert not form.validate()
    assert form.choice.errors
    assert NumberForm(Post(choice="۱۲")).choice.data == 12


def test_register_keeps_a_request_class_the_app_already_has(app):
    from flask import Flask, Request
    from werkzeug.datastructures import ImmutableMultiDict

    from bazaar import inputs

    class Upper(ImmutableMultiDict):
        def __init__(self, mapping=None):
            super().__init__({k: v.upper() for k, v in dict(mapping or {}).items()})

    class Cleaning(Request):
        parameter_storage_class = Upper

    other = Flask("other")
    other.request_class = Cleaning
    inputs.register(other)
    with other.test_request_context("/?q=abc&page=۱٬۰۰۰"):
        from flask import request

        assert isinstance(request, Cleaning)
        assert request.args["q"] == "ABC"
        assert request.args.get("page", 1, type=int) == 1000  # read_int, not int()
    assert issubclass(app.request_class.parameter_storage_class, inputs.ReadsNumbers)
