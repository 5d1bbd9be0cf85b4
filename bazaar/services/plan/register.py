"""Each committee's register of requirements and obstacles."""

from bazaar.database import write_transaction
from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Agency, EntryKind, EntryStatus, FollowUp, Obstacle
from bazaar.services.audit import record_audit
from bazaar.services.committees import get_committee
from bazaar.services.organisers import is_member, require_organiser
from bazaar.services.plan import rules, targets
from bazaar.services.plan.past import get_past_plans


def _ids(model, ids, committee_id=None, field="agency_ids"):
    ids = set(ids or [])
    query = db.select(model).where(model.id.in_(ids))
    if committee_id is not None:
        query = query.where(model.committee_id == committee_id)
    found = db.session.scalars(query).all()
    if len(found) != len(ids):
        raise Invalid("plan.bad_choice", field=field)
    return found


def _check(kind, title, status):
    if kind not in set(EntryKind):
        raise Invalid("plan.bad_kind", field="kind")
    if not (title or "").strip():
        raise Invalid("plan.title_required", field="title")
    if status not in set(EntryStatus):
        raise Invalid("plan.bad_status", field="status")


def save_obstacle(actor, obstacle_id, *, committee_id, now, **data):
    """Create (obstacle_id None) or change a register entry.

    `data`: kind, title, description, responsible_id, status, due_on, agency_ids,
    followup_ids (the committee's own follow-ups), past_plan_ids.
    """
    status = data.get("status") or EntryStatus.OPEN.value
    _check(data.get("kind"), data.get("title"), status)
    with write_transaction():
        committee = get_committee(committee_id)
        if not is_member(actor, committee):
            raise NotFound("committee.not_found")
        entry = Obstacle(committee=committee, created_at=now)
        if obstacle_id is not None:
            entry = get_obstacle(obstacle_id)
            if entry.committee_id != committee.id:
                raise NotFound("plan.obstacle_not_found")
        entry.responsible = require_organiser(data.get("responsible_id"))
        entry.kind, entry.status, entry.updated_at = data["kind"], status, now
        entry.title = data["title"].strip()[:200]
        entry.description = (data.get("description") or "").strip()
        entry.due_on = data.get("due_on")
        entry.agencies = _ids(Agency, data.get("agency_ids"))
        entry.followups = _ids(FollowUp, data.get("followup_ids"), committee.id, "followup_ids")
        entry.citations = get_past_plans(data.get("past_plan_ids"))
        db.session.add(entry)
        action = "plan.obstacle" if obstacle_id is None else "plan.obstacle_update"
        record_audit(action, entry, actor=actor, now=now, status=status)
    return entry


def get_obstacle(obstacle_id):
    entry = db.session.get(Obstacle, obstacle_id)
    if entry is None:
        raise NotFound("plan.obstacle_not_found")
    return entry


def list_obstacles(*, committee_id=None, open_only=False):
    """Register entries, open ones first, soonest due first."""
    query = db.select(Obstacle).order_by(
        Obstacle.status.not_in(rules.OPEN_STATUSES), Obstacle.due_on, Obstacle.id
    )
    if committee_id is not None:
        query = query.where(Obstacle.committee_id == committee_id)
    if open_only:
        query = query.where(Obstacle.status.in_(rules.OPEN_STATUSES))
    return db.session.scalars(query).all()


def committee_share(committee_id):
    """A committee's share of the plan: its active targets with progress, its open entries."""
    return {
        "progress": targets.progress_of(targets.list_targets(committee_id=committee_id)),
        "obstacles": list_obstacles(committee_id=committee_id, open_only=True),
    }
