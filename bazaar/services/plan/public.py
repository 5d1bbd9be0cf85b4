"""What the public progress page tells: public figures with trend and target, public decisions
and follow-ups, what the bazaars did; visitors counted by organisers; the feed's entries."""

from dataclasses import dataclass

from sqlalchemy import func

from bazaar.database import write_transaction
from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Application, Bazaar, BazaarVisits, Hold, Snapshot, Target
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.listing import list_public_bazaars
from bazaar.services.plan import past, targets


@dataclass
class Card:
    metric_key: str
    row: object  # the Persian row label, or None for the total
    points: list
    progress: object  # targets.Progress, or None when no public target is set on the figure


def public_cards(public_metrics):
    """A card per public target, then per public metric without one: trend (and target)."""
    snapshots = db.session.scalars(db.select(Snapshot).order_by(Snapshot.published_at)).all()
    cards, covered = [], set()
    for target in targets.list_targets(public=True):
        progress = targets.target_progress(target, snapshots)
        row = targets.row_label(target)
        cards.append(Card(target.metric_key, row, progress.points, progress))
        if row is None:
            covered.add(target.metric_key)
    for key in public_metrics:
        if key not in covered:
            cards.append(Card(key, None, targets.series(key, None, snapshots), None))
    return cards


def bazaar_figures(*, now):
    """Bazaars held now, released after a hold, vendors and visitors the past ones served."""
    states = list_public_bazaars(now=now, include_past=True)
    held = sum(1 for _bazaar, state in states if state.is_held)
    released = db.session.scalar(
        db.select(func.count(func.distinct(Hold.bazaar_id))).where(Hold.released_at.is_not(None))
    )
    ended = db.select(Bazaar.id).where(Bazaar.ends_at < now, Bazaar.cancelled_at.is_(None))
    vendors = db.session.scalar(
        db.select(func.count(Application.id)).where(
            Application.bazaar_id.in_(ended), Application.state == "confirmed"
        )
    )
    visitors = db.session.scalar(db.select(func.coalesce(func.sum(BazaarVisits.visitors), 0)))
    return {"held": held, "released": released, "vendors": vendors, "visitors": visitors}


def record_visitors(actor, bazaar_id, visitors, *, now):
    """Record how many visitors a bazaar that has ended served (a new count replaces the old)."""
    if visitors is None or visitors < 0:
        raise Invalid("plan.value_required", field="visitors")
    with write_transaction():
        bazaar = db.session.get(Bazaar, bazaar_id or 0)
        if bazaar is None:
            raise NotFound("bazaar.not_found")
        if bazaar.ends_at > now:
            raise Invalid("plan.bazaar_not_ended", field="bazaar_id")
        row = db.session.get(BazaarVisits, bazaar.id) or BazaarVisits(bazaar_id=bazaar.id)
        row.visitors, row.recorded_at = visitors, now
        db.session.add(row)
        record_audit("plan.visitors", bazaar, actor=actor, now=now, visitors=visitors)
    return row


def feed_entries(limit=40):
    """The Atom feed's news, newest first: (kind, id, time, object)."""
    entries = [("decision", d.decision_id, d.published_at, d) for d in past.public_decisions()]
    entries += [
        ("target", t.id, t.created_at, t)
        for t in db.session.scalars(db.select(Target).where(Target.public.is_(True)))
    ]
    entries += [
        ("snapshot", s.id, s.published_at, s)
        for s in db.session.scalars(db.select(Snapshot).order_by(Snapshot.id.desc()).limit(12))
    ]
    return sorted(entries, key=lambda e: e[2], reverse=True)[:limit]
