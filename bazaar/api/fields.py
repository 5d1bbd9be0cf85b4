"""Marshmallow fields that read input by the site's rules and show dates as the site does.

Whole numbers go through `bazaar.text.parse_int` (ASCII, Persian or Arabic-Indic digits, inside
the column's range); text loses control characters (`bazaar.text.strip_controls`); moments are
ISO 8601 in Tehran time with the offset, with a Jalali twin for people.
"""

from datetime import date

from marshmallow import ValidationError, fields, validate
from persiantools.jdatetime import JalaliDate

from bazaar.i18n import to_local
from bazaar.text import INT32_MAX, parse_int, strip_controls


class WholeNumber(fields.Integer):
    """A whole number in [low, high] (ids by default: 1 … 2**31 - 1), read with parse_int."""

    def __init__(self, *, low=1, high=INT32_MAX, **kwargs):
        self.low, self.high = low, high
        super().__init__(strict=False, validate=validate.Range(low, high), **kwargs)

    def _validated(self, value):
        if isinstance(value, (bool, float)):
            raise self.make_error("invalid")
        try:
            return parse_int(value, min=self.low, max=self.high)
        except (TypeError, ValueError) as exc:
            raise self.make_error("invalid") from exc


class Text(fields.String):
    """Text without control characters, at most `max_length` characters."""

    def __init__(self, *, max_length, min_length=None, keep_lines=False, **kwargs):
        self.keep_lines = keep_lines
        length = validate.Length(min=min_length, max=max_length)
        super().__init__(validate=length, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return strip_controls(text, keep_lines=self.keep_lines)


# The dates a decision can carry: Jalali years 1330 to 1479, as the pages' date fields take.
FIRST_DAY, LAST_DAY = date(1951, 3, 21), date(2101, 3, 20)


class Day(fields.Date):
    """A Gregorian date in ISO form (2026-12-10), between FIRST_DAY and LAST_DAY."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(FIRST_DAY, LAST_DAY), **kwargs)


class LocalDateTime(fields.DateTime):
    """An aware moment shown in Tehran time: 2026-12-10T10:00:00+03:30."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_local(value).isoformat()


def jalali_moment(value):
    """Return a moment's Jalali date and Tehran time, e.g. 1405-09-19 10:00 (None for None)."""
    if value is None:
        return None
    local = to_local(value)
    day = JalaliDate.to_jalali(local.date())
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d} {local:%H:%M}"


def jalali_day(value):
    """Return a date's Jalali form, e.g. 1405-09-19 (None for None)."""
    if value is None:
        return None
    day = JalaliDate.to_jalali(value)
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


class JalaliMoment(fields.String):
    """The Jalali twin of a moment attribute (read-only)."""

    def __init__(self, source, **kwargs):
        super().__init__(attribute=source, dump_only=True, allow_none=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return jalali_moment(value)


class JalaliDay(fields.String):
    """The Jalali twin of a date attribute (read-only)."""

    def __init__(self, source, **kwargs):
        super().__init__(attribute=source, dump_only=True, allow_none=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return jalali_day(value)


def reject_unknown_value(value):
    """Refuse a value (used where a choice field gets one it does not know)."""
    raise ValidationError("unknown value")


def link(function, **kwargs):
    """A read-only address computed from the object (a path on this site)."""
    return fields.Function(function, metadata={"type": "string"}, **kwargs)
