"""Bazaar pages: the public list, calendar, bazaar page and feeds; the organisers' planning."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.bazaars import calendar as jcalendar
from bazaar.bazaars import feeds
from bazaar.bazaars.forms import ActionForm, BazaarForm, InterestForm, ReasonForm, RescheduleForm
from bazaar.catalogue.views import category_choices
from bazaar.errors import Refused
from bazaar.forms import attach_error, id_choices
from bazaar.i18n import current_language, format_number, local_date, to_local
from bazaar.links import external_url, public_host
from bazaar.models import Role, Status
from bazaar.models.types import utcnow
from bazaar.services import catalogue, reference, stalls
from bazaar.services.bazaars import service
from bazaar.services.bazaars.rules import SCHEMA_ORG
from bazaar.services.followups import service as followups
from bazaar.services.vendors import find_vendor_for_user
from bazaar.stalls.views import apply_form_for

bp = Blueprint("bazaars", __name__, url_prefix="/bazaars")


def _county_arg():
    value = request.args.get("county", "")
    return int(value) if value.isdigit() else None


def _load_public(bazaar_id):
    return service.get_public_bazaar(bazaar_id)


@bp.get("/")
def index():
    county = _county_arg()
    entries = service.list_public_bazaars(now=utcnow(), county_id=county)
    return render_template(
        "bazaars/index.html", entries=entries, counties=reference.list_counties(), county=county
    )


@bp.get("/calendar")
def calendar():
    county = _county_arg()
    year, month = jcalendar.month_of(local_date(utcnow()))
    year = request.args.get("year", year, type=int)
    month = request.args.get("month", month, type=int)
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        abort(404)
    weeks, first, last = jcalendar.month_grid(year, month, [])
    entries = service.bazaars_between(first, last, now=utcnow(), county_id=county)
    weeks, _first, _last = jcalendar.month_grid(year, month, entries)
    return render_template(
        "bazaars/calendar.html",
        weeks=weeks,
        year=year,
        month=month,
        month_name=jcalendar.month_name(year, month, current_language()),
        previous=jcalendar.shift(year, month, -1),
        next=jcalendar.shift(year, month, 1),
        counties=reference.list_counties(),
        county=county,
        today=local_date(utcnow()),
    )


def event_jsonld(bazaar, state):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": bazaar.title,
        "description": bazaar.description,
        "startDate": bazaar.starts_at.isoformat(),
        "endDate": bazaar.ends_at.isoformat(),
        "eventStatus": SCHEMA_ORG[state.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": bazaar.venue_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": bazaar.venue_address,
                "addressLocality": bazaar.county.name_fa,
                "addressCountry": "IR",
            },
        },
        "url": external_url("bazaars.view", bazaar_id=bazaar.id),
    }
    if state.previous_starts_at is not None and state.status in (Status.HELD, Status.RESCHEDULED):
        data["previousStartDate"] = state.previous_starts_at.isoformat()
    return data


@bp.get("/<int:bazaar_id>")
def view(bazaar_id):
    bazaar = _load_public(bazaar_id)
    now = utcnow()
    state = service.state_of(bazaar, now)
    products, _terms = catalogue.browse_products(
        catalogue.Filters(sort="newest"),
        request.args.get("page", 1, type=int),
        12,
        vendor_ids=stalls.registered_vendor_ids(bazaar.id),
    )
    vendor = None
    own_application = None
    if current_user.is_authenticated and current_user.role == Role.VENDOR:
        vendor = find_vendor_for_user(current_user)
        own_application = stalls.find_application(vendor, bazaar.id) if vendor else None
    return render_template(
        "bazaars/view.html",
        bazaar=bazaar,
        state=state,
        jsonld=event_jsonld(bazaar, state),
        products=products,
        interest=service.find_interest(bazaar.id, current_user),
        interest_form=InterestForm(),
        vendor=vendor,
        own_application=own_application,
        apply_form=apply_form_for(bazaar) if vendor else None,
        interested=service.count_interest(bazaar.id),
        followups=followups.followups_about(bazaar.id, current_user),
        registered=stalls.count_registered(bazaar.id),
    )


@bp.post("/<int:bazaar_id>/interest")
def subscribe(bazaar_id):
    bazaar = _load_public(bazaar_id)
    form = InterestForm()
    if not form.validate_on_submit():
        abort(400)
    contact = (form.contact.data or "").strip()
    try:
        if current_user.is_authenticated:
            _interest, created = service.subscribe(bazaar.id, now=utcnow(), user=current_user)
        else:
            email, mobile = (contact, None) if "@" in contact else (None, contact)
            _interest, created = service.subscribe(
                bazaar.id, now=utcnow(), email=email, mobile=mobile, locale=current_language()
            )
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    flash(
        _("We will tell you when this bazaar goes ahead.")
        if created
        else _("You are already on the list for this bazaar."),
        "success",
    )
    return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))


@bp.get("/unsubscribe/<token>")
def unsubscribe(token):
    bazaar = service.unsubscribe(token, now=utcnow())
    return render_template("bazaars/unsubscribed.html", bazaar=bazaar), 200 if bazaar else 404


def _describe(bazaar, state):
    words = {
        Status.SCHEDULED: _("Scheduled"),
        Status.RESCHEDULED: _("Rescheduled"),
        Status.HELD: _("Held: gatherings are not allowed yet"),
        Status.CANCELLED: _("Cancelled: %(reason)s", reason=state.reason or ""),
        Status.PAST: _("Held on its date"),
    }
    return f"{words.get(state.status, '')} — {bazaar.description}".strip(" —")


def _ics(entries, name):
    body = feeds.calendar(
        entries,
        name=name,
        host=public_host(),
        url_for_bazaar=lambda b: external_url("bazaars.view", bazaar_id=b.id),
        describe=_describe,
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": "inline; filename=bazaars.ics"},
    )


@bp.get("/<int:bazaar_id>.ics")
def feed(bazaar_id):
    bazaar = _load_public(bazaar_id)
    return _ics([(bazaar, service.state_of(bazaar, utcnow()))], bazaar.title)


@bp.get("/all.ics")
def feed_all():
    return _ics(
        service.list_public_bazaars(now=utcnow(), include_past=True), _("Home-business bazaars")
    )


# --- organisers ----------------------------------------------------------------------------


@bp.get("/manage")
@role_required(Role.ORGANISER)
def manage():
    return render_template("bazaars/manage.html", entries=service.list_all_bazaars(now=utcnow()))


@bp.get("/held")
@role_required(Role.ORGANISER)
def held():
    return render_template("bazaars/held.html", groups=service.held_dashboard(now=utcnow()))


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
    for entry, cap in zip(form.caps, bazaar.category_caps, strict=False):
        entry.form.category_id.data, entry.form.max_stalls.data = cap.category_id, cap.max_stalls


def _form_values(form):
    data = service.BazaarData(
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
        service.StallTypeData(
            e.form.name.data.strip(),
            e.form.count.data or 0,
            e.form.fee_toman.data,
            e.form.is_food.data,
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
    form = _bazaar_form()
    if form.validate_on_submit():
        data, stall_types, caps = _form_values(form)
        try:
            if form.repeat.data:
                created = service.create_series(
                    current_user,
                    data,
                    stall_types,
                    caps=caps,
                    weekdays=[int(day) for day in form.weekdays.data],
                    first_day=form.day.data,
                    last_day=form.last_day.data,
                    now=utcnow(),
                )
                flash(
                    _(
                        "%(count)s draft bazaars were created. Publish each when ready.",
                        count=format_number(len(created)),
                    ),
                    "success",
                )
                return redirect(url_for("bazaars.manage"))
            bazaar = service.create_bazaar(current_user, data, stall_types, caps=caps, now=utcnow())
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The draft is saved. Publish it when it is ready."), "success")
            return redirect(url_for("bazaars.view_draft", bazaar_id=bazaar.id))
    return render_template("bazaars/edit.html", form=form, bazaar=None), 400


def _load_any(bazaar_id):
    return service.get_bazaar(bazaar_id)


@bp.get("/<int:bazaar_id>/draft")
@role_required(Role.ORGANISER)
def view_draft(bazaar_id):
    bazaar = _load_any(bazaar_id)
    if bazaar.published_at is not None:
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    return render_template("bazaars/draft.html", bazaar=bazaar, form=ActionForm())


@bp.get("/<int:bazaar_id>/edit")
@role_required(Role.ORGANISER)
def edit_form(bazaar_id):
    bazaar = _load_any(bazaar_id)
    return render_template("bazaars/edit.html", form=_bazaar_form(bazaar), bazaar=bazaar)


@bp.post("/<int:bazaar_id>/edit")
@role_required(Role.ORGANISER)
def update(bazaar_id):
    bazaar = _load_any(bazaar_id)
    form = _bazaar_form()
    if form.validate_on_submit():
        data, stall_types, caps = _form_values(form)
        try:
            service.update_bazaar(
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
    bazaar = _load_any(bazaar_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.publish_bazaar(current_user, bazaar.id, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("bazaars.view_draft", bazaar_id=bazaar.id))
    flash(_("The bazaar is published."), "success")
    return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))


@bp.get("/<int:bazaar_id>/cancel")
@role_required(Role.ORGANISER)
def cancel_form(bazaar_id):
    return render_template("bazaars/cancel.html", bazaar=_load_any(bazaar_id), form=ReasonForm())


@bp.post("/<int:bazaar_id>/cancel")
@role_required(Role.ORGANISER)
def cancel(bazaar_id):
    bazaar = _load_any(bazaar_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service.cancel_bazaar(current_user, bazaar.id, form.reason.data, now=utcnow())
        except Refused as error:
            attach_error(form, error, {"bazaar.reason_required": "reason"})
        else:
            flash(_("The bazaar is cancelled; everyone registered was told."), "success")
            return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    return render_template("bazaars/cancel.html", bazaar=bazaar, form=form), 400


@bp.get("/<int:bazaar_id>/reschedule")
@role_required(Role.ORGANISER)
def reschedule_form(bazaar_id):
    return render_template(
        "bazaars/reschedule.html", bazaar=_load_any(bazaar_id), form=RescheduleForm()
    )


@bp.post("/<int:bazaar_id>/reschedule")
@role_required(Role.ORGANISER)
def reschedule(bazaar_id):
    bazaar = _load_any(bazaar_id)
    form = RescheduleForm()
    if form.validate_on_submit():
        try:
            service.reschedule_bazaar(
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
