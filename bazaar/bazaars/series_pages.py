"""Organisers' series page: publish, cancel or reschedule all or some dates, after a preview."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, SelectMultipleField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bazaar.access import role_required
from bazaar.bazaars.blueprint import bp
from bazaar.errors import Refused
from bazaar.forms import AppForm, LocalizedIntegerField, attach_error
from bazaar.i18n import format_jalali_datetime, format_number, to_local
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services.bazaars import listing, series

ACTIONS = [
    SelectChoice("publish", _l("Publish")),
    SelectChoice("reschedule", _l("Reschedule")),
    SelectChoice("cancel", _l("Cancel these bazaars")),
]


class SeriesForm(AppForm):
    bazaar_ids = SelectMultipleField(
        _l("Dates"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(message=_l("Choose at least one date of the series."))],
    )
    action = RadioField(_l("What to do"), choices=ACTIONS, validators=[InputRequired()])
    shift_days = LocalizedIntegerField(
        _l("Move each date by (days; negative moves earlier)"),
        default=0,
        validators=[Optional(), NumberRange(min=-365, max=365)],
    )
    start = TimeField(_l("Starts at"), validators=[Optional()])
    end = TimeField(_l("Ends at"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason (everyone sees it)"), validators=[Optional(), Length(max=500)]
    )


def _form(bazaars, fill=False):
    form = SeriesForm()
    form.bazaar_ids.choices = [
        SelectChoice(b.id, f"{b.title} — {format_jalali_datetime(b.starts_at)}") for b in bazaars
    ]
    if fill and bazaars:
        # The current values: every date chosen, the times of the first date, no move.
        first = to_local(bazaars[0].starts_at), to_local(bazaars[0].ends_at)
        form.bazaar_ids.data = [b.id for b in bazaars]
        form.start.data, form.end.data = first[0].time(), first[1].time()
        form.shift_days.data = 0
    return form


def _change(form):
    return series.SeriesChange(
        action=form.action.data,
        bazaar_ids=form.bazaar_ids.data or [],
        reason=form.reason.data or "",
        shift_days=form.shift_days.data or 0,
        start=form.start.data,
        end=form.end.data,
    )


def _page(the_series, form, plan=None, status=200):
    now = utcnow()
    bazaars = series.series_bazaars(the_series.id)
    return render_template(
        "bazaars/series.html",
        series=the_series,
        entries=[(b, listing.state_of(b, now)) for b in bazaars],
        form=form,
        plan=plan,
        skips=series.SKIPS,
        acting=plan is not None and any(step.skip is None for step in plan),
    ), status


@bp.get("/series/<int:series_id>")
@role_required(Role.ORGANISER)
def series_form(series_id):
    """Show a series' dates with the form to change all or some of them (current values)."""
    the_series = series.get_series(series_id)
    return _page(the_series, _form(series.series_bazaars(the_series.id), fill=True))


@bp.post("/series/<int:series_id>")
@role_required(Role.ORGANISER)
def change_series(series_id):
    """Preview the change (nothing saved); with `confirm`, do exactly what was previewed."""
    the_series = series.get_series(series_id)
    form = _form(series.series_bazaars(the_series.id))
    if not form.validate_on_submit():
        return _page(the_series, form, status=400)
    try:
        if "confirm" not in request.form:
            plan = series.plan_series_change(the_series.id, _change(form), now=utcnow())
            return _page(the_series, form, plan=plan)
        done = series.change_series(current_user, the_series.id, _change(form), now=utcnow())
    except Refused as error:
        attach_error(form, error, {"bazaar.reason_required": "reason"}, default="action")
        return _page(the_series, form, status=400)
    flash(
        _(
            "%(count)s dates of the series were changed; the others were left as they are.",
            count=format_number(sum(1 for step in done if step.skip is None)),
        ),
        "success",
    )
    return redirect(url_for("bazaars.series_form", series_id=the_series.id))
