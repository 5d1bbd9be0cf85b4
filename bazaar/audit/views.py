"""Browse and export the audit log: who did what, when, to which object."""

from datetime import datetime, time, timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bazaar.access import role_required
from bazaar.audit import sentences
from bazaar.csv_export import csv_response
from bazaar.i18n import format_jalali_datetime, local_zone, parse_jalali_date
from bazaar.models import Role
from bazaar.services import audit

bp = Blueprint("audit", __name__, url_prefix="/audit")

TYPE_NAMES = {
    "applications": _l("Stall applications"),
    "bazaars": _l("Bazaars"),
    "vendors": _l("Vendors"),
    "products": _l("Products"),
    "users": _l("Accounts"),
    "committees": _l("Committees"),
    "meetings": _l("Meetings"),
    "followups": _l("Follow-ups"),
    "restrictions": _l("Restrictions"),
    "snapshots": _l("Published snapshots"),
    "agencies": _l("Agencies"),
    "reference": _l("Reference data"),
}
ROLE_NAMES = {
    "admin": _l("Administrator"),
    "organiser": _l("Organiser"),
    "vendor": _l("Vendor"),
    "citizen": _l("Citizen"),
}


def _absolute(path):
    """A link in the CSV, under the public address (never the request's host)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _details_text(details):
    """Details as "key: value" pairs, not a Python dict."""
    if not details:
        return ""
    return "; ".join(f"{key}: {value}" for key, value in sorted(details.items()))


def _actor(text):
    if text == audit.SYSTEM:
        return audit.SYSTEM
    return request.args.get("actor", type=int)  # a bad number is said, as everywhere


def _filters():
    """Read the filters; a date that is not a real Jalali date is reported, not guessed."""
    errors = []
    bounds = {}
    for name in ("since", "until"):
        text = request.args.get(name, "").strip()
        if not text:
            bounds[name] = None
            continue
        try:
            day = parse_jalali_date(text)
        except ValueError:
            errors.append(_("“%(value)s” is not a Jalali date that exists.", value=text))
            bounds[name] = None
            continue
        if name == "until":
            day += timedelta(days=1)
        bounds[name] = datetime.combine(day, time(0, 0), tzinfo=local_zone())
    return {
        "actor_id": _actor(request.args.get("actor", "")),
        "object_type": request.args.get("type") or None,
        "since": bounds["since"],
        "until": bounds["until"],
    }, errors


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    """Show the audit log, newest first, filtered by actor, object type and Jalali dates."""
    filters, errors = _filters()
    pagination = audit.search_audit(**filters, page=request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    objects = sentences.load_objects(pagination.items)
    return render_template(
        "audit/index.html",
        page_obj=pagination,
        rows=[(entry, sentences.sentence(entry, objects)) for entry in pagination.items],
        errors=errors,
        args=args,
        people=audit.list_actors(),
        types=audit.object_types(),
        type_names=TYPE_NAMES,
        role_names=ROLE_NAMES,
    ), 400 if errors else 200


@bp.get("/export.csv")
@role_required(Role.ORGANISER)
def export():
    """Export every audit entry the filters select as CSV."""
    filters, _errors = _filters()
    header = [
        _("When"),
        _("Who"),
        _("What happened"),
        _("Object"),
        _("Object id"),
        _("Link"),
        _("Action code"),
        _("Details"),
    ]
    return csv_response("audit.csv", header, _export_rows(filters))


def _export_rows(filters):
    page = 1
    while True:
        batch = audit.search_audit(**filters, page=page, per_page=1000)
        objects = sentences.load_objects(batch.items)
        for entry in batch.items:
            _name, url = sentences.name_object(entry, objects)
            yield [
                format_jalali_datetime(entry.at),
                entry.actor.name if entry.actor else _("the system"),
                sentences.sentence(entry, objects, links=False),
                str(TYPE_NAMES.get(entry.object_type, entry.object_type)),
                entry.object_id or "",
                _absolute(url) if url else "",
                entry.action,
                _details_text(entry.details),
            ]
        if not batch.has_next:
            break
        page += 1
