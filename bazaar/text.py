"""Text helpers for Persian input: digits, separators, mobile numbers, search folding."""

import re
import unicodedata

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", _PERSIAN_DIGITS)
# Thousands separators people type: Arabic (U+066C), comma, Arabic comma, spaces, apostrophe.
_THOUSANDS = re.compile("[\u066c,\u060c\u00a0\u202f\u2009 '_]")
_MOBILE = re.compile(r"^09\d{9}$")
# C0 controls (NUL among them) and DEL; a multi-line text keeps its tabs and line breaks.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text, *, keep_lines=False):
    """Remove control characters (NUL, DEL, C0) from text; keep tab, CR, LF if `keep_lines`."""
    return (_CONTROLS_BUT_LINES if keep_lines else _CONTROLS).sub("", text)


def to_ascii_digits(text):
    """Replace Persian and Arabic digits with ASCII ones."""
    return text.translate(_TO_ASCII_DIGITS)


def to_persian_digits(text):
    """Replace ASCII digits with Persian ones."""
    return str(text).translate(_TO_PERSIAN_DIGITS)


def parse_number_text(text):
    """Turn a typed number (any digits, thousands and decimal separators) into ASCII form."""
    cleaned = _THOUSANDS.sub("", to_ascii_digits(text.strip()))
    return cleaned.replace("\u066b", ".")


def normalize_mobile(text):
    """Return an Iranian mobile number as 09xxxxxxxxx, or None if it is not one.

    Accepts +98, 0098 and 98 prefixes, a missing leading zero, Persian and Arabic digits,
    spaces and dashes.
    """
    digits = re.sub(r"[\s\-().]", "", to_ascii_digits(text or ""))
    for prefix in ("+98", "0098", "98"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 10:
            digits = "0" + digits[len(prefix) :]
            break
    if len(digits) == 10 and digits.startswith("9"):
        digits = "0" + digits
    return digits if _MOBILE.match(digits) else None


def normalize_email(text):
    """Lower-case and trim an email address for storage and lookup."""
    return (text or "").strip().lower()


_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
    }
)
# Harakat and superscript alef, kashida, ZWNJ/ZWJ and other invisible format characters.
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalize_search(text):
    """Fold text the same way for indexing and for querying (see FIELD-NOTES: Persian search)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _MARKS.sub("", text).translate(_FOLD)
    return to_ascii_digits(text).casefold()
