"""Language choice and the template filters that show dates, numbers and money."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, get_translations, gettext
from flask_login import current_user
from markupsafe import Markup, escape
from persiantools.jdatetime import JalaliDate

from bazaar.text import parse_int, to_ascii_digits, to_persian_digits

LANGUAGE_COOKIE = "lang"
PERSIAN_THOUSANDS = "\u066c"
DIRECTIONS = {"fa": "rtl", "en": "ltr"}


def N_(message):
    """Mark a message for extraction where it is translated later (by a callback)."""
    return message


def select_locale():
    """Pick the language: the switch's cookie, then the account's choice, then Persian.

    The API answers in the language of Accept-Language (Persian when it names neither).
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands: messages in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # the API reads no cookie: Accept-Language only
        return request.accept_languages.best_match(
            languages, current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _translations():
    """The current locale's catalogue, found once per locale per request.

    Flask-Babel finds it again for every string a template translates (the context, the
    locale's name, the domain); a page translates about forty. It is kept with the locale it
    is for, so `force_locale` (a message in its recipient's language) gets its own."""
    if not g:
        return get_translations()
    context = g.get("_flask_babel")
    kept = getattr(context, "bazaar_translations", None)
    if kept is not None and kept[0] is getattr(context, "babel_locale", None):
        return kept[1]
    found = get_translations()
    g._flask_babel.bazaar_translations = (get_locale(), found)
    return found


def install_template_gettext(app):
    """Templates translate through _translations (replacing Flask-Babel's callables)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def current_language():
    """Return 'fa' or 'en' for the current request."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def is_persian():
    return current_language() == "fa"


def local_zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value):
    """Convert an aware datetime to the app's time zone (Asia/Tehran)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone())


def local_date(moment):
    """Return the date in the app's time zone at an aware moment."""
    return to_local(moment).date()


class ShownDate:
    """A date that prints itself in the current language (for message parameters)."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        return format_jalali_date(self.value)


def format_number(value):
    """Show a whole number with thousands separators, in Persian digits in fa."""
    if value is None:
        return ""
    text = f"{int(value):,}"
    if is_persian():
        return to_persian_digits(text.replace(",", PERSIAN_THOUSANDS))
    return text


# A left-to-right mark before the sign: in a right-to-left line "+۱" would otherwise show as "۱+".
LRM = "\u200e"


def format_signed(value):
    """Show a change with its sign: +3, −2, 0 (kept before the number in Persian too)."""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    if sign and is_persian():
        sign = LRM + sign
    return sign + format_number(abs(value))


def format_toman(value):
    """Show a price in toman."""
    if value is None:
        return ""
    return gettext("%(amount)s toman", amount=format_number(value))


def format_digits(value):
    """Show any text's digits in Persian in fa."""
    text = "" if value is None else str(value)
    return to_persian_digits(text) if is_persian() else text


def _jalali_text(day):
    jalali = JalaliDate.to_jalali(day)
    return to_persian_digits(f"{jalali.day} {jalali.strftime('%B', locale='fa')} {jalali.year}")


def format_jalali_date(value):
    """Show a date: Jalali with Persian month names and digits in fa, Gregorian in en."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    if is_persian():
        return _jalali_text(value)
    return format_date(value, "medium")


def format_jalali_datetime(value):
    """Show a moment in Tehran time: Jalali date and time in fa, Gregorian in en."""
    if value is None:
        return ""
    if is_persian():
        local = to_local(value)
        return f"{_jalali_text(local.date())}، {to_persian_digits(local.strftime('%H:%M'))}"
    return format_datetime(value, "d MMM y, HH:mm")


# Addresses and links inside Persian sentences: set apart so the bidi algorithm keeps them whole.
LTR_RUN = re.compile(r"https?://[^\s،؛«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mark_ltr_runs(text):
    """Escape `text`, wrapping each URL and email address in a left-to-right <bdi>."""
    text = "" if text is None else str(text)
    pieces, last = [], 0
    for match in LTR_RUN.finditer(text):
        pieces += [
            escape(text[last : match.start()]),
            Markup('<bdi dir="ltr">%s</bdi>') % match.group(),
        ]
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def mark_ltr(text):
    """Escape `text` and set it apart as left-to-right data (a code, a key, a reference)."""
    return Markup('<bdi dir="ltr" translate="no">%s</bdi>') % ("" if text is None else text)


def register_filters(app):
    """Make the filters available in every template."""
    app.jinja_env.filters.update(
        fromiso=datetime.fromisoformat,
        signed=format_signed,
        jdate=format_jalali_date,
        jdatetime=format_jalali_datetime,
        num=format_number,
        toman=format_toman,
        digits=format_digits,
        ltr_runs=mark_ltr_runs,
        ltr=mark_ltr,
    )

    @app.context_processor
    def _language():
        language = current_language()
        return {"lang": language, "direction": DIRECTIONS.get(language, "rtl")}


# Jalali years a date typed here may have (1300 = 1921, 1500 = 2121): a typo such as 9377 or 1
# is refused, not stored.
JALALI_YEARS = (1300, 1500)


def parse_jalali_date(text):
    """Turn a typed Jalali date (1405/09/15, ۱۴۰۵-۰۹-۱۵) into a date; ValueError if none."""
    parts = to_ascii_digits(text.strip()).replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3:
        raise ValueError(text)
    # The one integer reader: ASCII, Persian and Arabic-Indic digits only; years this app meets.
    year = parse_int(parts[0], min=JALALI_YEARS[0], max=JALALI_YEARS[1])
    month, day = parse_int(parts[1], min=1, max=12), parse_int(parts[2], min=1, max=31)
    return JalaliDate(year, month, day).to_gregorian()
