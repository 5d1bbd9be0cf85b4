"""Browse and export the audit log: who did what, when, to which object."""

from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from bazaar.access import role_required
from bazaar.csv_export import csv_response
from bazaar.i18n import format_jalali_datetime, local_zone, parse_jalali_date
from bazaar.models import Role
from bazaar.services import audit
from bazaar.services.organisers import list_organisers

bp = Blueprint("audit", __name__, url_prefix="/audit")


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
        "actor_id": request.args.get("actor", type=int),
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
    return render_template(
        "audit/index.html",
        page_obj=pagination,
        errors=errors,
        args=args,
        people=list_organisers(),
        types=audit.object_types(),
    ), 400 if errors else 200


@bp.get("/export.csv")
@role_required(Role.ORGANISER)
def export():
    """Export every audit entry the filters select as CSV."""
    filters, _errors = _filters()
    header = [_("When"), _("Who"), _("Action"), _("Object"), _("Object id"), _("Details")]
    return csv_response("audit.csv", header, _export_rows(filters))


def _export_rows(filters):
    page = 1
    while True:
        batch = audit.search_audit(**filters, page=page, per_page=1000)
        for entry in batch.items:
            yield (
                [
                    format_jalali_datetime(entry.at),
                    entry.actor.name if entry.actor else _("the system"),
                    entry.action,
                    entry.object_type,
                    entry.object_id or "",
                    entry.details,
                ]
            )
        if not batch.has_next:
            break
        page += 1
