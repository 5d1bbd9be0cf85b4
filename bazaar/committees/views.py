"""Committee pages: members and mandate, meetings with their decisions, new follow-ups, agencies."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.committees.forms import CommitteeForm, MeetingForm
from bazaar.errors import NotFound, Refused, TooLarge
from bazaar.followups.forms import NewFollowUpForm, organiser_choices
from bazaar.forms import attach_error, id_choices
from bazaar.i18n import current_language
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.restrictions.views import send_document
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
    _add_row(form, request.form.get("add", ""))
    agencies = id_choices(committees.list_agencies(include_retired=False), current_language(), "—")
    for guest in form.guests:
        guest.agency_id.choices = agencies
    for entry in form.decisions:
        for followup in entry.followups:
            followup.responsible_id.choices = organiser_choices("—")
            followup.invite_agency_id.choices = agencies
    return form


def _add_row(form, what):
    """Add the row an "Add" button asked for: a guest, a decision, or a decision's follow-up."""
    rows = {"guest": form.guests, "decision": form.decisions}
    if what in rows and len(rows[what]) < rows[what].max_entries:
        rows[what].append_entry()
    elif (
        what.startswith("followup-") and what[9:].isdigit() and int(what[9:]) < len(form.decisions)
    ):
        followups = form.decisions[int(what[9:])].followups
        if len(followups) < followups.max_entries:
            followups.append_entry()


@bp.get("/<int:committee_id>/meetings/new")
@role_required(Role.ORGANISER)
def meeting_form(committee_id):
    committee = _committee_or_404(committee_id)
    return render_template(
        "committees/meeting.html", committee=committee, form=_meeting_form(committee)
    )


def _followup_data(followup):
    """A follow-up row's values, with the invitation when a person without an account is named."""
    data = {
        "title": followup.title.data,
        "responsible_id": followup.responsible_id.data,
        "due_on": followup.due_on.data,
    }
    invite = {
        "name": followup.invite_name.data or "",
        "contact": followup.invite_contact.data or "",
        "agency_id": followup.invite_agency_id.data,
    }
    if invite["name"].strip() or invite["contact"].strip() or invite["agency_id"]:
        data["invite"] = invite
    return data


def _guests(form):
    """The guest rows that have something written, and their entries (to show refusals)."""
    rows = [
        (
            {
                "name": g.form.name.data or "",
                "agency_id": g.form.agency_id.data,
                "role": g.form.role.data,
            },
            g,
        )
        for g in form.guests
        if (g.form.name.data or "").strip()
        or g.form.agency_id.data
        or (g.form.role.data or "").strip()
    ]
    return [data for data, _entry in rows], [entry for _data, entry in rows]


def _decisions(form):
    """Read the decision rows that have something written: (text, [follow-up]) and their entries.

    The entries let a refusal about the i-th decision (or its j-th follow-up) be shown there.
    """
    decisions, entries = [], []
    for entry in form.decisions:
        items, item_entries = [], []
        for followup in entry.followups:
            data = _followup_data(followup)
            if (
                (data["title"] or "").strip()
                or data["responsible_id"]
                or data["due_on"]
                or ("invite" in data)
            ):
                items.append(data)
                item_entries.append(followup)
        text = (entry.text.data or "").strip()
        if text or items:
            decisions.append((text, items))
            entries.append((entry, item_entries))
    return decisions, entries


def _attach_meeting_error(form, error, entries, guest_entries):
    """Show a refusal on the decision, follow-up or guest row it names, else on the form."""
    index, position = error.params.get("decision"), error.params.get("followup")
    row = None
    if index is not None:
        entry, item_entries = entries[index]
        row = entry if position is None else item_entries[position]
    elif error.params.get("guest") is not None:
        row = guest_entries[error.params["guest"]]
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
    if request.form.get("add"):  # an "Add" button: the same form with one more row
        return render_template("committees/meeting.html", committee=committee, form=form)
    if form.validate_on_submit():
        decisions, entries = _decisions(form)
        guests, guest_entries = _guests(form)
        document = form.minutes_document.data
        try:
            committees.record_meeting(
                current_user,
                committee.id,
                held_on=form.held_on.data,
                attendee_ids=form.attendee_ids.data,
                minutes=form.minutes.data,
                decisions=decisions,
                guests=guests,
                minutes_document=document.read() if document else None,
                now=utcnow(),
            )
        except TooLarge:
            abort(413)
        except Refused as error:
            _attach_meeting_error(form, error, entries, guest_entries)
        else:
            flash(
                _(
                    "The meeting is recorded; each responsible person was told, and anyone "
                    "invited was sent the link to their account."
                ),
                "success",
            )
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


@bp.get("/meetings/<int:meeting_id>/minutes")
@role_required(Role.ORGANISER)
def minutes_document(meeting_id):
    """Download a meeting's signed minutes (members of its committee)."""
    meeting = committees.get_meeting(meeting_id)
    _committee_or_404(meeting.committee_id)
    return send_document(meeting.minutes_document, f"minutes-{meeting.id}")
