"""Targets and trends (organisers): set, revise, withdraw a target; every metric over time."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.errors import NotFound, Refused
from bazaar.forms import attach_error, id_choices
from bazaar.i18n import current_language
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.plan.blueprint import bp
from bazaar.plan.chart import line_chart
from bazaar.plan.forms import ReviseTargetForm, TargetForm
from bazaar.services import committees, reference, statistics
from bazaar.services.plan import past, targets
from bazaar.services.plan.rules import SCOPES


def metric_name(key):
    """A metric's name in the reader's language."""
    metric = statistics.BY_KEY.get(key)
    return str(metric.name) if metric else key


def target_title(target):
    """What a target measures: the metric, and the county or field it narrows to."""
    place = target.county or target.field
    name = metric_name(target.metric_key)
    return f"{name} — {place.name_in(current_language())}" if place else name


bp.add_app_template_global(target_title, "target_title")
bp.add_app_template_global(metric_name, "metric_name")
bp.add_app_template_global(line_chart, "line_chart")


def past_choices():
    """Every past plan, as checkboxes a target, an obstacle or a decision may cite."""
    plans = past.search_past_plans()
    return [SelectChoice(p.id, f"{p.title} ({p.year_from}–{p.year_to})") for p in plans]


def _target_form():
    form = TargetForm()
    language = current_language()
    form.committee_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(c.id), c.name) for c in committees.list_committees()
    ]
    form.metric_key.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(m.key, str(m.name)) for m in statistics.METRICS
    ]
    form.county_id.choices = id_choices(reference.list_counties(), language, "—")
    form.field_id.choices = id_choices(reference.list_fields(), language, "—")
    form.past_plan_ids.choices = past_choices()
    return form


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    """Every active target with its progress, newest snapshot first; links to the registers."""
    progress = targets.progress_of(targets.list_targets())
    return render_template("plan/index.html", progress=progress, scopes=SCOPES)


@bp.get("/targets/new")
@role_required(Role.ORGANISER)
def create_target_form():
    form = _target_form()
    form.committee_id.data = request.args.get("committee_id", type=int)
    return render_template("plan/target_new.html", form=form)


@bp.post("/targets/new")
@role_required(Role.ORGANISER)
def create_target():
    """Set a target on a figure for a committee."""
    form = _target_form()
    if form.validate_on_submit():
        try:
            target = targets.set_target(
                current_user,
                committee_id=form.committee_id.data,
                metric_key=form.metric_key.data,
                value=form.value.data,
                due_on=form.due_on.data,
                county_id=form.county_id.data,
                field_id=form.field_id.data,
                public=form.public.data,
                note=form.note.data,
                past_plan_ids=form.past_plan_ids.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The target is set."), "success")
            return redirect(url_for("plan.target", target_id=target.id))
    return render_template("plan/target_new.html", form=form), 400


def _revise_form(target=None):
    form = ReviseTargetForm()
    form.past_plan_ids.choices = past_choices()
    if target is not None and request.method == "GET":
        form.value.data, form.due_on.data = target.value, target.due_on
        form.note.data, form.public.data = target.note, target.public
        form.past_plan_ids.data = [p.id for p in target.citations]
    return form


def _target_page(target, form, status=200):
    progress = targets.target_progress(target)
    return render_template("plan/target.html", progress=progress, form=form), status


@bp.get("/targets/<int:target_id>")
@role_required(Role.ORGANISER)
def target(target_id):
    """A target: its trend, its progress, its history of revisions, and the form to revise it."""
    item = targets.get_target(target_id)
    return _target_page(item, _revise_form(item))


@bp.post("/targets/<int:target_id>")
@role_required(Role.ORGANISER)
def revise_target(target_id):
    item = targets.get_target(target_id)
    form = _revise_form()
    if form.validate_on_submit():
        try:
            targets.revise_target(
                current_user,
                item.id,
                value=form.value.data,
                due_on=form.due_on.data,
                public=form.public.data,
                note=form.note.data,
                past_plan_ids=form.past_plan_ids.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The target is revised; its earlier state stays in its history."), "success")
            return redirect(url_for("plan.target", target_id=item.id))
    return _target_page(item, form, 400)


@bp.post("/targets/<int:target_id>/withdraw")
@role_required(Role.ORGANISER)
def withdraw_target(target_id):
    try:
        targets.withdraw_target(current_user, target_id, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(_("The target is withdrawn; it stays in the history."), "success")
    return redirect(url_for("plan.target", target_id=target_id))


@bp.get("/trends")
@role_required(Role.ORGANISER)
def trends():
    """Every metric drawn over time from the published snapshots."""
    return render_template(
        "plan/trends.html",
        series=[(m, targets.series(m.key)) for m in statistics.METRICS],
    )


@bp.get("/trends/<key>")
@role_required(Role.ORGANISER)
def trend(key):
    """One metric over time, with every active target set on it."""
    metric = statistics.BY_KEY.get(key)
    if metric is None:
        raise NotFound("plan.target_not_found")
    progress = [
        p for p in targets.progress_of(targets.list_targets()) if p.target.metric_key == key
    ]
    return render_template(
        "plan/trend.html", metric=metric, points=targets.series(key), progress=progress
    )
