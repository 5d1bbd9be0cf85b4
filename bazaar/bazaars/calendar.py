"""A Jalali month as weeks (Saturday first) for the bazaar calendar."""

from dataclasses import dataclass, field
from datetime import date

from persiantools.jdatetime import JalaliDate

from bazaar.i18n import local_date

SATURDAY = 5


@dataclass
class Day:
    day: date
    jalali_day: int
    bazaars: list = field(default_factory=list)


def month_grid(year, month, entries):
    """Return (weeks, first_day, last_day): weeks are lists of 7 cells, None outside the month."""
    first = JalaliDate(year, month, 1).to_gregorian()
    length = JalaliDate.days_in_month(month, year)
    days = [Day(date.fromordinal(first.toordinal() + n), n + 1) for n in range(length)]
    by_date = {d.day: d for d in days}
    for bazaar, state in entries:
        cell = by_date.get(local_date(bazaar.starts_at))
        if cell is not None:
            cell.bazaars.append((bazaar, state))
    cells = [None] * ((first.weekday() - SATURDAY) % 7) + days
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[n : n + 7] for n in range(0, len(cells), 7)]
    return weeks, days[0].day, days[-1].day


def month_of(today):
    """Return the Jalali (year, month) of a Gregorian day."""
    jalali = JalaliDate.to_jalali(today)
    return jalali.year, jalali.month


def shift(year, month, delta):
    """Return the Jalali month `delta` months away."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_name(year, month, language):
    jalali = JalaliDate(year, month, 1)
    return jalali.strftime("%B", locale="fa" if language == "fa" else "en")
