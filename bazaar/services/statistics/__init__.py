"""One agreed set of statistics: metrics (metrics.py), snapshots (snapshots.py), exports.

Callers use this package's names; each lives in the module that owns it.
"""

from bazaar.services.statistics.exports import (
    csv_rows,
    figure_rows,
    figures_document,
    only,
    publisher,
    snapshot_document,
)
from bazaar.services.statistics.metrics import BY_KEY, METRICS, Metric, compute_all
from bazaar.services.statistics.snapshots import (
    compare,
    get_snapshot,
    list_snapshots,
    publish_snapshot,
)

__all__ = [
    "BY_KEY",
    "METRICS",
    "Metric",
    "compare",
    "compute_all",
    "csv_rows",
    "figure_rows",
    "figures_document",
    "get_snapshot",
    "list_snapshots",
    "only",
    "publish_snapshot",
    "publisher",
    "snapshot_document",
]
