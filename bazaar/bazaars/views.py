"""Public bazaar pages: the list, the calendar, a bazaar's page, its feeds and interest list."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.bazaars import calendar as jcalendar
from bazaar.bazaars import feeds
from bazaar.bazaars.blueprint import bp
from bazaar.bazaars.forms import ActionForm, InterestForm
from bazaar.errors import Refused
from bazaar.extensions import csrf
from bazaar.i18n import current_language, local_date
from bazaar.limits import per_client, per_target
from bazaar.links import external_url, public_host
from bazaar.models import Role, Status
from bazaar.models.types import utcnow
from bazaar.services import catalogue, reference, stalls
from bazaar.services.bazaars import interest, listing, rules
from bazaar.services.followups import service as followups
from bazaar.services.vendors import find_vendor_for_user
from bazaar.stalls.views import apply_form_for
from bazaar.text import normalize_email, normalize_mobile

# RFC 8058: a mail client's one-click unsubscribe POSTs exactly this form field.
ONE_CLICK = ("List-Unsubscribe", "One-Click")


def _apply_form(bazaar):
    """The apply form, offering only the stall types still open to applications."""
    form = apply_form_for(bazaar)
    closed = {str(stall.id) for stall in bazaar.stall_types if stall.is_closed}
    form.stall_type_id.choices = [c for c in form.stall_type_id.choices if c.value not in closed]
    return form


def _county_arg():
    return request.args.get("county", type=int)


@bp.get("/")
def index():
    """List published bazaars to come (and held ones), in one county if asked."""
    county = _county_arg()
    entries = listing.list_public_bazaars(now=utcnow(), county_id=county)
    return render_template(
        "bazaars/index.html", entries=entries, counties=reference.list_counties(), county=county
    )


@bp.get("/calendar")
def calendar():
    """Show a Jalali month of bazaars (this month unless ?year=&month= say otherwise)."""
    county = _county_arg()
    year, month = jcalendar.month_of(local_date(utcnow()))
    year = request.args.get("year", year, type=int)
    month = request.args.get("month", month, type=int)
    if not (1300 <= year <= 1500 and 1 <= month <= 12):
        abort(404)
    weeks, first, last = jcalendar.month_grid(year, month, [])
    entries = listing.bazaars_between(first, last, now=utcnow(), county_id=county)
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
    """Describe the bazaar as a schema.org Event (with its eventStatus) for search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": bazaar.title,
        "description": bazaar.description,
        "startDate": bazaar.starts_at.isoformat(),
        "endDate": bazaar.ends_at.isoformat(),
        "eventStatus": rules.SCHEMA_ORG[state.status],
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
    """Show a bazaar: its status and why, stalls, interest list, the vendor's form, catalogue."""
    bazaar = listing.get_public_bazaar(bazaar_id)
    state = listing.state_of(bazaar, utcnow())
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
        interest=interest.find_interest(bazaar.id, current_user),
        interest_form=InterestForm(),
        vendor=vendor,
        own_application=own_application,
        apply_form=_apply_form(bazaar) if vendor else None,
        interested=interest.count_interest(bazaar.id),
        followups=followups.followups_about(bazaar.id, current_user),
        registered=stalls.count_registered(bazaar.id),
    )


def _split_contact(contact):
    contact = (contact or "").strip()
    return (contact, None) if "@" in contact else (None, contact)


def _typed_contact():
    # A signed-in user's sign-up sends nothing: only sign-ups by email or mobile are counted.
    if current_user.is_authenticated:
        return None
    email, mobile = _split_contact(request.form.get("contact"))
    return normalize_email(email) if email else normalize_mobile(mobile or "")


def _anonymous_bazaar():
    return None if current_user.is_authenticated else request.view_args.get("bazaar_id")


@bp.post("/<int:bazaar_id>/interest")
@per_client("INTEREST_LIMIT_PER_IP")
@per_target("INTEREST_LIMIT_PER_TARGET", _typed_contact)
@per_target("INTEREST_LIMIT_PER_BAZAAR", _anonymous_bazaar)
def subscribe(bazaar_id):
    """Put the visitor (signed in, or by email or mobile) on the bazaar's interest list.

    An email or mobile gets a link to confirm, and the same answer whether it was on the list.
    """
    bazaar = listing.get_public_bazaar(bazaar_id)
    form = InterestForm()
    if not form.validate_on_submit():
        abort(400)
    email, mobile = _split_contact(form.contact.data)
    try:
        if current_user.is_authenticated:
            _entry, created = interest.subscribe(bazaar.id, now=utcnow(), user=current_user)
        else:
            interest.subscribe(
                bazaar.id, now=utcnow(), email=email, mobile=mobile, locale=current_language()
            )
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    if not current_user.is_authenticated:
        flash(
            _("Check your email: follow the link we sent to confirm, within 7 days.")
            if email
            else _(
                "Check your phone's messages: follow the link we sent to confirm, within 7 days."
            ),
            "success",
        )
    elif created:
        flash(_("We will tell you when this bazaar goes ahead."), "success")
    else:
        flash(_("You are already on the list for this bazaar."), "success")
    return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))


@bp.get("/interest/confirm/<token>")
def confirm_interest_form(token):
    """Ask to confirm a sign-up: a GET (link scanner, preview) changes nothing."""
    entry = interest.find_pending_interest(token, utcnow())
    if entry is None:
        return render_template("bazaars/interest_confirmed.html", bazaar=None), 404
    bazaar = listing.get_bazaar(entry.bazaar_id)
    return render_template(
        "bazaars/confirm_interest.html", bazaar=bazaar, token=token, form=ActionForm()
    )


@bp.post("/interest/confirm/<token>")
def confirm_interest(token):
    """Confirm a sign-up by email or mobile: from now on it counts and is told."""
    if not ActionForm().validate_on_submit():
        abort(400)
    bazaar = interest.confirm_interest(token, now=utcnow())
    return render_template("bazaars/interest_confirmed.html", bazaar=bazaar), 200 if bazaar else 404


@bp.get("/unsubscribe/<token>")
def unsubscribe_form(token):
    """Ask to confirm leaving an interest list: a GET (link scanner, preview) changes nothing."""
    entry = interest.find_interest_by_token(token)
    if entry is None:
        return render_template("bazaars/unsubscribed.html", bazaar=None), 404
    bazaar = listing.get_bazaar(entry.bazaar_id)
    return render_template(
        "bazaars/unsubscribe.html", bazaar=bazaar, token=token, form=ActionForm()
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe(token):
    """Leave an interest list: the confirm button, or a mail client's RFC 8058 one-click POST.

    Exempt from the app-wide CSRF check because a mail client has no token; the secret token
    in the URL is the authority. The button's form still carries and checks its CSRF token.
    """
    one_click = request.form.get(ONE_CLICK[0]) == ONE_CLICK[1]
    if not one_click and not ActionForm().validate_on_submit():
        abort(400)
    bazaar = interest.unsubscribe(token, now=utcnow())
    return render_template("bazaars/unsubscribed.html", bazaar=bazaar), 200 if bazaar else 404


def _describe(bazaar, state):
    words = {
        Status.SCHEDULED: rules.label(Status.SCHEDULED, current_language()),
        Status.RESCHEDULED: rules.label(Status.RESCHEDULED, current_language()),
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
    """Serve one bazaar as an iCalendar event whose status follows the bazaar's."""
    bazaar = listing.get_public_bazaar(bazaar_id)
    return _ics([(bazaar, listing.state_of(bazaar, utcnow()))], bazaar.title)


@bp.get("/all.ics")
def feed_all():
    """Serve every published bazaar, past ones too, as one iCalendar feed."""
    return _ics(
        listing.list_public_bazaars(now=utcnow(), include_past=True), _("Home-business bazaars")
    )
