"""Forms speak the reader's language: Persian messages and digits, dates in both calendars,
a styled file control, and an error summary that links to each invalid field."""

import re
from datetime import date

import pytest
from flask_babel import force_locale
from wtforms import FileField
from wtforms.validators import DataRequired

from bazaar.forms import AppForm, JalaliDateField, LocalizedIntegerField, parse_any_date


class Sample(AppForm):
    class Meta:
        csrf = False

    price = LocalizedIntegerField("Price", largest=10**12)
    day = JalaliDateField("Day", validators=[DataRequired()])
    photo = FileField("Photo")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۴۰۵/۰۹/۱۵", date(2026, 12, 6)),
        ("1405-09-15", date(2026, 12, 6)),
        ("2026-12-06", date(2026, 12, 6)),
        ("۲۰۲۶/۱۲/۰۶", date(2026, 12, 6)),
    ],
)
def test_a_date_may_be_typed_in_either_calendar(typed, expected):
    assert parse_any_date(typed) == expected


@pytest.mark.parametrize("typed", ["2026-02-30", "1405/13/01", "9999-01-01", "12"])
def test_an_impossible_date_is_refused_in_either_calendar(typed):
    with pytest.raises(ValueError, match=r"."):
        parse_any_date(typed)


def test_persian_pages_show_persian_digits_and_english_pages_both_calendars(app):
    with app.test_request_context():
        with force_locale("fa"):
            form = Sample(data={"price": 350000, "day": date(2026, 12, 6)})
            assert form.price._value() == "۳۵۰٬۰۰۰"
            assert form.day._value() == "۱۴۰۵/۰۹/۱۵"
            assert form.day.other_calendar() == ""
        with force_locale("en"):
            form = Sample(data={"price": 350000, "day": date(2026, 12, 6)})
            assert form.price._value() == "350,000"
            assert form.day._value() == "2026-12-06"
            assert form.day.other_calendar() == "1405/09/15"
            assert form.day.calendar_hint() == (
                "Gregorian (2026-12-06) or Jalali (1405/09/15). Jalali: 1405/09/15"
            )
        with force_locale("fa"):
            assert Sample(data={"day": date(2026, 12, 6)}).day.calendar_hint() == ""


def test_a_hidden_number_stays_in_ascii_digits(app):
    from wtforms.widgets import HiddenInput

    class Carrier(AppForm):
        class Meta:
            csrf = False

        row_id = LocalizedIntegerField(widget=HiddenInput())

    with app.test_request_context(), force_locale("fa"):
        assert Carrier(data={"row_id": 12}).row_id._value() == "12"


def test_wtforms_own_messages_come_from_our_catalogue(app):
    with app.test_request_context(method="POST", data={"price": "", "day": ""}):
        with force_locale("fa"):
            form = Sample()
            assert not form.validate()
            assert form.day.errors == ["این بخش را پر کنید."]  # not WTForms' «این فیلد اجباریست»
        with force_locale("en"):
            form = Sample()
            form.validate()
            assert form.day.errors == ["This field is required."]


def test_a_form_with_errors_leads_with_a_summary_linking_each_field(client):
    page = client.post("/accounts/login", data={}).get_data(as_text=True)
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'tabindex="-1"' in page.split("data-error-summary", 1)[0][-200:]
    assert re.findall(r'href="#(\w+)"', summary) == ["identifier", "password"]
    assert "لطفاً این موارد را اصلاح کنید" in summary


def test_file_inputs_are_a_styled_control_in_the_pages_language(client, login_as):
    from bazaar.models import Role

    login_as(Role.VENDOR)
    page = client.get("/vendors/me/profile").get_data(as_text=True)
    assert re.search(r'<input[^>]*class="file-input visually-hidden"[^>]*id="logo"', page)
    assert '<label for="logo" class="btn btn-outline-secondary file-button"' in page
    assert "انتخاب پرونده" in page
    assert "پرونده‌ای انتخاب نشده است" in page


def test_english_date_fields_say_they_take_both_calendars(client, login_as):
    from bazaar.models import Role

    client.post("/language/en", data={"next": "/"})
    login_as(Role.VENDOR, locale="en")
    page = client.get("/vendors/me/profile").get_data(as_text=True)
    assert 'id="licence_expires_on-help" class="form-text">Gregorian (2026-12-06) or Jalali' in page
