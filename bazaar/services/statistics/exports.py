"""Figures shaped for export: CSV rows, the subset a reader may see, a snapshot's JSON."""


def csv_rows(figures, language):
    """The figures as CSV rows: metric, name, label, value (the total as its own row)."""
    rows = [["metric", "name", "label", "value"]]
    for key, figure in figures["metrics"].items():
        name = figure["name"][language]
        rows.append([key, name, "", figure["total"]])
        for fa, en, value in figure["rows"]:
            rows.append([key, name, en if language == "en" else fa, value])
    return rows


def only(figures, keys):
    """The figures limited to the metrics named in `keys` (all of them when keys is None)."""
    if keys is None:
        return figures
    return {**figures, "metrics": {k: v for k, v in figures["metrics"].items() if k in keys}}


def snapshot_document(snapshot, figures):
    """A snapshot's JSON export: its id and publication time, then its figures."""
    return {"snapshot": snapshot.id, "published_at": snapshot.published_at.isoformat(), **figures}
