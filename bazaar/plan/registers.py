"""The registers: each committee's requirements and obstacles; past plans (search, edit, CSV
import); what a decision cites and whether it shows publicly."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.errors import NotFound, Refused
from bazaar.followups.forms import organiser_choices
from bazaar.forms import attach_error
from bazaar.i18n import current_language
from bazaar.models import PublicDecision, PublicFollowUp, Role
from bazaar.models.types import utcnow
from bazaar.plan.blueprint import bp
from bazaar.plan.forms import DecisionForm, ObstacleForm, PastPlanForm, PastPlanImportForm
from bazaar.plan.views import past_choices as _past_choices
from bazaar.services import committees
from bazaar.services.followups import service as followups
from bazaar.services.organisers import is_member
from bazaar.services.plan import past, register, rules

MAX_FILE = 5 * 1024 * 1024
OBSTACLE_FIELDS = (
    "kind",
    "title",
    "description",
    "responsible_id",
    "status",
    "due_on",
    "agency_ids",
    "followup_ids",
    "past_plan_ids",
)
PAST_FIELDS = ("title", "agency", "years", "done", "outcome", "lesson", "public")


def _committee(committee_id):
    committee = committees.get_committee(committee_id)
    if not is_member(current_user, committee):
        raise NotFound("committee.not_found")
    return committee


def _obstacle_form(committee, entry=None):
    form = ObstacleForm()
    form.kind.choices = [SelectChoice(k, _(label)) for k, label in rules.KIND_LABELS.items()]
    form.status.choices = [SelectChoice(s, _(label)) for s, label in rules.STATUS_LABELS.items()]
    form.responsible_id.choices = organiser_choices(_("Choose…"))
    form.agency_ids.choices = [
        SelectChoice(a.id, a.name_in(current_language())) for a in committees.list_agencies()
    ]
    form.followup_ids.choices = [
        SelectChoice(f.id, f.title)
        for f in followups.committee_followups(committee.id, current_user)
    ]
    form.past_plan_ids.choices = _past_choices()
    if entry is not None and request.method == "GET":
        for name in ("kind", "title", "description", "responsible_id", "status", "due_on"):
            getattr(form, name).data = getattr(entry, name)
        form.agency_ids.data = [a.id for a in entry.agencies]
        form.followup_ids.data = [f.id for f in entry.followups]
        form.past_plan_ids.data = [p.id for p in entry.citations]
    return form


def _register_page(committee, form, entry=None, status=200):
    return render_template(
        "plan/register.html",
        committee=committee,
        entries=register.list_obstacles(committee_id=committee.id),
        form=form,
        entry=entry,
    ), status


@bp.get("/committees/<int:committee_id>/register")
@role_required(Role.ORGANISER)
def register_index(committee_id):
    """The committee's requirements and obstacles, with the form to add one."""
    committee = _committee(committee_id)
    return _register_page(committee, _obstacle_form(committee))


@bp.get("/committees/<int:committee_id>/register/<int:obstacle_id>")
@role_required(Role.ORGANISER)
def obstacle(committee_id, obstacle_id):
    committee = _committee(committee_id)
    entry = register.get_obstacle(obstacle_id)
    if entry.committee_id != committee.id:
        raise NotFound("plan.obstacle_not_found")
    return _register_page(committee, _obstacle_form(committee, entry), entry)


@bp.post("/committees/<int:committee_id>/register", defaults={"obstacle_id": None})
@bp.post("/committees/<int:committee_id>/register/<int:obstacle_id>")
@role_required(Role.ORGANISER)
def save_obstacle(committee_id, obstacle_id):
    """Add a register entry (no obstacle_id) or save changes to one."""
    committee = _committee(committee_id)
    entry = register.get_obstacle(obstacle_id) if obstacle_id is not None else None
    form = _obstacle_form(committee)
    if form.validate_on_submit():
        try:
            register.save_obstacle(
                current_user,
                obstacle_id,
                committee_id=committee.id,
                now=utcnow(),
                **{name: getattr(form, name).data for name in OBSTACLE_FIELDS},
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The register entry is saved."), "success")
            return redirect(url_for("plan.register_index", committee_id=committee.id))
    return _register_page(committee, form, entry, 400)


def _past_form(plan=None):
    form = PastPlanForm()
    if plan is not None and request.method == "GET":
        for name in ("title", "agency", "done", "outcome", "lesson", "public"):
            getattr(form, name).data = getattr(plan, name)
        form.years.data = f"{plan.year_from}-{plan.year_to}"
    return form


def _past_page(form, plan=None, import_form=None, report=None, status=200):
    query = request.args.get("q", "")
    return render_template(
        "plan/past.html",
        plans=past.search_past_plans(query),
        query=query,
        form=form,
        plan=plan,
        import_form=import_form or PastPlanImportForm(),
        report=report,
        columns=past.COLUMNS + past.OPTIONAL_COLUMNS,
    ), status


@bp.get("/past")
@role_required(Role.ORGANISER)
def past_plans():
    """Search the register of past plans (?q=), add one, or import a CSV of them."""
    return _past_page(_past_form())


@bp.get("/past/<int:plan_id>")
@role_required(Role.ORGANISER)
def past_plan(plan_id):
    plan = past.get_past_plan(plan_id)
    return _past_page(_past_form(plan), plan)


@bp.post("/past", defaults={"plan_id": None})
@bp.post("/past/<int:plan_id>")
@role_required(Role.ORGANISER)
def save_past_plan(plan_id):
    plan = past.get_past_plan(plan_id) if plan_id is not None else None
    form = _past_form()
    if form.validate_on_submit():
        try:
            saved = past.save_past_plan(
                current_user,
                plan_id,
                now=utcnow(),
                **{name: getattr(form, name).data for name in PAST_FIELDS},
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The past plan is saved."), "success")
            return redirect(url_for("plan.past_plan", plan_id=saved.id))
    return _past_page(form, plan, status=400)


@bp.post("/past/import")
@role_required(Role.ORGANISER)
def import_past_plans():
    """Import past plans from a CSV file: all rows or none."""
    form = PastPlanImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            abort(413)
        report = past.import_past_plans(data, actor=current_user, now=utcnow())
        if report.ok:
            flash(_("%(count)s past plans are imported.", count=report.created), "success")
            return redirect(url_for("plan.past_plans"))
    return _past_page(_past_form(), import_form=form, report=report, status=400)


def _decision_form(decision):
    form = DecisionForm()
    form.past_plan_ids.choices = _past_choices()
    form.public_followup_ids.choices = [SelectChoice(f.id, f.title) for f in decision.followups]
    if request.method == "GET":
        form.past_plan_ids.data = [p.id for p in past.decision_citations_of(decision.id)]
        form.public.data = past.is_public(PublicDecision, decision.id)
        form.public_followup_ids.data = [
            f.id for f in decision.followups if past.is_public(PublicFollowUp, f.id)
        ]
    return form


def _decision(decision_id):
    decision = past.get_decision(decision_id)
    _committee(decision.meeting.committee_id)
    return decision


@bp.get("/decisions/<int:decision_id>")
@role_required(Role.ORGANISER)
def decision(decision_id):
    """A decision's citations of past plans and whether it (and its follow-ups) show publicly."""
    item = _decision(decision_id)
    return render_template("plan/decision.html", decision=item, form=_decision_form(item))


@bp.post("/decisions/<int:decision_id>")
@role_required(Role.ORGANISER)
def save_decision(decision_id):
    item = _decision(decision_id)
    form = _decision_form(item)
    if form.validate_on_submit():
        try:
            past.publish_decision(
                current_user,
                item.id,
                past_plan_ids=form.past_plan_ids.data,
                public=form.public.data,
                public_followup_ids=form.public_followup_ids.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The decision is saved."), "success")
            return redirect(url_for("plan.decision", decision_id=item.id))
    return render_template("plan/decision.html", decision=item, form=form), 400
