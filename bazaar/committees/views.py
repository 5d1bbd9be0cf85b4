"""Committee pages (members, meetings, decisions) and follow-up pages (mine, overdue, history)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.committees.forms import (
    STATUS_LABELS,
    AgencyForm,
    CommentForm,
    CommitteeForm,
    MeetingForm,
    NewFollowUpForm,
    ReassignForm,
    StatusForm,
)
from bazaar.errors import Refused
from bazaar.forms import attach_error
from bazaar.i18n import local_date
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import committees
from bazaar.services.bazaars import service as bazaars

bp = Blueprint("committees", __name__, url_prefix="/committees")
followups_bp = Blueprint("followups", __name__, url_prefix="/followups")


def people_choices(blank=None):
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(str(u.id), u.name) for u in committees.organisers()]


def _committee_or_404(committee_id):
    committee = committees.get_committee(committee_id)
    if not committees.is_member(current_user, committee):
        abort(404)
    return committee


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    return render_template("committees/index.html", committees=committees.list_committees())


def _committee_form():
    form = CommitteeForm()
    form.chair_id.choices = people_choices(_("Choose…"))
    form.member_ids.choices = [SelectChoice(int(c.value), c.label) for c in people_choices()]
    return form


@bp.get("/new")
@role_required(Role.ORGANISER)
def create_form():
    return render_template("committees/new.html", form=_committee_form(), committee=None)


@bp.post("/new", defaults={"committee_id": None})
@bp.post("/<int:committee_id>/edit")
@role_required(Role.ORGANISER)
def save(committee_id):
    committee = _committee_or_404(committee_id) if committee_id is not None else None
    form = _committee_form()
    if form.validate_on_submit():
        try:
            saved = committees.save_committee(
                current_user,
                committee_id,
                name=form.name.data,
                mandate=form.mandate.data,
                chair_id=form.chair_id.data,
                member_ids=form.member_ids.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The committee is saved."), "success")
            return redirect(url_for("committees.view", committee_id=saved.id))
    return render_template("committees/new.html", form=form, committee=committee), 400


@bp.get("/<int:committee_id>/edit")
@role_required(Role.ORGANISER)
def edit_form(committee_id):
    committee = _committee_or_404(committee_id)
    form = _committee_form()
    form.name.data, form.mandate.data, form.chair_id.data = (
        committee.name,
        committee.mandate,
        committee.chair_id,
    )
    form.member_ids.data = [m.id for m in committee.members]
    return render_template("committees/new.html", form=form, committee=committee)


@bp.get("/<int:committee_id>")
@role_required(Role.ORGANISER)
def view(committee_id):
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/view.html",
        committee=committee,
        followups=[f for m in committee.meetings for d in m.decisions for f in d.followups],
        status_labels=STATUS_LABELS,
    )


def _meeting_form(committee):
    form = MeetingForm()
    form.attendee_ids.choices = [SelectChoice(u.id, u.name) for u in committee.members]
    for entry in form.decisions:
        for followup in entry.followups:
            followup.responsible_id.choices = people_choices("—")
    return form


@bp.get("/<int:committee_id>/meetings/new")
@role_required(Role.ORGANISER)
def meeting_form(committee_id):
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/meeting.html", committee=committee, form=_meeting_form(committee)
    )


def _decisions(form):
    """Read the decision rows: (text, [follow-up]) for each row with a decision written."""
    decisions = []
    for entry in form.decisions:
        text = (entry.text.data or "").strip()
        items = []
        for followup in entry.followups:
            wanted = (followup.title.data or "").strip() or followup.responsible_id.data
            if not (wanted or followup.due_on.data):
                continue
            if not followup.responsible_id.data:
                raise ValueError(_("Every follow-up needs a responsible person."))
            items.append(
                {
                    "title": followup.title.data,
                    "responsible_id": followup.responsible_id.data,
                    "due_on": followup.due_on.data,
                }
            )
        if not text:
            if items:
                raise ValueError(_("Write the decision the follow-up comes from."))
            continue
        decisions.append((text, items))
    return decisions


@bp.post("/<int:committee_id>/meetings/new")
@role_required(Role.ORGANISER)
def record_meeting(committee_id):
    committee = _committee_or_404(committee_id)
    form = _meeting_form(committee)
    if form.validate_on_submit():
        try:
            decisions = _decisions(form)
            committees.record_meeting(
                current_user,
                committee.id,
                held_on=form.held_on.data,
                attendee_ids=form.attendee_ids.data,
                minutes=form.minutes.data,
                decisions=decisions,
                now=utcnow(),
            )
        except ValueError as error:
            form.form_errors.append(str(error))
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The meeting is recorded; each responsible person was told."), "success")
            return redirect(url_for("committees.view", committee_id=committee.id))
    return render_template("committees/meeting.html", committee=committee, form=form), 400


def _new_followup_form():
    form = NewFollowUpForm()
    form.responsible_id.choices = people_choices(_("Choose…"))
    form.bazaar_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(b.id), b.title) for b, _state in bazaars.list_all_bazaars(now=utcnow())
    ]
    form.restriction_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(r.id), f"{r.reference} — {r.body}") for r in bazaars.list_restrictions()
    ]
    return form


@bp.get("/<int:committee_id>/followups/new")
@role_required(Role.ORGANISER)
def followup_form(committee_id):
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/followup_new.html", committee=committee, form=_new_followup_form()
    )


@bp.post("/<int:committee_id>/followups/new")
@role_required(Role.ORGANISER)
def create_followup(committee_id):
    committee = _committee_or_404(committee_id)
    form = _new_followup_form()
    if form.validate_on_submit():
        try:
            followup = committees.create_followup(
                current_user,
                committee.id,
                title=form.title.data,
                description=form.description.data,
                responsible_id=form.responsible_id.data,
                due_on=form.due_on.data,
                bazaar_id=form.bazaar_id.data,
                restriction_id=form.restriction_id.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The follow-up is created and its responsible person was told."), "success")
            return redirect(url_for("followups.followup", followup_id=followup.id))
    return render_template("committees/followup_new.html", committee=committee, form=form), 400


@bp.get("/agencies")
@role_required(Role.ADMIN)
def agencies():
    return render_template(
        "committees/agencies.html", agencies=committees.list_agencies(), form=AgencyForm()
    )


@bp.post("/agencies")
@role_required(Role.ADMIN)
def create_agency():
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            committees.save_agency(
                current_user, name_fa=form.name_fa.data, name_en=form.name_en.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The agency is added."), "success")
            return redirect(url_for("committees.agencies"))
    return render_template(
        "committees/agencies.html", agencies=committees.list_agencies(), form=form
    ), 400


# --- follow-ups ------------------------------------------------------------------------------


@followups_bp.get("/")
@role_required(Role.ORGANISER)
def mine():
    today = local_date(utcnow())
    return render_template(
        "followups/mine.html",
        mine=committees.my_followups(current_user),
        overdue=committees.overdue_followups(current_user, today),
        today=today,
        status_labels=STATUS_LABELS,
    )


def _followup_or_404(followup_id):
    return committees.get_followup(current_user, followup_id)


def _forms(followup):
    reassign = ReassignForm(prefix="reassign")
    reassign.responsible_id.choices = people_choices(_("Choose…"))
    return CommentForm(), StatusForm(status=followup.status), reassign


@followups_bp.get("/<int:followup_id>")
@role_required(Role.ORGANISER)
def followup(followup_id):
    followup = _followup_or_404(followup_id)
    comment_form, status_form, reassign_form = _forms(followup)
    return render_template(
        "followups/view.html",
        followup=followup,
        comment_form=comment_form,
        status_form=status_form,
        reassign_form=reassign_form,
        status_labels=STATUS_LABELS,
        today=local_date(utcnow()),
    )


@followups_bp.post("/<int:followup_id>/<any(comment, status, reassign):action>")
@role_required(Role.ORGANISER)
def act(followup_id, action):
    followup = _followup_or_404(followup_id)
    comment_form, status_form, reassign_form = _forms(followup)
    form = {"comment": comment_form, "status": status_form, "reassign": reassign_form}[action]
    if form.validate_on_submit():
        try:
            if action == "comment":
                committees.comment(current_user, followup.id, form.text.data, now=utcnow())
            elif action == "status":
                committees.set_status(
                    current_user,
                    followup.id,
                    form.status.data,
                    reason=form.reason.data,
                    now=utcnow(),
                )
            else:
                committees.reassign(
                    current_user,
                    followup.id,
                    form.responsible_id.data,
                    form.reason.data,
                    now=utcnow(),
                )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("followups.followup", followup_id=followup.id))
    return render_template(
        "followups/view.html",
        followup=followup,
        comment_form=comment_form,
        status_form=status_form,
        reassign_form=reassign_form,
        status_labels=STATUS_LABELS,
        today=local_date(utcnow()),
    ), 400
