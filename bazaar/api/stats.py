"""GET /api/v1/stats and /api/v1/stats/snapshots[/{id}]: figures with their definitions.

The figures come from services/statistics (compute_all, the snapshots), exactly as the
statistics page and its CSV/JSON exports show them; `figure_records` flattens them into one
record per figure: key, label, value, definition, computed_at, snapshot_id, published_by.
"""

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from bazaar.api.auth import current_token, limit
from bazaar.api.fields import JalaliMoment, LocalDateTime
from bazaar.api.schemas import PageArgs, PageSchema, make_cursor
from bazaar.i18n import current_language
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import statistics
from bazaar.services.statistics import exports

blp = limit(Blueprint("api_stats", __name__, url_prefix="/api/v1/stats", description="Statistics"))


class RowSchema(Schema):
    label = fields.String()
    value = fields.Integer()


class FigureSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    value = fields.Integer(required=True, metadata={"description": "The total"})
    unit = fields.String(metadata={"enum": ["count", "percent"]})
    definition = fields.String(required=True)
    rows = fields.List(fields.Nested(RowSchema))
    computed_at = fields.String(required=True, metadata={"format": "date-time"})
    snapshot_id = fields.Integer(allow_none=True, required=True)
    published_by = fields.String(allow_none=True, required=True)


class FiguresSchema(Schema):
    computed_at = fields.String(metadata={"format": "date-time"})
    snapshot_id = fields.Integer(allow_none=True)
    published_at = LocalDateTime(allow_none=True)
    published_at_jalali = JalaliMoment("published_at")
    published_by = fields.String(allow_none=True)
    note = fields.String()
    figures = fields.List(fields.Nested(FigureSchema))


class SnapshotRefSchema(Schema):
    id = fields.Integer()
    published_at = LocalDateTime()
    published_at_jalali = JalaliMoment("published_at")
    published_by = fields.Function(
        lambda s: exports.publisher(s, current_language()), metadata={"type": "string"}
    )
    note = fields.String()


class SnapshotPageSchema(PageSchema):
    items = fields.List(fields.Nested(SnapshotRefSchema), required=True)


def figure_records(figures, language, snapshot=None):
    """Return one record per figure, built from the exports' rows (the CSV's and JSON's source):
    key, label, value, unit, definition, its rows, computed_at, snapshot_id, published_by."""
    records = {}
    for row in exports.figure_rows(figures, language, snapshot):
        record = records.get(row["key"])
        if record is None:  # each metric's first row is its total
            records[row["key"]] = {
                "key": row["key"],
                "label": row["name"],
                "value": row["value"],
                "unit": row["unit"],
                "definition": row["definition"],
                "rows": [],
                "computed_at": figures["computed_at"],
                "snapshot_id": row["snapshot_id"],
                "published_by": row["published_by"],
            }
        else:
            record["rows"].append({"label": row["label"], "value": row["value"]})
    return list(records.values())


def _visible_keys():
    """Organisers (by token) see every metric; others the public subset, as on the page."""
    token = current_token()
    if token is not None and token.user.has_role(Role.ORGANISER):
        return None
    return set(current_app.config["PUBLIC_METRICS"])


def _document(figures, snapshot=None):
    return {
        "computed_at": figures["computed_at"],
        "snapshot_id": snapshot.id if snapshot else None,
        "published_at": snapshot.published_at if snapshot else None,
        "published_by": exports.publisher(snapshot, current_language()) if snapshot else None,
        "note": snapshot.note if snapshot else "",
        "figures": figure_records(figures, current_language(), snapshot),
    }


@blp.get("")
@blp.response(200, FiguresSchema)
def current():
    """Compute the current figures, each with its definition and the time computed."""
    return _document(statistics.compute_all(utcnow(), keys=_visible_keys()))


@blp.get("/snapshots")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, SnapshotPageSchema)
def snapshots(cursor, per_page):
    """List published snapshots, newest first."""
    found = statistics.list_snapshots()
    start = (cursor - 1) * per_page
    return {
        "items": found[start : start + per_page],
        "next_cursor": make_cursor(cursor + 1) if len(found) > start + per_page else None,
        "total": len(found),
        "total_is_lower_bound": False,
    }


@blp.get("/snapshots/<int:snapshot_id>")
@blp.response(200, FiguresSchema)
def snapshot(snapshot_id):
    """Show a published snapshot's frozen figures with its id and publisher."""
    item = statistics.get_snapshot(snapshot_id)
    return _document(statistics.only(item.figures, _visible_keys()), item)
