"""Figures shaped for export: the rows every CSV, JSON and API export carries, the subset a
reader may see, a snapshot's JSON."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

ROW_FIELDS = (
    "key",
    "name",
    "label",
    "value",
    "unit",
    "definition",
    "computed_at",
    "snapshot_id",
    "published_by",
)
MONTHLY = _l("The monthly schedule")


def publisher(snapshot, language):
    """Who published a snapshot: a person's name, or the monthly schedule."""
    if snapshot.published_by is not None:
        return snapshot.published_by.name
    with force_locale(language):
        return str(MONTHLY)


def figure_rows(figures, language, snapshot=None):
    """Yield one dict per figure (each metric's total, then its rows), telling what it is.

    Fields: key, name, label ("" for the total), value, unit, definition, computed_at (ISO
    time), snapshot_id and published_by (None for current figures). The one source of the
    CSV and JSON exports and the API.
    """
    snapshot_id = snapshot.id if snapshot is not None else None
    by = publisher(snapshot, language) if snapshot is not None else None
    for key, figure in figures["metrics"].items():
        common = {
            "key": key,
            "name": figure["name"][language],
            "unit": figure["unit"],
            "definition": figure["definition"][language],
            "computed_at": figures["computed_at"],
            "snapshot_id": snapshot_id,
            "published_by": by,
        }
        yield {**common, "label": "", "value": figure["total"]}
        for fa, en, value in figure["rows"]:
            yield {**common, "label": en if language == "en" else fa, "value": value}


def csv_rows(figures, language, snapshot=None):
    """The figures as CSV rows, header first (the fields of `figure_rows`)."""
    rows = [list(ROW_FIELDS)]
    for row in figure_rows(figures, language, snapshot):
        rows.append([row[name] for name in ROW_FIELDS])
    return rows


def only(figures, keys):
    """The figures limited to the metrics named in `keys` (all of them when keys is None)."""
    if keys is None:
        return figures
    return {**figures, "metrics": {k: v for k, v in figures["metrics"].items() if k in keys}}


def figures_document(figures, language, snapshot=None):
    """A JSON export: the figures as computed or frozen, and the same rows as the CSV."""
    document = {**figures, "figures": list(figure_rows(figures, language, snapshot))}
    if snapshot is None:
        return document
    return {
        "snapshot": snapshot.id,
        "published_at": snapshot.published_at.isoformat(),
        "published_by": publisher(snapshot, language),
        **document,
    }


def snapshot_document(snapshot, figures, language="fa"):
    """A snapshot's JSON export: its id, publication time and publisher, then its figures."""
    return figures_document(figures, language, snapshot)
