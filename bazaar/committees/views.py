"""Committee pages: members and mandate, meetings with their decisions, new follow-ups, agencies."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.committees.forms import AgencyForm, CommitteeForm, MeetingForm
from bazaar.errors import NotFound, Refused
from bazaar.followups.forms import NewFollowUpForm, organiser_choices
from bazaar.forms import attach_error
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import committees, restrictions
from bazaar.services.bazaars import listing
from bazaar.services.followups import rules
from bazaar.services.followups import service as followups
from bazaar.services.organisers import is_member
from bazaar.services.plan import register

bp = Blueprint("committees", __name__, url_prefix="/committees")


def _committee_or_404(committee_id):
    """Return the committee if the user sits on it; a non-member gets the 404 page."""
    committee = committees.get_committee(committee_id)
    if not is_member(current_user, committee):
        raise NotFound("committee.not_found")
    return committee


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    return render_template("committees/index.html", committees=committees.list_committees())


def _committee_form():
    form = CommitteeForm()
    form.chair_id.choices = organiser_choices(_("Choose…"))
    form.member_ids.choices = [SelectChoice(int(c.value), c.label) for c in organiser_choices()]
    return form


@bp.get("/new")
@role_required(Role.ORGANISER)
def create_form():
    return render_template("committees/new.html", form=_committee_form(), committee=None)


@bp.post("/new", defaults={"committee_id": None})
@bp.post("/<int:committee_id>/edit")
@role_required(Role.ORGANISER)
def save(committee_id):
    """Create a committee (no committee_id) or save changes to one."""
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
    """Show a committee: mandate, members, its follow-ups and its meetings."""
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/view.html",
        committee=committee,
        followups=followups.committee_followups(committee.id, current_user),
        rules=rules,
        share=register.committee_share(committee.id),
    )


def _meeting_form(committee):
    form = MeetingForm()
    form.attendee_ids.choices = [SelectChoice(u.id, u.name) for u in committee.members]
    for entry in form.decisions:
        for followup in entry.followups:
            followup.responsible_id.choices = organiser_choices("—")
    return form


@bp.get("/<int:committee_id>/meetings/new")
@role_required(Role.ORGANISER)
def meeting_form(committee_id):
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/meeting.html", committee=committee, form=_meeting_form(committee)
    )


def _decisions(form):
    """Read the decision rows that have something written: (text, [follow-up]) and their entries.

    The entries let a refusal about the i-th decision (or its j-th follow-up) be shown there.
    """
    decisions, entries = [], []
    for entry in form.decisions:
        items, item_entries = [], []
        for followup in entry.followups:
            data = {
                "title": followup.title.data,
                "responsible_id": followup.responsible_id.data,
                "due_on": followup.due_on.data,
            }
            if (data["title"] or "").strip() or data["responsible_id"] or data["due_on"]:
                items.append(data)
                item_entries.append(followup)
        text = (entry.text.data or "").strip()
        if text or items:
            decisions.append((text, items))
            entries.append((entry, item_entries))
    return decisions, entries


def _attach_meeting_error(form, error, entries):
    """Show a refusal on the decision or follow-up row it names, else as attach_error does."""
    index, position = error.params.get("decision"), error.params.get("followup")
    row = None
    if index is not None:
        entry, item_entries = entries[index]
        row = entry if position is None else item_entries[position]
    name = error.params.get("field")
    if row is not None and name in row.form:
        row.form[name].errors = [*row.form[name].errors, error.message]
    else:
        attach_error(form, error)


@bp.post("/<int:committee_id>/meetings/new")
@role_required(Role.ORGANISER)
def record_meeting(committee_id):
    """Record a meeting with its decisions and the follow-ups they create."""
    committee = _committee_or_404(committee_id)
    form = _meeting_form(committee)
    if form.validate_on_submit():
        decisions, entries = _decisions(form)
        try:
            committees.record_meeting(
                current_user,
                committee.id,
                held_on=form.held_on.data,
                attendee_ids=form.attendee_ids.data,
                minutes=form.minutes.data,
                decisions=decisions,
                now=utcnow(),
            )
        except Refused as error:
            _attach_meeting_error(form, error, entries)
        else:
            flash(_("The meeting is recorded; each responsible person was told."), "success")
            return redirect(url_for("committees.view", committee_id=committee.id))
    return render_template("committees/meeting.html", committee=committee, form=form), 400


def _new_followup_form():
    form = NewFollowUpForm()
    form.responsible_id.choices = organiser_choices(_("Choose…"))
    form.bazaar_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(b.id), b.title) for b, _state in listing.list_all_bazaars(now=utcnow())
    ]
    form.restriction_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(r.id), f"{r.reference} — {r.body}")
        for r in restrictions.list_restrictions()
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
    """Create a follow-up of the committee that comes from no meeting's decision."""
    committee = _committee_or_404(committee_id)
    form = _new_followup_form()
    if form.validate_on_submit():
        try:
            followup = followups.create_followup(
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
            return redirect(url_for("followups.view", followup_id=followup.id))
    return render_template("committees/followup_new.html", committee=committee, form=form), 400


@bp.get("/agencies")
@role_required(Role.ADMIN)
def agencies():
    """List the plan's agencies, with the form to add one (admins)."""
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
