"""Numbers from the outside world, read one way: URL parts, query strings and form values.

Every whole number the app takes from a request goes through `bazaar.text.parse_int`:
ASCII, Persian or Arabic-Indic digits, inside the range of the column it ends up in — ids and
counts are 32-bit `Integer` columns on PostgreSQL, so that is the default; prices are 64-bit.

- A URL part `<int:x>` that is not such a number is a 404 (the route does not exist).
- A value read with `.get(name, type=int)` that is not such a number (², 2**70, "abc") is
  never silently dropped: a page (GET) shows without that filter, with a warning that names
  the value; a form post is refused (flashed, and back to the form). An empty value is the
  same as a missing one.
"""

from flask import Request as FlaskRequest
from flask import flash, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter as WerkzeugIntegerConverter
from werkzeug.routing import ValidationError

from bazaar.errors import Invalid
from bazaar.text import INT32_MAX, INT32_MIN, parse_int

# A page number bounds OFFSET = (page - 1) * per_page, which must also fit 64 bits.
MAX_PAGE = 1_000_000
MAX_PRICE = 10**12
ARG_RANGES = {"page": (1, MAX_PAGE), "price_min": (0, MAX_PRICE), "price_max": (0, MAX_PRICE)}


class IntegerConverter(WerkzeugIntegerConverter):
    """`<int:x>` in a URL (an id): ASCII, Persian or Arabic-Indic digits, at most 2**31 - 1."""

    regex = r"[0-9\u06f0-\u06f9\u0660-\u0669]{1,20}"

    def to_python(self, value):
        low = 0 if self.min is None else self.min
        high = INT32_MAX if self.max is None else min(self.max, INT32_MAX)
        try:
            return parse_int(value, min=low, max=high)
        except ValueError as exc:
            raise ValidationError() from exc


def read_int(name, text, default=None):
    """Read one request value as a whole number; say so when it is not one."""
    if text is None or not text.strip():
        return default
    low, high = ARG_RANGES.get(name, (INT32_MIN, INT32_MAX))
    try:
        return parse_int(text, min=low, max=high, grouping=True)
    except ValueError:
        error = Invalid("input.bad_number", value=text[:40])
    if request.method not in ("GET", "HEAD"):
        raise error
    flash(error.message, "warning")
    return default


class ReadsNumbers:
    """A request-values mixin: `.get(name, type=int)` uses `read_int` instead of `int()`."""

    def get(self, key, default=None, type=None):
        if type is int:
            return read_int(key, super().get(key), default)
        return super().get(key, default, type)


class Values(ReadsNumbers, ImmutableMultiDict):
    """Request values (query string, form) that read numbers with `read_int`."""


class Request(FlaskRequest):
    """Flask's request, with `Values` for its query string and form."""

    parameter_storage_class = Values


def register(app):
    """Install the integer URL converter, and `ReadsNumbers` on the app's request values.

    Call before any route is added. A request class the app already has (one that cleans
    values, say) is kept and extended, not replaced.
    """
    app.url_map.converters["int"] = IntegerConverter
    base = app.request_class
    if base is FlaskRequest:
        app.request_class = Request
    elif not issubclass(base.parameter_storage_class, ReadsNumbers):
        values = type("Values", (ReadsNumbers, base.parameter_storage_class), {})
        app.request_class = type("Request", (base,), {"parameter_storage_class": values})
