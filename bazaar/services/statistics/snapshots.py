"""Published snapshots: every figure frozen under an id, listed and compared."""

from bazaar.database import write_transaction
from bazaar.errors import NotFound
from bazaar.extensions import db
from bazaar.models import Snapshot
from bazaar.services.audit import record_audit
from bazaar.services.statistics.metrics import compute_all


def publish_snapshot(actor, *, note="", now):
    """Freeze every figure, with its definition, under a new id; return the snapshot."""
    figures = compute_all(now)
    with write_transaction():
        snapshot = Snapshot(
            published_at=now,
            published_by_id=actor.id,
            note=(note or "").strip()[:300],
            figures=figures,
        )
        db.session.add(snapshot)
        record_audit("statistics.snapshot", snapshot, actor=actor, now=now)
    return snapshot


def get_snapshot(snapshot_id):
    """Return the snapshot, or raise NotFound."""
    snapshot = db.session.get(Snapshot, snapshot_id)
    if snapshot is None:
        raise NotFound("statistics.not_found")
    return snapshot


def list_snapshots():
    """Every snapshot, newest first."""
    return db.session.scalars(db.select(Snapshot).order_by(Snapshot.id.desc())).all()


def compare(first, second):
    """Return [(key, figure in first, figure in second, {label: (a, b)})] for two snapshots."""
    a, b = first.figures["metrics"], second.figures["metrics"]
    result = []
    for key in list(a) + [k for k in b if k not in a]:
        left, right = a.get(key), b.get(key)
        rows = {}
        for source, index in ((left, 0), (right, 1)):
            for fa, en, value in (source or {}).get("rows", []):
                pair = rows.setdefault((fa, en), [None, None])
                pair[index] = value
        result.append((key, left, right, rows))
    return result
