"""Organisers' bazaar pages: the list, held bazaars, create, edit, publish, cancel, reschedule."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.bazaars.blueprint import bp
from bazaar.bazaars.forms import ActionForm, BazaarForm, ReasonForm, RescheduleForm
from bazaar.errors import Refused
from bazaar.forms import attach_error, category_choices, id_choices
from bazaar.i18n import current_language, format_number, to_local
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import reference
from bazaar.services.bazaars import listing, planning


@bp.get("/manage")
@role_required(Role.ORGANISER)
def manage():
    """List every bazaar, drafts included, for the organisers."""
    return render_template("bazaars/manage.html", entries=listing.list_all_bazaars(now=utcnow()))


@bp.get("/held")
@role_required(Role.ORGANISER)
def held():
    """Show the held bazaars under the restriction holding each, with who waits for them."""
    return render_template("bazaars/held.html", groups=listing.held_dashboard(now=utcnow()))


def _bazaar_form(bazaar=None):
    form = (
        BazaarForm(obj=bazaar) if bazaar is not None and request.method == "GET" else BazaarForm()
    )
    language = current_language()
    form.county_id.choices = id_choices(reference.list_counties(), language, blank=_("Choose…"))
    for entry in form.caps:
        entry.category_id.choices = category_choices(language, blank="—")
    if bazaar is not None and request.method == "GET":
        _fill_from(form, bazaar)
    return form


def _fill_from(form, bazaar):
    starts, ends = to_local(bazaar.starts_at), to_local(bazaar.ends_at)
    form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
    if bazaar.applications_open_at:
        form.applications_open_on.data = to_local(bazaar.applications_open_at).date()
        form.applications_close_on.data = to_local(bazaar.applications_close_at).date()
    for entry, stall in zip(form.stall_types, bazaar.stall_types, strict=False):
        entry.form.name.data, entry.form.count.data = stall.name, stall.count
        entry.form.fee_toman.data, entry.form.is_food.data = stall.fee_toman, stall.is_food
        entry.form.stall_id.data, entry.form.closed.data = stall.id, stall.is_closed
    for entry, cap in zip(form.caps, bazaar.category_caps, strict=False):
        entry.form.category_id.data, entry.form.max_stalls.data = cap.category_id, cap.max_stalls


def _form_values(form):
    data = planning.BazaarData(
        title=form.title.data or "",
        venue_name=form.venue_name.data or "",
        county_id=form.county_id.data,
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        description=form.description.data or "",
        venue_address=form.venue_address.data or "",
        applications_open_on=form.applications_open_on.data,
        applications_close_on=form.applications_close_on.data,
        allocation_mode=form.allocation_mode.data,
        confirm_hours=form.confirm_hours.data or 48,
    )
    stall_types = [
        planning.StallTypeData(
            e.form.name.data.strip(),
            e.form.count.data or 0,
            e.form.fee_toman.data,
            e.form.is_food.data,
            id=e.form.stall_id.data,
            closed=e.form.closed.data,
        )
        for e in form.stall_types
        if (e.form.name.data or "").strip()
    ]
    caps = {
        e.form.category_id.data: e.form.max_stalls.data
        for e in form.caps
        if e.form.category_id.data and e.form.max_stalls.data is not None
    }
    return data, stall_types, caps


FIELDS = {"stall_types": "stall_types", "caps": "caps"}


@bp.get("/new")
@role_required(Role.ORGANISER)
def create_form():
    return render_template("bazaars/edit.html", form=_bazaar_form(), bazaar=None)


@bp.post("/new")
@role_required(Role.ORGANISER)
def create():
    """Save a draft bazaar, or one draft per chosen weekday for a weekly series."""
    form = _bazaar_form()
    if form.validate_on_submit():
        data, stall_types, caps = _form_values(form)
        try:
            if form.repeat.data:
                created = planning.create_series(
                    current_user,
                    data,
                    stall_types,
                    caps=caps,
                    weekdays=[int(day) for day in form.weekdays.data],
                    first_day=form.day.data,
                    last_day=form.last_day.data,
                    now=utcnow(),
                    opens_days_before=form.opens_days_before.data,
                    closes_days_before=form.closes_days_before.data,
                )
                flash(
                    _(
                        "%(count)s draft bazaars were created. Publish them together "
                        "from the series page when ready.",
                        count=format_number(len(created)),
                    ),
                    "success",
                )
                return redirect(url_for("bazaars.series_form", series_id=created[0].series_id))
            bazaar = planning.create_bazaar(
                current_user, data, stall_types, caps=caps, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The draft is saved. Publish it when it is ready."), "success")
            return redirect(url_for("bazaars.view_draft", bazaar_id=bazaar.id))
    return render_template("bazaars/edit.html", form=form, bazaar=None), 400


@bp.get("/<int:bazaar_id>/draft")
@role_required(Role.ORGANISER)
def view_draft(bazaar_id):
    """Show a draft to organisers; a published bazaar sends to its public page."""
    bazaar = listing.get_bazaar(bazaar_id)
    if bazaar.published_at is not None:
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    return render_template("bazaars/draft.html", bazaar=bazaar, form=ActionForm())


@bp.get("/<int:bazaar_id>/edit")
@role_required(Role.ORGANISER)
def edit_form(bazaar_id):
    bazaar = listing.get_bazaar(bazaar_id)
    return render_template("bazaars/edit.html", form=_bazaar_form(bazaar), bazaar=bazaar)


@bp.post("/<int:bazaar_id>/edit")
@role_required(Role.ORGANISER)
def update(bazaar_id):
    """Save a bazaar's edits; a published bazaar keeps its date (reschedule moves it)."""
    bazaar = listing.get_bazaar(bazaar_id)
    form = _bazaar_form()
    if form.validate_on_submit():
        data, stall_types, caps = _form_values(form)
        try:
            planning.update_bazaar(
                current_user, bazaar.id, data, stall_types, caps=caps, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The bazaar is saved."), "success")
            return redirect(
                url_for(
                    "bazaars.view" if bazaar.published_at else "bazaars.view_draft",
                    bazaar_id=bazaar.id,
                )
            )
    return render_template("bazaars/edit.html", form=form, bazaar=bazaar), 400


@bp.post("/<int:bazaar_id>/publish")
@role_required(Role.ORGANISER)
def publish(bazaar_id):
    """Make a draft public: scheduled, or held at once if a restriction covers it."""
    bazaar = listing.get_bazaar(bazaar_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        planning.publish_bazaar(current_user, bazaar.id, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("bazaars.view_draft", bazaar_id=bazaar.id))
    flash(_("The bazaar is published."), "success")
    return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))


@bp.get("/<int:bazaar_id>/cancel")
@role_required(Role.ORGANISER)
def cancel_form(bazaar_id):
    return render_template(
        "bazaars/cancel.html", bazaar=listing.get_bazaar(bazaar_id), form=ReasonForm()
    )


@bp.post("/<int:bazaar_id>/cancel")
@role_required(Role.ORGANISER)
def cancel(bazaar_id):
    """Cancel the bazaar with a reason everyone sees; its applications end."""
    bazaar = listing.get_bazaar(bazaar_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            planning.cancel_bazaar(current_user, bazaar.id, form.reason.data, now=utcnow())
        except Refused as error:
            attach_error(form, error, {"bazaar.reason_required": "reason"})
        else:
            flash(_("The bazaar is cancelled; everyone registered was told."), "success")
            return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    return render_template("bazaars/cancel.html", bazaar=bazaar, form=form), 400


@bp.get("/<int:bazaar_id>/reschedule")
@role_required(Role.ORGANISER)
def reschedule_form(bazaar_id):
    """Ask for the new date, filled in with the current date and times."""
    bazaar = listing.get_bazaar(bazaar_id)
    form = RescheduleForm()
    starts, ends = to_local(bazaar.starts_at), to_local(bazaar.ends_at)
    form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
    return render_template("bazaars/reschedule.html", bazaar=bazaar, form=form)


@bp.post("/<int:bazaar_id>/reschedule")
@role_required(Role.ORGANISER)
def reschedule(bazaar_id):
    """Move the bazaar to a new date; the previous date stays in its history."""
    bazaar = listing.get_bazaar(bazaar_id)
    form = RescheduleForm()
    if form.validate_on_submit():
        try:
            planning.reschedule_bazaar(
                current_user,
                bazaar.id,
                form.day.data,
                form.start.data,
                form.end.data,
                form.reason.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error, default="day")
        else:
            flash(
                _("The bazaar is rescheduled; the previous date is kept in its history."), "success"
            )
            return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    return render_template("bazaars/reschedule.html", bazaar=bazaar, form=form), 400
