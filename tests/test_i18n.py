"""Template filters and Jalali dates."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from bazaar.forms import LocalizedIntegerField
from bazaar.i18n import (
    format_jalali_date,
    format_jalali_datetime,
    format_number,
    format_toman,
    parse_jalali_date,
)


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


def test_persian_filters(request_ctx):
    with force_locale("fa"):
        assert format_jalali_date(date(2026, 11, 27)) == "۶ آذر ۱۴۰۵"
        # 22:00 UTC is already the next day in Tehran (UTC+03:30).
        assert (
            format_jalali_datetime(datetime(2026, 11, 27, 22, 0, tzinfo=UTC)) == "۷ آذر ۱۴۰۵، ۰۱:۳۰"
        )
        assert format_number(1250000) == "۱٬۲۵۰٬۰۰۰"
        assert format_toman(25000) == "۲۵٬۰۰۰ تومان"


def test_english_filters(request_ctx):
    with force_locale("en"):
        assert format_jalali_date(date(2026, 11, 27)) == "Nov 27, 2026"
        assert (
            format_jalali_datetime(datetime(2026, 11, 27, 22, 0, tzinfo=UTC))
            == "28 Nov 2026, 01:30"
        )
        assert format_number(1250000) == "1,250,000"
        assert format_toman(25000) == "25,000 toman"


@pytest.mark.parametrize("typed", ["1405/09/06", "۱۴۰۵/۰۹/۰۶", "١٤٠٥-٠٩-٠٦", "1405-9-6"])
def test_parse_jalali_date(typed):
    assert parse_jalali_date(typed) == date(2026, 11, 27)


@pytest.mark.parametrize(
    "typed",
    [
        *("1404/12/30", "1405/13/01", "۱۴۰۵/۰۹", "tomorrow", ""),
        *("１٤٠٥/१०/߀٤", "9377/01/01", "1/01/01", "1405/²/01", "1405/09/" + "9" * 5000),
    ],
)
def test_parse_jalali_date_refuses_impossible_dates(typed):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_jalali_date(typed)


@pytest.mark.parametrize(
    ("typed", "value"), [("۲۵٬۰۰۰", 25000), ("1,000", 1000), ("٧", 7), ("", None)]
)
def test_localized_integer_field_accepts_persian_digits_and_separators(app, typed, value):
    from flask_wtf import FlaskForm

    class Form(FlaskForm):
        amount = LocalizedIntegerField()

    with app.test_request_context(method="POST", data={"amount": typed}):
        form = Form()
        assert form.amount.data == value


def test_localized_integer_field_explains_bad_input(app):
    from flask_wtf import FlaskForm

    class Form(FlaskForm):
        amount = LocalizedIntegerField()

    with app.test_request_context(method="POST", data={"amount": "۱۲x"}):
        form = Form()
        assert not form.validate()
        assert form.amount.errors


def test_templates_translate_in_the_request_language_and_in_a_forced_one(app):
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Catalogue') }}"
    with app.test_request_context("/", headers={"Cookie": "lang=fa"}):
        assert render_template_string(page) == "کاتالوگ"
        with force_locale("en"):
            assert render_template_string(page) == "Catalogue"
        assert render_template_string(page) == "کاتالوگ"
    with app.app_context(), app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(page) == "Catalogue"  # a new request: its own language
