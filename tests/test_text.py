"""Persian input helpers."""

import pytest

from bazaar.text import (
    normalize_email,
    normalize_mobile,
    normalize_search,
    parse_number_text,
    to_ascii_digits,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09121234567", "09121234567"),
        ("۰۹۱۲۱۲۳۴۵۶۷", "09121234567"),
        ("٠٩١٢١٢٣٤٥٦٧", "09121234567"),
        ("+98 912 123 4567", "09121234567"),
        ("0098-912-123-4567", "09121234567"),
        ("9121234567", "09121234567"),
        ("02112345678", None),
        ("0912123456", None),
        ("091212345678", None),
        ("", None),
        (None, None),
        ("abc", None),
    ],
)
def test_normalize_mobile(typed, expected):
    assert normalize_mobile(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۱۲۳٬۴۵۶", "123456"), ("1,250,000", "1250000"), ("٣٫٥", "3.5"), (" ۲۵ ۰۰۰ ", "25000")],
)
def test_parse_number_text(typed, expected):
    assert parse_number_text(typed) == expected


def test_to_ascii_digits_mixed():
    assert to_ascii_digits("۱۴۰۵ و ١٤٠٥") == "1405 و 1405"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كيك", "کیک"),
        ("مُرَبّا", "مربا"),
        ("ترشی\u200cجات", "ترشیجات"),
        ("کتــاب", "کتاب"),
        ("۱۴۰۵", "1405"),
        ("١٤٠٥", "1405"),
        ("Jam", "jam"),
    ],
)
def test_normalize_search_folds_variants_alike(a, b):
    assert normalize_search(a) == normalize_search(b)


def test_lookalike_emails_fold_to_one_account_key():
    assert normalize_email(" ｃitizen@Bazaar.EXAMPLE ") == "citizen@bazaar.example"
