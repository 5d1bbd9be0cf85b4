"""The statistics page, its CSV and JSON exports, and the published snapshots."""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.csv_export import csv_response
from bazaar.i18n import current_language
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import statistics
from bazaar.statistics.forms import PublishForm

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
CHARTED = {"vendors_by_field", "vendors_by_county", "products_by_category", "bazaars_by_status"}


def _visible_keys():
    """Organisers see every metric; others the public subset the deployment configures."""
    if current_user.is_authenticated and current_user.has_role(Role.ORGANISER):
        return None
    return set(current_app.config["PUBLIC_METRICS"])


def _figures():
    return statistics.compute_all(utcnow(), keys=_visible_keys())


def _snapshot_figures(snapshot):
    return statistics.only(snapshot.figures, _visible_keys())


@bp.get("/")
def index():
    """Show every figure the reader may see, the latest snapshots and (organisers) publish."""
    figures = _figures()
    return render_template(
        "statistics/index.html",
        figures=figures,
        charted=CHARTED,
        snapshot=None,
        form=PublishForm(),
        snapshots=statistics.list_snapshots()[:5],
    )


def _csv(figures, name, snapshot=None):
    rows = statistics.csv_rows(figures, current_language(), snapshot)
    return csv_response(f"{name}.csv", None, rows)


def _json(figures, name, snapshot=None):
    document = statistics.figures_document(figures, current_language(), snapshot)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"inline; filename={name}.json"},
    )


@bp.get("/figures.csv")
def export_csv():
    """Export the figures on the page as CSV (UTF-8 with BOM, for Excel)."""
    return _csv(_figures(), "statistics")


@bp.get("/figures.json")
def export_json():
    """Export the figures on the page as JSON, definitions included."""
    return _json(_figures(), "statistics")


@bp.post("/snapshots")
@role_required(Role.ORGANISER)
def publish():
    """Freeze today's figures as a numbered snapshot everyone can quote."""
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    snapshot = statistics.publish_snapshot(current_user, note=form.note.data, now=utcnow())
    flash(_("Snapshot %(id)s is published. Quote it by its number.", id=snapshot.id), "success")
    return redirect(url_for("statistics.snapshot", snapshot_id=snapshot.id))


@bp.get("/snapshots")
def snapshots():
    return render_template("statistics/snapshots.html", snapshots=statistics.list_snapshots())


@bp.get("/snapshots/<int:snapshot_id>")
def snapshot(snapshot_id):
    """Show a published snapshot's frozen figures."""
    item = statistics.get_snapshot(snapshot_id)
    return render_template(
        "statistics/index.html",
        figures=_snapshot_figures(item),
        charted=CHARTED,
        snapshot=item,
        form=None,
        snapshots=[],
    )


@bp.get("/snapshots/<int:snapshot_id>.csv")
def snapshot_csv(snapshot_id):
    item = statistics.get_snapshot(snapshot_id)
    return _csv(_snapshot_figures(item), f"snapshot-{snapshot_id}", item)


@bp.get("/snapshots/<int:snapshot_id>.json")
def snapshot_json(snapshot_id):
    item = statistics.get_snapshot(snapshot_id)
    return _json(_snapshot_figures(item), f"snapshot-{snapshot_id}", item)


@bp.get("/compare")
def compare():
    """Compare two snapshots figure by figure (?a=id&b=id)."""
    first, second = request.args.get("a", type=int), request.args.get("b", type=int)
    if first is None or second is None:
        flash(_("Choose two snapshots to compare."), "danger")
        return redirect(url_for("statistics.snapshots"))
    left, right = statistics.get_snapshot(first), statistics.get_snapshot(second)
    keys = _visible_keys()
    rows = [row for row in statistics.compare(left, right) if keys is None or row[0] in keys]
    return render_template("statistics/compare.html", left=left, right=right, rows=rows)
