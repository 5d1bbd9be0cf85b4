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
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Ids and counts are `Integer` columns: 32 bits on PostgreSQL. Money is BigInteger (64 bits).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
# After folding Persian and Arabic-Indic digits: an optional sign and ASCII digits only, so
# superscripts (²) and other scripts' digits, which str.isdigit() and int() accept, are refused.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,20}")

# C0 controls (NUL among them) and DEL; a multi-line text keeps its tabs and line breaks.
# Also C1 controls and the bidi embeddings and overrides (U+202A–U+202E), which turn a name
# around on screen; a single line also loses the line and paragraph separators U+2028/U+2029.
# Zero-width non-joiners and the LRM/RLM marks stay: Persian text needs them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")
_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]")


def strip_controls(text, *, keep_lines=False):
    """Remove control characters from text; keep tab, CR, LF (and U+2028/9) if `keep_lines`."""
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


def parse_int(text, min=INT64_MIN, max=INT64_MAX, grouping=False):
    """Read a whole number in ASCII, Persian or Arabic-Indic digits within [min, max].

    Raise ValueError for anything else: other Unicode digits, fractions, values that do not fit
    the range (by default a signed 64-bit integer, what every database column holds). With
    `grouping`, thousands separators are allowed (1,250,000 or ۱٬۲۵۰٬۰۰۰).
    """
    text = to_ascii_digits(str(text).strip())
    if grouping:
        text = _THOUSANDS.sub("", text)
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"not a whole number: {text[:40]!r}")
    value = int(text)
    if not min <= value <= max:
        raise ValueError(f"out of range [{min}, {max}]: {value}")
    return value


def find_int(text, **bounds):
    """Return `parse_int(text, **bounds)`, or None when the text is not such a number."""
    try:
        return parse_int(text, **bounds)
    except ValueError:
        return None


# Line breaks of every kind and other control characters: none may reach a message header.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(text):
    """Return text as one line: line breaks and control characters become one space."""
    return " ".join(_NOT_IN_A_LINE.sub(" ", text or "").split())


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
    """Fold an email address for storage and lookup: NFKC (full-width ｃ → c), casefold, trim."""
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


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
