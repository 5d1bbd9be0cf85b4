"""Audit entries, written in the same transaction as the change they describe."""

from bazaar.extensions import db
from bazaar.models import AuditEntry, User


def record_audit(action, obj, *, actor=None, actor_id=None, now, **details):
    """Add an audit entry for `action` on `obj` (a model instance, or a (type, id) pair).

    `actor` is the user who acted; `actor_id` may stand in for it when only the id is at hand.
    """
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        if obj.id is None:
            db.session.flush()  # a new object gets its id
        object_type, object_id = obj.__tablename__, obj.id
    entry = AuditEntry(
        at=now,
        actor_id=actor.id if actor is not None else actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(entry)
    return entry


def list_audit(*, object_type=None, object_id=None):
    """Return audit entries, newest first, optionally for one object."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    return db.session.scalars(query).all()


SYSTEM = "system"


def search_audit(*, actor_id=None, object_type=None, since=None, until=None, page=1, per_page=50):
    """Return a page of audit entries, newest first, filtered by actor, object type and time.

    `actor_id` is a user's id, or SYSTEM for what no person did (rounds, reminders, releases).
    """
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor_id == SYSTEM:
        query = query.where(AuditEntry.actor_id.is_(None))
    elif actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_actors():
    """Everyone who appears in the audit log as its actor, by role then name: any kind of user."""
    query = (
        db.select(User)
        .where(User.id.in_(db.select(AuditEntry.actor_id).where(AuditEntry.actor_id.isnot(None))))
        .order_by(User.role, User.name)
    )
    return db.session.scalars(query).all()


def object_types():
    """The object types that appear in the audit log."""
    query = db.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)
    return db.session.scalars(query).all()
