"""A weekly series as one thing: publish, cancel or reschedule all its dates, or some, at once.

`plan_series_change` says what a change would do to each chosen date (the preview);
`change_series` does exactly that plan, all of it or nothing, in one transaction.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from bazaar.database import write_transaction
from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import to_local
from bazaar.models import Bazaar, Series
from bazaar.services.bazaars import planning

ACTIONS = ("publish", "cancel", "reschedule")

# Why a chosen date is left as it is, in the reader's language (the preview shows it).
SKIPS = {
    "series.skip_cancelled": _l("already cancelled: left as it is"),
    "series.skip_past": _l("already over: left as it is"),
    "series.skip_published": _l("already published: left as it is"),
    "series.skip_draft": _l("a draft: edit its date instead"),
    "series.skip_into_past": _l("the new date would be in the past: left as it is"),
}


@dataclass
class SeriesChange:
    """What the organiser asked: an action, the chosen dates, and its details."""

    action: str
    bazaar_ids: list
    reason: str = ""
    shift_days: int = 0
    start: object = None  # a local time
    end: object = None


@dataclass
class Step:
    """One chosen date: what will happen to it, or why nothing will (`skip`, a message key)."""

    bazaar: Bazaar
    skip: str | None = None
    new_day: object = None
    details: dict = field(default_factory=dict)


def get_series(series_id):
    """Return the series, or raise NotFound."""
    series = db.session.get(Series, series_id)
    if series is None:
        raise NotFound("series.not_found")
    return series


def series_bazaars(series_id):
    """The series' bazaars, by date."""
    query = db.select(Bazaar).where(Bazaar.series_id == series_id).order_by(Bazaar.starts_at)
    return db.session.scalars(query).all()


def _check(change):
    if change.action not in ACTIONS:
        raise Invalid("series.bad_action", field="action")
    if not change.bazaar_ids:
        raise Invalid("series.none_selected", field="bazaar_ids")
    if change.action == "cancel" and not (change.reason or "").strip():
        raise Invalid("bazaar.reason_required", field="reason")
    if change.action == "reschedule":
        if change.start is None or change.end is None:
            raise Invalid("bazaar.date_required", field="start")
        if change.end <= change.start:
            raise Invalid("bazaar.end_before_start", field="end")
        if not isinstance(change.shift_days, int) or abs(change.shift_days) > 365:
            raise Invalid("series.bad_shift", field="shift_days")


def _step(bazaar, change, now):
    if bazaar.cancelled_at is not None:
        return Step(bazaar, skip="series.skip_cancelled")
    if bazaar.ends_at <= now:
        return Step(bazaar, skip="series.skip_past")
    if change.action == "publish":
        if bazaar.published_at is not None:
            return Step(bazaar, skip="series.skip_published")
        return Step(bazaar)
    if change.action == "cancel":
        return Step(bazaar)
    if bazaar.published_at is None:
        return Step(bazaar, skip="series.skip_draft")
    new_day = to_local(bazaar.starts_at).date() + timedelta(days=change.shift_days)
    step = Step(bazaar, new_day=new_day)
    if planning.local_start(new_day, change.end) <= now:
        step.skip = "series.skip_into_past"
    return step


def plan_series_change(series_id, change, *, now):
    """Say, date by date, what the change would do; write nothing (the preview)."""
    _check(change)
    chosen = set(change.bazaar_ids)
    bazaars = [b for b in series_bazaars(get_series(series_id).id) if b.id in chosen]
    if len(bazaars) != len(chosen):
        raise Invalid("series.none_selected", field="bazaar_ids")
    return [_step(bazaar, change, now) for bazaar in bazaars]


def change_series(actor, series_id, change, *, now):
    """Do the planned change to every chosen date at once; return the plan that was done."""
    with write_transaction():
        plan = plan_series_change(series_id, change, now=now)
        for step in plan:
            if step.skip:
                continue
            if change.action == "publish":
                planning.publish_bazaar(actor, step.bazaar.id, now=now)
            elif change.action == "cancel":
                planning.cancel_bazaar(actor, step.bazaar.id, change.reason, now=now)
            else:
                planning.reschedule_bazaar(
                    actor,
                    step.bazaar.id,
                    step.new_day,
                    change.start,
                    change.end,
                    change.reason,
                    now=now,
                )
    return plan
