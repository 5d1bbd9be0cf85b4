"""The plan's rules as pure functions: target progress, Jalali months, figures, the register.

How a target's progress is decided (one rule, `progress`):
- **met** when the figure has reached the target (at or above it; for a target below its
  baseline, at or below it), whatever the date;
- otherwise **behind** on or after the due date;
- otherwise the straight path from the baseline (its value on the day the target was set) to
  the target on the due date gives the figure expected today: **on track** if the figure is
  at least there (a falling target: at most), **behind** if not. Compared in whole numbers
  (no rounding): (figure − baseline) × days of the path ≥ (target − baseline) × days gone.
"""

from persiantools.jdatetime import JalaliDate

from bazaar.i18n import N_
from bazaar.text import parse_int, to_ascii_digits

MET, ON_TRACK, BEHIND = "met", "on_track", "behind"
STATE_LABELS = {MET: N_("Met"), ON_TRACK: N_("On track"), BEHIND: N_("Behind")}

# The metrics a target may narrow to one row, and which row: a county's or a field's.
SCOPES = {"vendors_by_county": "county", "vendors_by_field": "field"}

OPEN_STATUSES = ("open", "in_progress")
STATUS_LABELS = {
    "open": N_("Open"),
    "in_progress": N_("In progress"),
    "resolved": N_("Resolved"),
    "dropped": N_("Dropped"),
}
KIND_LABELS = {"requirement": N_("Requirement"), "obstacle": N_("Obstacle")}


def progress(*, baseline, start, target, due, current, today):
    """Return MET, ON_TRACK or BEHIND for a figure on `today` (see the module's docstring)."""
    rising = target >= baseline
    if (current >= target) if rising else (current <= target):
        return MET
    if today >= due:
        return BEHIND
    days, gone = (due - start).days, max((today - start).days, 0)
    made, needed = (current - baseline) * days, (target - baseline) * gone
    on_path = made >= needed if rising else made <= needed
    return ON_TRACK if on_path else BEHIND


def expected(*, baseline, start, target, due, day):
    """The figure the straight path expects on `day` (the target itself from the due date)."""
    if day >= due or due <= start:
        return target
    if day <= start:
        return baseline
    return baseline + (target - baseline) * (day - start).days / (due - start).days


def jalali_month(day):
    """The Jalali month a (Tehran) date falls in, as "1405-09"."""
    jalali = JalaliDate.to_jalali(day)
    return f"{jalali.year:04d}-{jalali.month:02d}"


def figure_value(figure, row=None):
    """A figure's total, or the value of its row labelled `row` (Persian label; 0 if absent)."""
    if figure is None:
        return None
    if row is None:
        return figure["total"]
    return next((value for fa, _en, value in figure["rows"] if fa == row), 0)


def change(before, after):
    """How a figure moved between two reports (None when either is missing)."""
    if before is None or after is None:
        return None
    return after - before


def is_open(status):
    return status in OPEN_STATUSES


def is_overdue(status, due_on, today):
    """An open entry (or follow-up) whose due date has passed."""
    return is_open(status) and due_on is not None and due_on < today


def parse_years(text):
    """Read "1397" or "1397-1399" (Persian digits too) as (from, to); ValueError if neither."""
    parts = to_ascii_digits(text or "").replace("–", "-").replace("/", "-").split("-")
    if len(parts) not in (1, 2):
        raise ValueError(text)
    years = [parse_int(p.strip(), min=1300, max=1500) for p in parts]
    if years[-1] < years[0]:
        raise ValueError(text)
    return years[0], years[-1]
