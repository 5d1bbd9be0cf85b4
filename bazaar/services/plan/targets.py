"""Targets on the registry's metrics: set, revised, withdrawn (never deleted); their progress."""

from dataclasses import dataclass

from bazaar.database import write_transaction
from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Field, PastPlan, Region, Snapshot, Target, TargetRevision
from bazaar.services.audit import record_audit
from bazaar.services.committees import get_committee
from bazaar.services.organisers import is_member
from bazaar.services.plan import rules
from bazaar.services.statistics.metrics import BY_KEY, compute_all


def _check(metric_key, value, due_on, county_id, field_id):
    if metric_key not in BY_KEY:
        raise Invalid("plan.bad_metric", field="metric_key")
    if value is None or value < 0:
        raise Invalid("plan.value_required", field="value")
    if due_on is None:
        raise Invalid("plan.due_required", field="due_on")
    scope = rules.SCOPES.get(metric_key)
    if county_id is not None and (scope != "county" or db.session.get(Region, county_id) is None):
        raise Invalid("plan.bad_county", field="county_id")
    if field_id is not None and (scope != "field" or db.session.get(Field, field_id) is None):
        raise Invalid("plan.bad_field", field="field_id")


def row_label(target):
    """The Persian label of the metric row the target narrows to (None: the metric's total)."""
    place = target.county or target.field
    return place.name_fa if place is not None else None


def _past_plans(ids):
    plans = db.session.scalars(db.select(PastPlan).where(PastPlan.id.in_(ids or []))).all()
    if len(plans) != len(set(ids or [])):
        raise Invalid("plan.bad_past_plan", field="past_plan_ids")
    return plans


def _revise(target, actor, now, withdrawn=False):
    db.session.add(
        TargetRevision(
            target=target,
            at=now,
            actor_id=actor.id,
            committee_id=target.committee_id,
            value=target.value,
            due_on=target.due_on,
            public=target.public,
            withdrawn=withdrawn,
            note=target.note,
        )
    )


def _committee(actor, committee_id):
    committee = get_committee(committee_id)
    if not is_member(actor, committee):
        raise Invalid("plan.not_member", field="committee_id")
    return committee


def set_target(actor, *, committee_id, metric_key, value, due_on, now, **optional):
    """Set a target; its baseline is the figure now. Optional: county_id, field_id, public,
    note, past_plan_ids."""
    county_id, field_id = optional.get("county_id"), optional.get("field_id")
    _check(metric_key, value, due_on, county_id, field_id)
    today = local_date(now)
    if due_on <= today:
        raise Invalid("plan.due_in_past", field="due_on")
    with write_transaction():
        committee = _committee(actor, committee_id)
        target = Target(
            committee=committee,
            metric_key=metric_key,
            county_id=county_id,
            field_id=field_id,
            value=value,
            due_on=due_on,
            public=bool(optional.get("public")),
            note=(optional.get("note") or "").strip()[:300],
            created_at=now,
            baseline_on=today,
            baseline_value=0,
        )
        db.session.add(target)
        db.session.flush()
        figure = compute_all(now, keys={metric_key})["metrics"][metric_key]
        target.baseline_value = rules.figure_value(figure, row_label(target))
        target.citations = _past_plans(optional.get("past_plan_ids"))
        _revise(target, actor, now)
        record_audit("plan.target", target, actor=actor, now=now, value=value)
    return target


def revise_target(actor, target_id, *, value, due_on, public, note, past_plan_ids, now):
    """Change a target's value, date, visibility or note; the old state stays as a revision."""
    _check("vendors_by_status", value, due_on, None, None)
    with write_transaction():
        target = get_target(target_id)
        _committee(actor, target.committee_id)
        if target.withdrawn_at is not None:
            raise Invalid("plan.withdrawn", field="value")
        target.value, target.due_on, target.public = value, due_on, bool(public)
        target.note = (note or "").strip()[:300]
        target.citations = _past_plans(past_plan_ids)
        _revise(target, actor, now)
        record_audit("plan.target_revise", target, actor=actor, now=now, value=value)
    return target


def withdraw_target(actor, target_id, *, now):
    """Withdraw a target: it stays, with its history, but no longer counts."""
    with write_transaction():
        target = get_target(target_id)
        _committee(actor, target.committee_id)
        if target.withdrawn_at is None:
            target.withdrawn_at = now
            _revise(target, actor, now, withdrawn=True)
            record_audit("plan.target_withdraw", target, actor=actor, now=now)
    return target


def get_target(target_id):
    target = db.session.get(Target, target_id)
    if target is None:
        raise NotFound("plan.target_not_found")
    return target


def list_targets(*, committee_id=None, public=None, active=True):
    """Targets, soonest due first: of one committee, only public ones, only active ones."""
    query = db.select(Target).order_by(Target.due_on, Target.id)
    if committee_id is not None:
        query = query.where(Target.committee_id == committee_id)
    if public is not None:
        query = query.where(Target.public.is_(public))
    if active:
        query = query.where(Target.withdrawn_at.is_(None))
    return db.session.scalars(query).all()


@dataclass
class Point:
    snapshot_id: int
    at: object
    value: int


@dataclass
class Progress:
    target: object
    points: list  # Point per snapshot, oldest first
    current: object  # the latest snapshot's value (None before any snapshot)
    snapshot_id: object
    state: str


def series(metric_key, row=None, snapshots=None):
    """The metric (or its row) over time, one point per snapshot that has it, oldest first."""
    if snapshots is None:
        snapshots = db.session.scalars(db.select(Snapshot).order_by(Snapshot.published_at)).all()
    points = []
    for snapshot in snapshots:
        value = rules.figure_value(snapshot.figures["metrics"].get(metric_key), row)
        if value is not None:
            points.append(Point(snapshot.id, snapshot.published_at, value))
    return points


def target_progress(target, snapshots=None):
    """The target's trend from snapshots and its state by the latest one (rules.progress)."""
    points = series(target.metric_key, row_label(target), snapshots)
    last = points[-1] if points else None
    current = last.value if last else target.baseline_value
    today = local_date(last.at) if last else target.baseline_on
    state = rules.progress(
        baseline=target.baseline_value,
        start=target.baseline_on,
        target=target.value,
        due=target.due_on,
        current=current,
        today=today,
    )
    return Progress(target, points, last.value if last else None, last and last.snapshot_id, state)


def progress_of(targets):
    """target_progress for many targets, reading the snapshots once."""
    snapshots = db.session.scalars(db.select(Snapshot).order_by(Snapshot.published_at)).all()
    return [target_progress(t, snapshots) for t in targets]
